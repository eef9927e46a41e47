import type { WorkspaceHit, CheckContext } from "../checks/types.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { getText, isMap, isSeq, type YamlMap } from "../yaml/nodes.js";
import { baseName, chartsWithDependencies, lockDependencies, lockedFor, resolveRepositories, type ChartWithDependencies } from "./helm-charts.js";
import { helmHashReq, helmHashV2Req, sanitizeHelmDependency } from "./helm-lock-digest.js";
import { refreshHelmLock } from "./helm-refresh.js";
import { mastermindsSatisfies } from "./masterminds-constraint.js";

/**
 * Helm charts whose lock is stale, exactly as `helm dependency build` judges
 * it: the lock's digest is not the one Helm computes from the chart's
 * dependencies and the lock's (resolver.HashReq; for apiVersion v1 charts
 * Helm 2's digest is accepted too), a chart with dependencies has no lock, or
 * a locked version no longer satisfies its constraint (Masterminds semver).
 * Each hit says whether the lock can be refreshed (see refreshHelmLock).
 */
export function helmLockfileProblems(workspace: ParsedWorkspace, context: CheckContext): WorkspaceHit[] {
  const repositories = context.settings.lockfiles.helm.repositories;
  return chartsWithDependencies(workspace).flatMap((chart) => {
    const hits = problemsOf(chart, repositories);
    if (hits.length === 0) return [];
    const refresh = refreshHelmLock(chart, workspace, repositories, context.lockfiles);
    const lockfile = { path: chart.lockPath, ...(refresh.state === "blocked" ? { notFixable: refresh.reason } : {}) };
    return hits.map((hit) => ({ ...hit, lockfile }));
  });
}

function problemsOf(chart: ChartWithDependencies, repositories: Record<string, string>): WorkspaceHit[] {
  const depsName = baseName(chart.depsFile.path);
  const lockFile = chart.lockFile;
  if (!lockFile) {
    const offset = chart.depsRoot.pairs.get("dependencies")?.key.offset ?? 0;
    return [{ file: chart.depsFile.path, offset, message: `${chart.displayName} has dependencies but no ${baseName(chart.lockPath)}`, detail: "lock missing" }];
  }
  const lockRoot = lockFile.documents[0]?.root;
  const lock = lockDependencies(chart);
  if (!isMap(lockRoot) || lock === undefined) return [];
  const lockName = baseName(lockFile.path);
  const req = chart.deps.map(sanitizeHelmDependency);
  const hits: WorkspaceHit[] = [];
  const resolved = resolveRepositories(req, lock ?? [], repositories);
  if (resolved) {
    const computed = helmHashReq(resolved, lock);
    const digestPair = lockRoot.pairs.get("digest");
    const digest = getText(lockRoot, "digest") ?? "";
    const accepted = digest === computed || (chart.v1 && digest === helmHashV2Req(req));
    if (!accepted) {
      const written = digest === "" ? "has no digest" : `digest ${digest} does not match ${depsName}'s dependencies`;
      hits.push({
        file: lockFile.path,
        offset: digestPair ? digestPair.value.offset : lockRoot.offset,
        message: `${lockName} ${written} (Helm computes ${computed}): run \`helm dependency update ${chart.displayName}\``,
        detail: "digest",
      });
    }
  }
  const lockItems = lockRoot.pairs.get("dependencies")?.value;
  for (const [index, dep] of req.entries()) {
    if (dep.version === "" || !lock) continue;
    const at = lockedFor(lock, dep, index);
    const locked = lock[at];
    if (!locked || locked.version === "" || mastermindsSatisfies(locked.version, dep.version) !== false) continue;
    const item = isSeq(lockItems) ? lockItems.items[at] : undefined;
    const versionNode = isMap(item) ? (item as YamlMap).pairs.get("version")?.value : undefined;
    hits.push({
      file: lockFile.path,
      offset: versionNode?.offset ?? lockRoot.offset,
      message: `${dep.name} ${locked.version} in ${lockName} does not satisfy ${depsName}'s ${dep.version}`,
      detail: `version ${dep.alias || dep.name}`,
    });
  }
  return hits;
}
