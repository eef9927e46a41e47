import { imageOf } from "./image.js";
import type { ContainerCheck } from "./types.js";

/** `:latest` or no tag at all, and no digest: the same manifest can run different code tomorrow. */
export const imageTagMutable: ContainerCheck = {
  name: "image-tag-mutable",
  scope: "container",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    properties: { mutableTags: { type: "array", items: { type: "string" }, uniqueItems: true } },
  },
  run(container, params) {
    const image = imageOf(container);
    if (!image || image.reference.digest !== undefined) return [];
    const mutableTags = (params.mutableTags as string[] | undefined) ?? ["latest"];
    const { tag } = image.reference;
    if (tag !== undefined && !mutableTags.includes(tag)) return [];
    const what = tag === undefined ? "has no tag (so it means :latest)" : `uses the mutable tag :${tag}`;
    return [{ offset: image.offset, message: `container "${container.name}" image "${image.text}" ${what} and no digest`, detail: image.text }];
  },
};
