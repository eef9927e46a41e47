import { posix } from "node:path";
import semver from "semver";
import type { WorkspaceHit } from "../checks/types.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { jsonKeyOffsets } from "./json-keys.js";

const LOCK_NAMES = new Set(["package-lock.json", "npm-shrinkwrap.json"]);
/** The dependency lists of package.json that `npm ci` checks against the lock's root entry. */
const GROUPS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;
type Group = (typeof GROUPS)[number];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const stringsOf = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isObject(value) ? value : {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));

/**
 * The version range a dependency spec asks of the registry, or undefined
 * when the spec is not a registry range (a tag, `file:`, `link:`, git, a URL,
 * `user/repo`, `workspace:`): those are checked for presence only.
 * `npm:pkg@range` aliases give their range.
 */
export function registryRange(spec: string): string | undefined {
  const alias = /^npm:(?:@[^/@]+\/)?[^@]+(?:@(.*))?$/.exec(spec);
  const range = alias ? (alias[1] ?? "*") : spec;
  if (/^[a-z+]+:/i.test(range) || range.includes("/")) return undefined;
  return semver.validRange(range, { loose: true }) === null ? undefined : range;
}

/**
 * Stale npm lockfiles (v2/v3), exactly where `npm ci` refuses them: the lock's
 * root entry (`packages[""]`) lists other dependencies than package.json, a
 * dependency is missing from `packages["node_modules/<name>"]` (optional
 * dependencies and optional peers may be), or the locked version is outside
 * the range. Findings point at package.json's dependency line (at the lock's
 * root entry for a dependency package.json no longer has). A lockfileVersion 1
 * lock is too old to judge, and says so. `workspace:` specs (not npm's) are
 * left out; workspaces' own package.json files are not judged.
 */
export function npmLockfileProblems(workspace: ParsedWorkspace): WorkspaceHit[] {
  const byPath = new Map(workspace.files.map((file) => [file.path, file]));
  const hits: WorkspaceHit[] = [];
  for (const lockFile of workspace.files) {
    const name = posix.basename(lockFile.path);
    if (lockFile.role !== "lockfile" || !LOCK_NAMES.has(name)) continue;
    const manifestPath = posix.join(posix.dirname(lockFile.path), "package.json");
    const manifestFile = byPath.get(manifestPath);
    if (!manifestFile || manifestFile.role === "other") continue;
    const lockfile = { path: lockFile.path };
    hits.push(...problemsOf(lockFile, manifestFile, `run \`npm install\` and commit ${lockFile.path}`).map((hit) => ({ ...hit, lockfile })));
  }
  return hits;
}

function parsed(file: ParsedFile): { json: Json; keys: Map<string, number> } | undefined {
  try {
    const json: unknown = JSON.parse(file.text);
    const keys = jsonKeyOffsets(file.text);
    return isObject(json) && keys ? { json, keys } : undefined;
  } catch {
    return undefined;
  }
}

function problemsOf(lockFile: ParsedFile, manifestFile: ParsedFile, fix: string): WorkspaceHit[] {
  const lock = parsed(lockFile);
  const manifest = parsed(manifestFile);
  if (!lock || !manifest) return [];
  const version = lock.json["lockfileVersion"];
  if (version !== 2 && version !== 3) {
    const offset = lock.keys.get("lockfileVersion") ?? 0;
    const message = `${lockFile.path} has lockfileVersion ${String(version ?? "1")}, too old for this check (npm 7 or later writes version 2 or 3): run \`npm install\` with npm 7 or later and commit ${lockFile.path}`;
    return [{ file: lockFile.path, offset, detail: "lockfile-version", message }];
  }
  const packages = isObject(lock.json["packages"]) ? lock.json["packages"] : {};
  const root = isObject(packages[""]) ? packages[""] : {};
  const peerMeta = isObject(manifest.json["peerDependenciesMeta"]) ? manifest.json["peerDependenciesMeta"] : {};
  const hits: WorkspaceHit[] = [];
  for (const group of GROUPS) {
    const wanted = stringsOf(manifest.json[group]);
    const locked = stringsOf(root[group]);
    for (const [dependency, spec] of Object.entries(wanted)) {
      if (spec.startsWith("workspace:")) continue; // pnpm and Yarn's protocol: npm cannot install it at all
      const at = (problem: string, message: string): WorkspaceHit => ({
        file: manifestFile.path,
        offset: manifest.keys.get(`${group}\0${dependency}`) ?? 0,
        detail: `${group}:${dependency}:${problem}`,
        message: `${message}: ${fix}`,
      });
      const entry = packages[`node_modules/${dependency}`];
      const optional = group === "optionalDependencies" || (group === "peerDependencies" && isObject(peerMeta[dependency]) && peerMeta[dependency]["optional"] === true);
      if (!isObject(entry)) {
        if (!optional) hits.push(at("missing", `${manifestFile.path} ${describe(group)} ${dependency}@${spec}, which ${lockFile.path} does not lock`));
        continue;
      }
      const range = registryRange(spec);
      const lockedVersion = typeof entry["version"] === "string" ? entry["version"] : undefined;
      if (range !== undefined && lockedVersion !== undefined && semver.valid(lockedVersion, { loose: true }) && !semver.satisfies(lockedVersion, range, { loose: true })) {
        hits.push(at("outside", `${manifestFile.path} ${describe(group)} ${dependency}@${spec}, but ${lockFile.path} locks ${lockedVersion}`));
        continue;
      }
      if (locked[dependency] !== spec) {
        const recorded = locked[dependency] === undefined ? "does not list it" : `records ${dependency}@${locked[dependency]}`;
        hits.push(at("root", `${manifestFile.path} ${describe(group)} ${dependency}@${spec}, but the root entry of ${lockFile.path} ${recorded}`));
      }
    }
    for (const [dependency, spec] of Object.entries(locked)) {
      if (wanted[dependency] !== undefined) continue;
      hits.push({
        file: lockFile.path,
        offset: lock.keys.get(`packages\0\0${group}\0${dependency}`) ?? 0,
        detail: `${group}:${dependency}:extra`,
        message: `${lockFile.path} locks ${dependency}@${spec} in ${group}, which ${manifestFile.path} no longer lists: ${fix}`,
      });
    }
  }
  return hits;
}

function describe(group: Group): string {
  switch (group) {
    case "dependencies":
      return "depends on";
    case "devDependencies":
      return "has a dev dependency on";
    case "optionalDependencies":
      return "has an optional dependency on";
    case "peerDependencies":
      return "has a peer dependency on";
  }
}
