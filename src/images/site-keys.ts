import type { ImageReferenceSite } from "./site.js";

/**
 * Names each site of one file by where it is written, not by what it says:
 * kind, document and YAML path (the mapping holding a split reference), and
 * its rank among sites that share those (Dockerfile stages have no path).
 * A pin or an edit elsewhere in the file keeps the name, so the fix engine
 * finds the site again in the edited text.
 */
export function siteKeys(sites: readonly ImageReferenceSite[]): Map<ImageReferenceSite, string> {
  const keys = new Map<ImageReferenceSite, string>();
  const seen = new Map<string, number>();
  for (const site of sites) {
    const where = `${site.file}|${site.kind}|${site.document ?? ""}|${JSON.stringify(site.holder?.path ?? site.path ?? [])}`;
    const rank = seen.get(where) ?? 0;
    seen.set(where, rank + 1);
    keys.set(site, `${where}|${rank}`);
  }
  return keys;
}
