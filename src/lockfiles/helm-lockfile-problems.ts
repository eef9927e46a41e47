import type { WorkspaceHit, CheckContext } from "../checks/types.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { getText, isMap, isSeq, type YamlMap } from "../yaml/nodes.js";
import { helmHashReq, helmHashV2Req, readHelmDependencies, sanitizeHelmDependency, type HelmDependency } from "./helm-lock-digest.js";
import { mastermindsSatisfies } from "./masterminds-constraint.js";

const dirOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const inDir = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);
const rootOf = (file: ParsedFile | undefined) => file?.documents[0]?.root;

/** A `@name` or `alias:name` repository's name, or undefined for a URL (or a local chart). */
function repositoryAlias(repository: string): string | undefined {
  if (repository.startsWith("@")) return repository.slice(1);
  if (repository.startsWith("alias:")) return repository.slice("alias:".length);
  return undefined;
}

/** The lock entry Helm wrote for req[index]: the same index when the names agree, else the first of that name. */
function lockedFor(lock: readonly HelmDependency[], req: HelmDependency, index: number): number {
  return lock[index]?.name === req.name ? index : lock.findIndex((dep) => dep.name === req.name);
}

/**
 * What resolveRepoNames does before Helm hashes: `@name` and `alias:name`
 * become the repository's URL, from the config, else from the lock entry Helm
 * wrote for it. Undefined when a name resolves nowhere.
 */
function resolveRepositories(req: readonly HelmDependency[], lock: readonly HelmDependency[], repositories: Record<string, string>): HelmDependency[] | undefined {
  const resolved: HelmDependency[] = [];
  for (const [index, dep] of req.entries()) {
    const alias = repositoryAlias(dep.repository);
    if (alias === undefined) {
      resolved.push(dep);
      continue;
    }
    const locked = lock[lockedFor(lock, dep, index)]?.repository;
    const url = Object.hasOwn(repositories, alias) ? repositories[alias] : locked !== undefined && repositoryAlias(locked) === undefined ? locked : undefined;
    if (url === undefined) return undefined;
    resolved.push({ ...dep, repository: url });
  }
  return resolved;
}

/**
 * Helm charts whose lock is stale, exactly as `helm dependency build` judges
 * it: the lock's digest is not the one Helm computes from the chart's
 * dependencies and the lock's (resolver.HashReq; for apiVersion v1 charts
 * Helm 2's digest is accepted too), a chart with dependencies has no lock, or
 * a locked version no longer satisfies its constraint (Masterminds semver).
 */
export function helmLockfileProblems(workspace: ParsedWorkspace, { settings }: CheckContext): WorkspaceHit[] {
  const byPath = new Map(workspace.files.map((file) => [file.path, file]));
  const hits: WorkspaceHit[] = [];
  for (const chart of workspace.files) {
    if (chart.role !== "helm-chart") continue;
    const chartRoot = rootOf(chart);
    if (!isMap(chartRoot)) continue;
    const dir = dirOf(chart.path);
    const v1 = (getText(chartRoot, "apiVersion") ?? "v1") === "v1";
    const requirements = v1 ? byPath.get(inDir(dir, "requirements.yaml")) : undefined;
    const depsFile = requirements ?? chart;
    const depsRoot = rootOf(depsFile);
    const deps = readHelmDependencies(depsRoot);
    if (!deps || deps.length === 0 || !isMap(depsRoot)) continue;
    const lockFile = (v1 ? byPath.get(inDir(dir, "requirements.lock")) : undefined) ?? byPath.get(inDir(dir, "Chart.lock"));
    const depsName = depsFile.path.slice(dir === "" ? 0 : dir.length + 1);
    const chartName = dir === "" ? "." : dir;
    if (!lockFile) {
      const lockName = v1 ? "requirements.lock" : "Chart.lock";
      const offset = depsRoot.pairs.get("dependencies")?.key.offset ?? 0;
      hits.push({ file: depsFile.path, offset, message: `${chartName} has dependencies but no ${lockName}`, detail: "lock missing" });
      continue;
    }
    hits.push(...lockProblems(lockFile, deps, depsName, chartName, v1, settings.lockfiles.helm.repositories));
  }
  return hits;
}

function lockProblems(lockFile: ParsedFile, rawDeps: HelmDependency[], depsName: string, chartName: string, v1: boolean, repositories: Record<string, string>): WorkspaceHit[] {
  const lockRoot = rootOf(lockFile);
  const lock = readHelmDependencies(lockRoot);
  if (!isMap(lockRoot) || lock === undefined) return [];
  const lockName = lockFile.path.slice(lockFile.path.lastIndexOf("/") + 1);
  const req = rawDeps.map(sanitizeHelmDependency);
  const hits: WorkspaceHit[] = [];
  const resolved = resolveRepositories(req, lock ?? [], repositories);
  if (resolved) {
    const computed = helmHashReq(resolved, lock);
    const digestPair = lockRoot.pairs.get("digest");
    const digest = getText(lockRoot, "digest") ?? "";
    const accepted = digest === computed || (v1 && digest === helmHashV2Req(req));
    if (!accepted) {
      const written = digest === "" ? "has no digest" : `digest ${digest} does not match ${depsName}'s dependencies`;
      hits.push({
        file: lockFile.path,
        offset: digestPair ? digestPair.value.offset : lockRoot.offset,
        message: `${lockName} ${written} (Helm computes ${computed}): run \`helm dependency update ${chartName}\``,
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
