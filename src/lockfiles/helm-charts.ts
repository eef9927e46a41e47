import type { ParsedFile } from "../model/parsed-file.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { getText, isMap, type YamlMap } from "../yaml/nodes.js";
import { readHelmDependencies, type HelmDependency } from "./helm-lock-digest.js";

/** A Helm chart with dependencies, and where its lock is (or goes). */
export interface ChartWithDependencies {
  /** The chart's folder ("" at the workspace root). */
  dir: string;
  /** The folder as messages name it ("." at the root). */
  displayName: string;
  /** apiVersion v1 (Helm 2 style): dependencies may be in requirements.yaml, locked in requirements.lock. */
  v1: boolean;
  /** Chart.yaml, or requirements.yaml when a v1 chart has one. */
  depsFile: ParsedFile;
  depsRoot: YamlMap;
  /** As written (before Helm's sanitising). */
  deps: HelmDependency[];
  /** The lock, when there is one. */
  lockFile: ParsedFile | undefined;
  /** Where the lock is, or where `helm dependency update` would write it. */
  lockPath: string;
}

export const dirOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
export const inDir = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);
export const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
const rootOf = (file: ParsedFile | undefined) => file?.documents[0]?.root;

/** Every chart in the workspace that declares dependencies Helm can load. */
export function chartsWithDependencies(workspace: ParsedWorkspace): ChartWithDependencies[] {
  const byPath = new Map(workspace.files.map((file) => [file.path, file]));
  const charts: ChartWithDependencies[] = [];
  for (const chart of workspace.files) {
    if (chart.role !== "helm-chart") continue;
    const chartRoot = rootOf(chart);
    if (!isMap(chartRoot)) continue;
    const dir = dirOf(chart.path);
    const v1 = (getText(chartRoot, "apiVersion") ?? "v1") === "v1";
    const depsFile = (v1 ? byPath.get(inDir(dir, "requirements.yaml")) : undefined) ?? chart;
    const depsRoot = rootOf(depsFile);
    const deps = readHelmDependencies(depsRoot);
    if (!deps || deps.length === 0 || !isMap(depsRoot)) continue;
    const lockFile = (v1 ? byPath.get(inDir(dir, "requirements.lock")) : undefined) ?? byPath.get(inDir(dir, "Chart.lock"));
    const lockPath = lockFile?.path ?? inDir(dir, v1 ? "requirements.lock" : "Chart.lock");
    charts.push({ dir, displayName: dir === "" ? "." : dir, v1, depsFile, depsRoot, deps, lockFile, lockPath });
  }
  return charts;
}

/** A `@name` or `alias:name` repository's name, or undefined for a URL (or a local chart). */
export function repositoryAlias(repository: string): string | undefined {
  if (repository.startsWith("@")) return repository.slice(1);
  if (repository.startsWith("alias:")) return repository.slice("alias:".length);
  return undefined;
}

/** The lock entry Helm wrote for req[index]: the same index when the names agree, else the first of that name. */
export function lockedFor(lock: readonly HelmDependency[], req: HelmDependency, index: number): number {
  return lock[index]?.name === req.name ? index : lock.findIndex((dep) => dep.name === req.name);
}

/**
 * What resolveRepoNames does before Helm hashes: `@name` and `alias:name`
 * become the repository's URL, from the config, else from the lock entry Helm
 * wrote for it. Undefined when a name resolves nowhere.
 */
export function resolveRepositories(req: readonly HelmDependency[], lock: readonly HelmDependency[], repositories: Record<string, string>): HelmDependency[] | undefined {
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

/** The dependencies a lock records, as Go loads them (null when the key is missing), or undefined when Helm could not load the lock. */
export function lockDependencies(chart: ChartWithDependencies): HelmDependency[] | null | undefined {
  const root = rootOf(chart.lockFile);
  return isMap(root) ? readHelmDependencies(root) : undefined;
}
