import type { CheckContext, WorkspaceHit } from "../checks/types.js";
import { plural } from "../report/plural.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { getText, isMap } from "../yaml/nodes.js";
import { baseName, chartsWithDependencies } from "./helm-charts.js";
import { describeChanges, refreshHelmLock } from "./helm-refresh.js";
import { planHelmResolution } from "./helm-resolve.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Lock file maintenance, as Renovate does it: a Chart.lock generated longer
 * ago than `maxAgeDays` whose dependencies now resolve to newer allowed
 * versions. The versions come from the look-up step; before it has run (or
 * when a repository could not be asked) nothing is reported.
 */
export function helmLockMaintenance(workspace: ParsedWorkspace, maxAgeDays: number, context: CheckContext): WorkspaceHit[] {
  const repositories = context.settings.lockfiles.helm.repositories;
  const hits: WorkspaceHit[] = [];
  for (const chart of chartsWithDependencies(workspace)) {
    const lockRoot = chart.lockFile?.documents[0]?.root;
    if (!chart.lockFile || !isMap(lockRoot)) continue;
    const generated = Date.parse(getText(lockRoot, "generated") ?? "");
    const ageDays = Number.isNaN(generated) ? undefined : Math.floor((context.now.getTime() - generated) / DAY_MS);
    if (ageDays !== undefined && ageDays < maxAgeDays) continue;
    const plan = planHelmResolution(chart, repositories);
    if (!plan.ok) continue;
    for (const lookup of plan.lookups) context.wantChartVersions?.(lookup);
    const refresh = refreshHelmLock(chart, workspace, repositories, context.lockfiles);
    const changes = refresh.state === "resolved" ? refresh.changes : [];
    if (refresh.state === "pending" || changes.length === 0) continue;
    const age = ageDays === undefined ? "has no valid generated time" : `was generated ${ageDays} ${plural(ageDays, "day")} ago`;
    const pair = lockRoot.pairs.get("generated");
    hits.push({
      file: chart.lockFile.path,
      offset: pair ? pair.key.offset : lockRoot.offset,
      message: `${baseName(chart.lockFile.path)} of ${chart.displayName} ${age}; newer versions are allowed: ${describeChanges(changes)}`,
      detail: "maintenance",
      lockfile: { path: chart.lockPath, ...(refresh.state === "blocked" ? { notFixable: refresh.reason } : {}) },
    });
  }
  return hits;
}
