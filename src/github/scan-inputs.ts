import { createHash } from "node:crypto";
import { parse } from "yaml";
import type { ActiveRule } from "../config/resolve.js";
import type { Rule } from "../rules/types.js";
import { ruleSetHash, type ConfigSource, type LastScan } from "./dashboard-state.js";
import type { ConfigFileRead } from "./repository-config.js";

/**
 * What a scan ran on, so that the scheduled sweep can tell in two requests
 * that a repository needs no new scan (src/github/sweep.ts):
 *
 * - the default branch's commit: it fixes the repository's own config file
 *   and, with it, its `_extends`;
 * - the app's rule catalog, so that an app with other rules scans again;
 * - the config files of other repositories that were read (the
 *   organisation's `.github` defaults, `_extends` targets): the sweep reads
 *   each of them once per installation, not once per repository;
 * - the `schedule` that held pull requests back, if one did;
 * - when a scan of the same commit may find something else (recheck.ts).
 */
export function lastScanOf(input: {
  sha: string;
  rules: readonly ActiveRule[];
  catalog: readonly Rule[];
  configFiles: readonly ConfigFileRead[];
  heldBy?: string | readonly string[] | undefined;
  recheckAt?: string | undefined;
}): LastScan {
  const heldBy = input.heldBy === undefined ? undefined : typeof input.heldBy === "string" ? [input.heldBy] : [...input.heldBy];
  return {
    sha: input.sha,
    rules: ruleSetHash(input.rules),
    catalog: catalogHash(input.catalog),
    configSources: configSourcesOf(input.configFiles),
    ...(heldBy ? { heldBy } : {}),
    ...(input.recheckAt ? { recheckAt: input.recheckAt } : {}),
  };
}

/** A short hash of the whole rule catalog as the app loaded it. */
export function catalogHash(catalog: readonly Rule[]): string {
  return createHash("sha256").update(JSON.stringify(catalog)).digest("hex").slice(0, 16);
}

/** The files read after the repository's own, each hashed with what it said and which file it extended. */
export function configSourcesOf(files: readonly ConfigFileRead[]): ConfigSource[] {
  return files.slice(1).map((file, index) => {
    const next = files[index + 2];
    return { file: configFileName(file), hash: configSourceHash(file.config, next ? configFileName(next) : null) };
  });
}

/** `owner/repo:path`, the names lower-cased (GitHub's are case-insensitive; paths are not). */
export function configFileName(file: { owner: string; repo: string; path: string }): string {
  return `${file.owner.toLowerCase()}/${file.repo.toLowerCase()}:${file.path}`;
}

/** A config file's settings (null: no such file) and the file its `_extends` named (null: none). */
export function configSourceHash(config: unknown, extendsFile: string | null): string {
  return createHash("sha256").update(JSON.stringify([config ?? null, extendsFile])).digest("hex").slice(0, 16);
}

/**
 * configSourceHash of a config file's text as the contents API returns it
 * (null: not found), read as Probot's config plugin reads it: YAML, empty
 * meaning `{}`, `_extends` naming another file (its owner defaulting to the
 * scanned repository's, its path to the same path). Undefined when the
 * plugin would not have accepted it: the scan that reads it says why.
 */
export function configTextHash(text: string | null, scanned: { owner: string; path: string }): string | undefined {
  if (text === null) return configSourceHash(null, null);
  let data: unknown;
  try {
    data = parse(text, { logLevel: "error" }) || {};
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const { _extends: extendsValue, ...settings } = data as Record<string, unknown>;
  if (extendsValue === undefined) return configSourceHash(settings, null);
  const target = extendsTarget(extendsValue, scanned);
  return target === undefined ? undefined : configSourceHash(settings, configFileName(target));
}

// As @probot/octokit-plugin-config reads `_extends`: [owner/]repo[:path.yml].
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

function extendsTarget(value: unknown, scanned: { owner: string; path: string }): { owner: string; repo: string; path: string } | undefined {
  if (typeof value !== "string") return undefined;
  const match = EXTENDS.exec(value);
  if (!match) return undefined;
  return { owner: match[1] || scanned.owner, repo: match[2] as string, path: match[3] || scanned.path };
}
