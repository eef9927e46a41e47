import { describeSite, siteIdentity } from "./image-site.js";
import { NO_PARAMS, type ImageCheck } from "./types.js";

/** A reference no registry can resolve: the deploy fails when the image is pulled. */
export const imageReferenceInvalid: ImageCheck = {
  name: "image-reference-invalid",
  scope: "image",
  paramsSchema: NO_PARAMS,
  run(site) {
    const reason = site.details.malformed;
    if (reason === undefined) return [];
    return [{ offset: site.offset, message: `${describeSite(site)} is not a valid image reference: ${reason}`, detail: siteIdentity(site) }];
  },
};
