import type { ActiveRule } from "../config/resolve.js";
import { DEFAULT_FIX_SETTINGS, type FixSettings } from "../config/types.js";
import { createChartRepositoryClient } from "../helm-repos/client.js";
import type { ChartRepositoryClient, ChartRepositoryClientOptions, ChartRepositoryStats } from "../helm-repos/types.js";
import { lookUpLockfiles } from "../lockfiles/lockfile-look-ups.js";
import { NO_LOCKFILE_LOOKUPS, type LockfileLookups } from "../lockfiles/lookups.js";
import type { RegistryClient, RegistryStats } from "../registry/types.js";
import type { Finding } from "../scan/finding.js";
import { rescanWithLookups, type ScanResult } from "../scan/scan.js";
import { lookupKey, lookUpDigests, NO_DIGESTS, type DigestTable, type ImageLookup } from "./lookup.js";

export interface LookupStepResult {
  /** The scan, with the findings of checks that needed look-ups. */
  scanned: ScanResult;
  digests: DigestTable;
  /** Chart versions and regenerated npm locks. */
  lockfiles: LockfileLookups;
  /** Checks that could not judge, one sentence each (pins that could not be looked up are skipped fixes instead). */
  problems: string[];
  /** Registry requests made, when a registry was asked at all. */
  stats?: RegistryStats;
  /** Chart repository requests made, when one was asked at all. */
  chartStats?: ChartRepositoryStats;
}

export interface LookupStepOptions {
  rules: readonly ActiveRule[];
  fixSettings?: FixSettings;
  /** Made once, when something needs a registry. */
  client: () => RegistryClient | Promise<RegistryClient>;
  /** Made once, when something needs a chart repository. Default: one with default settings on `client`'s registry client. */
  charts?: () => ChartRepositoryClient | Promise<ChartRepositoryClient>;
  /** Nothing may use the network (npm is not run either). */
  offline?: boolean;
  fixing: boolean;
}

/**
 * The async step between scan and fix: looks up what checks need
 * (image-digest-outdated, lockfile-maintenance) and, when fixing, what the
 * fixes of fixable findings need (digests of pins, chart versions, npm
 * locks), then lets the checks judge again. Without anything to look up,
 * nothing is asked.
 */
export async function runLookupStep(scanned: ScanResult, options: LookupStepOptions): Promise<LookupStepResult> {
  const fixSettings = options.fixSettings ?? DEFAULT_FIX_SETTINGS;
  let chartClient: Promise<ChartRepositoryClient> | undefined;
  const charts = () => (chartClient ??= (async () => (options.charts ? options.charts() : createChartRepositoryClient({ registry: await options.client() })))());
  const wanted = [...scanned.lookups, ...(options.fixing ? pinLookups(scanned.findings) : [])];
  const registry = wanted.length > 0 ? await options.client() : undefined;
  const [digests, locked] = await Promise.all([
    registry ? lookUpDigests(wanted, registry) : NO_DIGESTS,
    lookUpLockfiles(scanned, { rules: options.rules, fixSettings, charts, offline: options.offline === true, fixing: options.fixing }),
  ]);
  if (!registry && !locked) return { scanned, digests, lockfiles: NO_LOCKFILE_LOOKUPS, problems: [] };
  const lockfiles = locked?.lockfiles ?? NO_LOCKFILE_LOOKUPS;
  const digestProblems = [...new Set(scanned.lookups.map(lookupKey))].flatMap((key) => {
    const result = digests.get(key);
    return result && !result.ok ? [`could not check whether a pinned digest is current: ${result.reason}`] : [];
  });
  return {
    scanned: rescanWithLookups(scanned, options.rules, options.fixSettings, { digests, lockfiles }),
    digests,
    lockfiles,
    problems: [...digestProblems, ...(locked?.problems ?? [])],
    ...(registry ? { stats: registry.stats() } : {}),
    ...(locked && locked.lockfiles.chartVersions.size > 0 ? { chartStats: (await charts()).stats() } : {}),
  };
}

/**
 * The clients of one run, made when first needed: one registry client (digests, and OCI charts' tags) and one
 * chart repository client on top of it.
 */
export function lazyLookupClients(
  makeRegistry: () => RegistryClient | Promise<RegistryClient>,
  chartOptions: Omit<ChartRepositoryClientOptions, "registry">,
): Required<Pick<LookupStepOptions, "client" | "charts">> {
  let registry: Promise<RegistryClient> | undefined;
  const client = () => (registry ??= Promise.resolve(makeRegistry()));
  return { client, charts: async () => createChartRepositoryClient({ ...chartOptions, registry: await client() }) };
}

/** The tags the pins of these findings need. */
export function pinLookups(findings: readonly Finding[]): ImageLookup[] {
  return findings.flatMap((finding) => (finding.fixable && finding.image?.lookup ? [finding.image.lookup] : []));
}
