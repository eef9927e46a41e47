import { lookupKey, lookupOfSite } from "../pins/lookup.js";
import { describeSite, siteIdentity, siteImage } from "./image-site.js";
import { NO_PARAMS, type ImageCheck } from "./types.js";

/** A `tag@digest` pin whose tag has moved on: the pin holds back what the tag now names. Needs the look-up step. */
export const imageDigestOutdated: ImageCheck = {
  name: "image-digest-outdated",
  scope: "image",
  judgesTag: true,
  paramsSchema: NO_PARAMS,
  lookup(site) {
    const image = siteImage(site);
    return image?.digest !== undefined && image.tag !== undefined ? lookupOfSite(site) : undefined;
  },
  run(site, _params, digests) {
    const lookup = this.lookup?.(site);
    const pinned = siteImage(site)?.digest;
    const current = lookup ? digests.get(lookupKey(lookup)) : undefined;
    if (!lookup || !current?.ok || current.digest === pinned) return [];
    const message = `${describeSite(site)} is pinned to ${shortDigest(pinned)}, but :${lookup.tag} now points to ${shortDigest(current.digest)}`;
    return [{ offset: site.offset, message, detail: siteIdentity(site) }];
  },
};

function shortDigest(digest: string | undefined): string {
  return digest === undefined ? "?" : digest.slice(0, digest.indexOf(":") + 13);
}
