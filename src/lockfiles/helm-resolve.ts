import { posix } from "node:path";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { getText, isMap } from "../yaml/nodes.js";
import { chartLookupKey, type ChartLookup, type LockfileLookups } from "./lookups.js";
import { inDir, lockDependencies, resolveRepositories, type ChartWithDependencies } from "./helm-charts.js";
import { helmHashReq, sanitizeHelmDependency, type HelmDependency } from "./helm-lock-digest.js";
import type { HelmLockEntry } from "./helm-lock-text.js";
import { mastermindsSatisfies, parseMastermindsConstraint, parseMastermindsVersion } from "./masterminds-constraint.js";

/** The dependencies to lock, with `@name` repositories resolved: or why Helm could not even start. */
export type ResolvablePlan = { ok: true; deps: HelmDependency[]; lookups: ChartLookup[] } | { ok: false; reason: string };

export type HelmResolution = { ok: true; entries: HelmLockEntry[]; digest: string } | { ok: false; reason: string };

const isOci = (repository: string) => repository.startsWith("oci://");
const isHttp = (repository: string) => /^https?:\/\//i.test(repository);

/**
 * What `helm dependency update` needs to resolve a chart's dependencies: each
 * `@name` repository's URL, and the repositories to ask for versions (an OCI
 * dependency with an exact version needs none).
 */
export function planHelmResolution(chart: ChartWithDependencies, repositories: Record<string, string>): ResolvablePlan {
  const deps = resolveRepositories(chart.deps.map(sanitizeHelmDependency), lockDependencies(chart) ?? [], repositories);
  if (!deps) {
    const names = chart.deps.filter((dep) => /^(@|alias:)/.test(dep.repository)).map((dep) => dep.repository);
    return { ok: false, reason: `${chart.depsFile.path} names the repository ${names.join(", ")}: add its URL under lockfiles.helm.repositories in the config` };
  }
  const lookups: ChartLookup[] = [];
  for (const dep of deps) {
    if (parseMastermindsConstraint(dep.version) === undefined) return { ok: false, reason: `dependency ${dep.name} has an invalid version constraint "${dep.version}"` };
    const local = dep.repository === "" || dep.repository.startsWith("file://");
    if (local || (isOci(dep.repository) && parseMastermindsVersion(dep.version))) continue;
    if (!isOci(dep.repository) && !isHttp(dep.repository)) return { ok: false, reason: `dependency ${dep.name}: Shipshape cannot read the repository ${dep.repository}` };
    lookups.push({ repository: dep.repository, chart: dep.name });
  }
  return { ok: true, deps, lookups };
}

/**
 * Helm's resolver (pkg/resolver Resolve): each dependency is locked to the
 * first version its repository lists (newest first) that satisfies the
 * constraint; a chart in `charts/` keeps the constraint as its version, a
 * `file://` chart its own version, an OCI dependency with an exact version
 * that version. The digest is HashReq of the dependencies and the new lock.
 */
export function resolveHelmLock(chart: ChartWithDependencies, plan: Extract<ResolvablePlan, { ok: true }>, versions: LockfileLookups["chartVersions"], workspace: ParsedWorkspace): HelmResolution {
  const entries: HelmLockEntry[] = [];
  const missing: string[] = [];
  for (const dep of plan.deps) {
    const locked = lockedVersion(chart, dep, versions, workspace);
    if (typeof locked === "object") return locked;
    if (locked === undefined) missing.push(dep.name);
    else entries.push({ name: dep.name, repository: dep.repository, version: locked });
  }
  if (missing.length > 0) return { ok: false, reason: `no version of ${missing.join(", ")} satisfies ${chart.depsFile.path}'s constraint` };
  const lockDeps: HelmDependency[] = entries.map((entry) => ({ ...entry, condition: "", tags: null, enabled: false, importValues: null, alias: "" }));
  return { ok: true, entries, digest: helmHashReq(plan.deps, lockDeps) };
}

/** The version Helm locks for one dependency; undefined when none satisfies; a reason when it cannot tell. */
function lockedVersion(chart: ChartWithDependencies, dep: HelmDependency, versions: LockfileLookups["chartVersions"], workspace: ParsedWorkspace): string | undefined | { ok: false; reason: string } {
  if (dep.repository === "") {
    const present = workspace.files.some((file) => file.path.startsWith(`${inDir(chart.dir, `charts/${dep.name}`)}/`));
    return present ? dep.version : { ok: false, reason: `dependency ${dep.name} has no repository and ${inDir(chart.dir, `charts/${dep.name}`)} is not in the repository` };
  }
  if (dep.repository.startsWith("file://")) return localChartVersion(chart, dep, workspace);
  if (isOci(dep.repository) && parseMastermindsVersion(dep.version)) return dep.version;
  const found = versions.get(chartLookupKey({ repository: dep.repository, chart: dep.name }));
  if (!found) return { ok: false, reason: `the versions of ${dep.name} were not looked up` };
  if (!found.ok) return { ok: false, reason: found.reason };
  return found.versions.find((version) => mastermindsSatisfies(version, dep.version) === true);
}

function localChartVersion(chart: ChartWithDependencies, dep: HelmDependency, workspace: ParsedWorkspace): string | undefined | { ok: false; reason: string } {
  const relative = dep.repository.slice("file://".length);
  const path = posix.normalize(inDir(chart.dir, relative));
  const local = path.startsWith("../") || relative.startsWith("/") ? undefined : workspace.files.find((file) => file.path === inDir(path, "Chart.yaml"));
  const root = local?.documents[0]?.root;
  const version = isMap(root) ? getText(root, "version") : undefined;
  if (version === undefined) return { ok: false, reason: `dependency ${dep.name}: no chart with a version at ${dep.repository} in the repository` };
  return mastermindsSatisfies(version, dep.version) === true ? version : undefined;
}
