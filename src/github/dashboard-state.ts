import { createHash } from "node:crypto";
import type { ActiveRule } from "../config/resolve.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { parseJsonObject } from "../json-object.js";

/** The label of the one dashboard issue a repository has. */
export const DASHBOARD_LABEL = "shipshape-dashboard";
export const DASHBOARD_TITLE = "Shipshape dashboard";

/** `/shipshape ignore <rule> [path-glob]`: findings of the rule (under the glob, if given) are left out from the next scan on. */
export interface DashboardIgnore {
  rule: string;
  path?: string;
  /** Who asked, for people reading the dashboard. */
  by: string;
}

/** What Shipshape remembers about a repository, kept in the dashboard issue's body as hidden metadata. */
export interface DashboardState {
  version: 1;
  /** The last completed scan: the default branch's commit and the rule set it ran (see ruleSetHash). */
  lastScan?: LastScan;
  ignores: DashboardIgnore[];
}

/**
 * What a scan ran on. The scheduled sweep skips a repository whose default
 * branch, catalog, config sources and pull request window are as they were
 * (src/github/sweep.ts), so it must hear of every one of them here.
 */
export interface LastScan {
  sha: string;
  rules: string;
  /** catalogHash of the app's rule catalog: a new app version with other rules means a rescan. */
  catalog?: string;
  /** Config files read from other repositories (organisation defaults, `_extends`), in the order read (see configSourcesOf). */
  configSources?: ConfigSource[];
  /** The repository's `schedule` when it held pull requests back: the first sweep inside it scans again. */
  heldBy?: string[];
  /** When a scan of the same commit may find something else (a certificate nearing expiry, a lock due for maintenance): see recheck.ts. */
  recheckAt?: string;
}

/** A config file of another repository, `owner/repo:path`, and the hash of what it said (configSourceHash). */
export interface ConfigSource {
  file: string;
  hash: string;
}

export interface Dashboard {
  number: number;
  body: string;
  open: boolean;
  state: DashboardState;
}

export const EMPTY_DASHBOARD_STATE: DashboardState = { version: 1, ignores: [] };

const MARKER = "shipshape-dashboard";
const BLOCK = new RegExp(`<!--\\s*${MARKER}:([\\s\\S]*?)-->`, "g");

/**
 * The repository's dashboard issue, in one call: the oldest issue with the
 * label that an app opened (a person's issue with the same label is not it).
 */
export async function findDashboard(octokit: GitHubClient, repository: RepositoryName): Promise<Dashboard | undefined> {
  const { data } = await octokit.rest.issues.listForRepo(dashboardListing(repository));
  return dashboardAmong(data);
}

/** The one request findDashboard makes (the sweep makes it conditionally). */
export function dashboardListing(repository: RepositoryName) {
  return { ...repository, labels: DASHBOARD_LABEL, state: "all", sort: "created", direction: "asc", per_page: 10 } as const;
}

/** The dashboard among the issues dashboardListing lists. */
export function dashboardAmong(data: readonly { number: number; body?: string | null; state: string; user: { type?: string } | null; pull_request?: unknown }[]): Dashboard | undefined {
  const issue = data.find((candidate) => candidate.user?.type === "Bot" && candidate.pull_request === undefined);
  if (!issue) return undefined;
  const body = issue.body ?? "";
  return { number: issue.number, body, open: issue.state === "open", state: readDashboardState(body) };
}

/** The state in a dashboard body; a body without (valid) metadata holds the empty state. */
export function readDashboardState(body: string): DashboardState {
  const blocks = [...body.matchAll(BLOCK)].reverse();
  for (const block of blocks) {
    const state = parseState(block[1] as string);
    if (state) return state;
  }
  return EMPTY_DASHBOARD_STATE;
}

/** `body` with its metadata replaced by `state` (appended when it has none). */
export function writeDashboardState(body: string, state: DashboardState): string {
  // <, > and & as JSON escapes: an ignore's path or author holding "-->" cannot end the comment (JSON.parse reads them back).
  const json = JSON.stringify(state).replace(/[<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const block = `<!-- ${MARKER}:${json} -->`;
  const without = body.replace(BLOCK, "").replace(/\s+$/, "");
  return without === "" ? block : `${without}\n\n${block}`;
}

/** A short hash of the rules a scan runs (ids, severities, parameters, fixes): a change of rules means a rescan. */
export function ruleSetHash(rules: readonly ActiveRule[]): string {
  const summary = rules.map(({ rule, severity }) => [rule.id, severity, rule.check, rule.fix ?? null]);
  return createHash("sha256").update(JSON.stringify(summary)).digest("hex").slice(0, 16);
}

function parseState(json: string): DashboardState | undefined {
  const data = parseJsonObject(json);
  if (!data) return undefined;
  const { version, lastScan, ignores } = data;
  if (version !== 1) return undefined;
  const state: DashboardState = { version: 1, ignores: Array.isArray(ignores) ? ignores.filter(isIgnore).map(({ rule, path, by }) => ({ rule, by, ...(path !== undefined ? { path } : {}) })) : [] };
  if (typeof lastScan === "object" && lastScan !== null) {
    const { sha, rules, catalog, configSources, heldBy, recheckAt } = lastScan as Record<string, unknown>;
    if (typeof sha === "string" && typeof rules === "string") {
      state.lastScan = {
        sha,
        rules,
        ...(typeof catalog === "string" ? { catalog } : {}),
        ...(Array.isArray(configSources) && configSources.every(isConfigSource) ? { configSources: configSources.map(({ file, hash }) => ({ file, hash })) } : {}),
        ...(Array.isArray(heldBy) && heldBy.every((entry) => typeof entry === "string") ? { heldBy } : {}),
        ...(typeof recheckAt === "string" && !Number.isNaN(Date.parse(recheckAt)) ? { recheckAt } : {}),
      };
    }
  }
  return state;
}

function isConfigSource(value: unknown): value is ConfigSource {
  if (typeof value !== "object" || value === null) return false;
  const { file, hash } = value as Record<string, unknown>;
  return typeof file === "string" && typeof hash === "string";
}

function isIgnore(value: unknown): value is DashboardIgnore {
  if (typeof value !== "object" || value === null) return false;
  const { rule, path, by } = value as Record<string, unknown>;
  return typeof rule === "string" && typeof by === "string" && (path === undefined || typeof path === "string");
}
