import { imageOf } from "./image.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

/** A tagged image not pinned by digest: tags can be moved to other content. */
export const imageDigestMissing: ContainerCheck = {
  name: "image-digest-missing",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const image = imageOf(container);
    if (!image || image.reference.digest !== undefined || image.reference.tag === undefined || image.reference.tag === "latest") return [];
    return [{ offset: image.offset, message: `container "${container.name}" image "${image.text}" is not pinned by digest`, detail: image.text }];
  },
};
