import { describeSite, siteIdentity, siteImage } from "./image-site.js";
import type { ImageCheck } from "./types.js";

/** `:latest` or no tag at all, and no digest: the same manifest can run different code tomorrow. */
export const imageTagMutable: ImageCheck = {
  name: "image-tag-mutable",
  scope: "image",
  judgesTag: true,
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    properties: { mutableTags: { type: "array", items: { type: "string" }, uniqueItems: true } },
  },
  run(site, params) {
    const image = siteImage(site);
    if (!image || image.digest !== undefined) return [];
    const mutableTags = (params.mutableTags as string[] | undefined) ?? ["latest"];
    if (image.tag !== undefined && !mutableTags.includes(image.tag)) return [];
    const what = image.tag === undefined ? "has no tag (so it means :latest)" : `uses the mutable tag :${image.tag}`;
    return [{ offset: site.offset, message: `${describeSite(site)} ${what} and no digest`, detail: siteIdentity(site) }];
  },
};
