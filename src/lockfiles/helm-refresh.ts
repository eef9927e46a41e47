import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { baseName, inDir, lockDependencies, type ChartWithDependencies } from "./helm-charts.js";
import type { HelmLockEntry } from "./helm-lock-text.js";
import { planHelmResolution, resolveHelmLock, type ResolvablePlan } from "./helm-resolve.js";
import { chartLookupKey, type LockfileLookups } from "./lookups.js";

/** A chart's lock as `helm dependency update` would write it now, or why Shipshape cannot write it (yet). */
export type HelmRefresh =
  | { state: "resolved"; entries: HelmLockEntry[]; digest: string; changes: VersionChange[] }
  /** The versions have not been looked up: fixable as far as anyone knows. */
  | { state: "pending"; plan: Extract<ResolvablePlan, { ok: true }> }
  | { state: "blocked"; reason: string };

export interface VersionChange {
  name: string;
  /** The version the lock has now; undefined when it has none. */
  from: string | undefined;
  to: string;
}

/** Resolves a chart's dependencies with what the look-up step found, as far as it can. */
export function refreshHelmLock(chart: ChartWithDependencies, workspace: ParsedWorkspace, repositories: Record<string, string>, lookups: LockfileLookups | undefined): HelmRefresh {
  const plan = planHelmResolution(chart, repositories);
  if (!plan.ok) return { state: "blocked", reason: plan.reason };
  const versions = lookups?.chartVersions ?? new Map();
  if (plan.lookups.some((lookup) => !versions.has(chartLookupKey(lookup)))) return { state: "pending", plan };
  const resolved = resolveHelmLock(chart, plan, versions, workspace);
  if (!resolved.ok) return { state: "blocked", reason: resolved.reason };
  const locked = lockDependencies(chart) ?? [];
  const changes = resolved.entries.flatMap((entry, index): VersionChange[] => {
    const before = locked[index]?.name === entry.name ? locked[index] : locked.find((dep) => dep.name === entry.name);
    return before?.version === entry.version ? [] : [{ name: entry.name, from: before?.version || undefined, to: entry.version }];
  });
  const vendored = vendoredArchives(chart, workspace, changes);
  if (vendored.length > 0) {
    return { state: "blocked", reason: `${vendored.join(", ")} ${vendored.length === 1 ? "is" : "are"} committed: run \`helm dependency update ${chart.displayName}\` so the archives match the new lock` };
  }
  return { state: "resolved", entries: resolved.entries, digest: resolved.digest, changes };
}

/** Committed archives (`charts/<name>-<version>.tgz`) of versions the new lock moves away from. */
function vendoredArchives(chart: ChartWithDependencies, workspace: ParsedWorkspace, changes: readonly VersionChange[]): string[] {
  const charts = inDir(chart.dir, "charts/");
  const archives = new Set(workspace.files.filter((file) => file.path.startsWith(charts) && file.path.endsWith(".tgz")).map((file) => baseName(file.path)));
  return changes.filter((change) => change.from !== undefined && archives.has(`${change.name}-${change.from}.tgz`)).map((change) => `${charts}${change.name}-${change.from}.tgz`);
}

/** "redis 17.3.1 → 17.3.14, common 2.2.5" */
export function describeChanges(changes: readonly VersionChange[]): string {
  return changes.map((change) => `${change.name} ${change.from === undefined ? change.to : `${change.from} → ${change.to}`}`).join(", ");
}
