import { describeSite, siteIdentity, siteImage } from "./image-site.js";
import { NO_PARAMS, type ImageCheck } from "./types.js";

/** A tagged image not pinned by digest: tags can be moved to other content. */
export const imageDigestMissing: ImageCheck = {
  name: "image-digest-missing",
  scope: "image",
  judgesTag: true,
  paramsSchema: NO_PARAMS,
  run(site) {
    const image = siteImage(site);
    if (!image || image.digest !== undefined || image.tag === undefined || image.tag === "latest") return [];
    return [{ offset: site.offset, message: `${describeSite(site)} is not pinned by digest`, detail: siteIdentity(site) }];
  },
};
