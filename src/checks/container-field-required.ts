import type { ContainerCheck, Hit } from "./types.js";
import { lookupPath } from "./locate.js";

/** Reports a container that lacks any of the given fields (dotted paths such as `resources.requests.cpu`). */
export const containerFieldRequired: ContainerCheck = {
  name: "container-field-required",
  scope: "container",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["fields"],
    properties: {
      fields: { type: "array", minItems: 1, items: { type: "string", pattern: "^[A-Za-z]+(\\.[A-Za-z]+)*$" } },
    },
  },
  run(container, params) {
    const fields = params.fields as string[];
    const missing = fields.map((field) => ({ field, lookup: lookupPath(container.node, field.split(".")) })).filter(({ lookup }) => lookup.found === undefined);
    const first = missing[0];
    if (!first) return [];
    const names = missing.map(({ field }) => field);
    const hit: Hit = {
      offset: first.lookup.anchorOffset,
      message: `container "${container.name}" has no ${names.join(" or ")}`,
      detail: names.join(","),
    };
    return [hit];
  },
};
