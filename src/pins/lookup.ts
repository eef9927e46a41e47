import type { ImageReferenceSite } from "../images/site.js";
import type { DigestResult, RegistryClient } from "../registry/types.js";

/** One tag to resolve to the digest it points to now. */
export interface ImageLookup {
  /** As in ImageReference: "docker.io" for Docker Hub, whose repositories carry `library/`. */
  registry: string;
  repository: string;
  tag: string;
}

/** Digests found by the look-up step, by lookupKey. Absent keys were not looked up. */
export type DigestTable = ReadonlyMap<string, DigestResult>;

export const NO_DIGESTS: DigestTable = new Map();

export function lookupKey(lookup: ImageLookup): string {
  return `${lookup.registry}/${lookup.repository}:${lookup.tag}`;
}

/**
 * The tag a site deploys, to look up: the tag written (or the chart's
 * appVersion a Helm image falls back to), and "latest" when there is none,
 * as the container runtime does.
 */
export function lookupOfSite(site: ImageReferenceSite): ImageLookup | undefined {
  const reference = site.reference;
  if (!reference) return undefined;
  const fromChart = site.details.tagFrom === "chart-appVersion" ? site.details.appVersion : undefined;
  return { registry: reference.registry, repository: reference.repository, tag: reference.tag ?? fromChart ?? "latest" };
}

/**
 * The async step between scan and fix: resolves each distinct tag once,
 * all registries at once (the client limits requests per registry). Never
 * rejects: failures are DigestResults that say why.
 */
export async function lookUpDigests(lookups: readonly ImageLookup[], client: RegistryClient): Promise<DigestTable> {
  const unique = new Map(lookups.map((lookup) => [lookupKey(lookup), lookup]));
  const entries = await Promise.all(
    [...unique].map(async ([key, lookup]) => [key, await client.resolveDigest({ ...lookup, digest: undefined })] as const),
  );
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
