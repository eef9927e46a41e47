import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import type { RegistryClient, RegistryStats } from "../registry/types.js";
import type { Finding } from "../scan/finding.js";
import { rescanWithDigests, type ScanResult } from "../scan/scan.js";
import { lookupKey, lookUpDigests, NO_DIGESTS, type DigestTable, type ImageLookup } from "./lookup.js";

export interface LookupStepResult {
  /** The scan, with the findings of checks that needed digests. */
  scanned: ScanResult;
  digests: DigestTable;
  /** Checks that could not judge an image, one sentence each (pins that could not be looked up are skipped fixes instead). */
  problems: string[];
  /** Requests made, when the registry was asked at all. */
  stats?: RegistryStats;
}

/**
 * The async step between scan and fix: looks up what checks need
 * (image-digest-outdated) and, when fixing, the digest of every pinnable
 * image finding, then lets the checks judge. Without anything to look up,
 * the registry is never asked.
 */
export async function runLookupStep(
  scanned: ScanResult,
  options: { rules: readonly ActiveRule[]; fixSettings?: FixSettings; client: () => RegistryClient | Promise<RegistryClient>; fixing: boolean },
): Promise<LookupStepResult> {
  const wanted = [...scanned.lookups, ...(options.fixing ? pinLookups(scanned.findings) : [])];
  if (wanted.length === 0) return { scanned, digests: NO_DIGESTS, problems: [] };
  const client = await options.client();
  const digests = await lookUpDigests(wanted, client);
  const problems = [...new Set(scanned.lookups.map(lookupKey))].flatMap((key) => {
    const result = digests.get(key);
    return result && !result.ok ? [`could not check whether a pinned digest is current: ${result.reason}`] : [];
  });
  return { scanned: rescanWithDigests(scanned, options.rules, options.fixSettings, digests), digests, problems, stats: client.stats() };
}

/** The tags the pins of these findings need. */
export function pinLookups(findings: readonly Finding[]): ImageLookup[] {
  return findings.flatMap((finding) => (finding.fixable && finding.image?.lookup ? [finding.image.lookup] : []));
}
