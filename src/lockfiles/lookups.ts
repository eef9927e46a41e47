import type { ChartVersionsResult } from "../helm-repos/types.js";
import type { RegeneratedLock } from "./npm-regenerate.js";

/** A chart whose versions a repository is asked for: an http(s) repository URL or `oci://host/path`, and the chart's name. */
export interface ChartLookup {
  repository: string;
  chart: string;
}

/** What the look-up step found for lockfile checks and their fix. */
export interface LockfileLookups {
  /** Versions per chart, by chartLookupKey. */
  chartVersions: ReadonlyMap<string, ChartVersionsResult>;
  /** Regenerated package-lock.json texts, by the lockfile's path. */
  npmLocks: ReadonlyMap<string, RegeneratedLock>;
}

export const NO_LOCKFILE_LOOKUPS: LockfileLookups = { chartVersions: new Map(), npmLocks: new Map() };

export const chartLookupKey = (lookup: ChartLookup): string => JSON.stringify([lookup.repository, lookup.chart]);
