import { getIn, isScalar, type YamlMap } from "../yaml/nodes.js";
import { lookupPath } from "../checks/locate.js";
import { fillText, fixTemplate } from "./templates.js";
import { multiplyQuantity, quantityValue } from "./quantity.js";
import type { ContainerFix, DataChange, FixPlanResult } from "./types.js";

interface ResourcesTemplate {
  explanation: { requests: string; memoryLimit: string };
  risk: string;
}

type Field = "requests.cpu" | "requests.memory" | "limits.memory";

/**
 * Fills missing requests and the memory limit from config defaults. Values
 * already present stay, and a request never goes above the container's own
 * limit (the API server would reject it): it takes the limit's value instead.
 */
export const resourcesFix: ContainerFix = {
  name: "resources",
  scope: "container",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["fields"],
    properties: {
      fields: { type: "array", minItems: 1, uniqueItems: true, items: { enum: ["requests.cpu", "requests.memory", "limits.memory"] } },
    },
  },
  plan(container, params, settings): FixPlanResult {
    const template = fixTemplate<ResourcesTemplate>("resources");
    const missing = (params.fields as Field[]).filter((field) => lookupPath(container.node, ["resources", ...field.split(".")]).found === undefined);
    const changes: DataChange[] = [];
    const words: Record<string, string | number> = { container: container.name, factor: settings.resources.memoryLimitFactor };
    let explanation = template.explanation.requests;
    for (const field of missing) {
      let value: string | number;
      if (field === "limits.memory") {
        const request = quantityAt(container.node, "requests", "memory") ?? settings.resources.requests.memory;
        const limit = multiplyQuantity(request, settings.resources.memoryLimitFactor);
        if (limit === undefined) return { ok: false, reason: `the memory request "${request}" of container "${container.name}" is not a quantity Shipshape can multiply` };
        value = limit;
        words.limit = limit;
        explanation = template.explanation.memoryLimit;
      } else {
        const resource = field === "requests.cpu" ? "cpu" : "memory";
        const wanted = settings.resources.requests[resource];
        const capped = capAtLimit(wanted, quantityAt(container.node, "limits", resource));
        if (capped === undefined) return { ok: false, reason: `the ${resource} limit of container "${container.name}" is not a quantity Shipshape can compare a request with` };
        value = capped;
      }
      changes.push({ path: [...container.path, "resources", ...field.split(".")], value });
    }
    if (changes.length === 0) return { ok: false, reason: "nothing is missing" };
    words.values = changes.map((change) => `${change.path.slice(-3).join(".")}: ${String(change.value)}`).join(", ");
    // A new memory limit can get a container OOMKilled; requests only move scheduling.
    const risky = missing.includes("limits.memory");
    return { ok: true, plan: { changes, explanation: fillText(explanation, words), risk: template.risk, risky } };
  },
};

/** The request to write: the default, or the container's limit when the default is above it. */
function capAtLimit(request: string | number, limit: string | number | undefined): string | number | undefined {
  if (limit === undefined) return request;
  const requestValue = quantityValue(request);
  const limitValue = quantityValue(limit);
  if (requestValue === undefined || limitValue === undefined) return undefined;
  return requestValue > limitValue ? limit : request;
}

function quantityAt(container: YamlMap, group: "requests" | "limits", resource: "cpu" | "memory"): string | number | undefined {
  const node = getIn(container, ["resources", group, resource]);
  if (!isScalar(node) || node.value === null) return undefined;
  return typeof node.value === "number" ? node.value : node.text;
}
