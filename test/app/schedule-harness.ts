import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { ScanQueue } from "../../src/app/queue.js";
import { startSchedule, type Schedule } from "../../src/app/schedule.js";
import { activeRules } from "../../src/config/resolve.js";
import { DASHBOARD_LABEL, DASHBOARD_TITLE, writeDashboardState, type LastScan } from "../../src/github/dashboard-state.js";
import { lastScanOf } from "../../src/github/scan-inputs.js";
import { loadRules } from "../../src/rules/load.js";
import { API, BOT, tarballOf } from "./harness.js";

export const CATALOG = loadRules();

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

export interface ScheduleApp {
  probot: Probot;
  queue: ScanQueue;
  schedule: Schedule;
  logs: string[];
  /** The log lines' messages, in order. */
  messages(): string[];
}

/** A Probot like the harness's, with the schedule started on it (stop it after the test). Scans are offline. */
export function startScheduleApp(options: { expression?: string; concurrency?: number } = {}): ScheduleApp {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const queue = new ScanQueue(log);
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: "webhook-secret-for-tests",
    log,
    Octokit: ProbotOctokit.defaults((octokitOptions: object) => ({ ...octokitOptions, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  const schedule = startSchedule(probot, { catalog: CATALOG, queue, log, registry: { offline: true }, ...options });
  return {
    probot,
    queue,
    schedule,
    logs,
    messages: () => logs.map((line) => (JSON.parse(line) as { msg?: string }).msg ?? ""),
  };
}

export interface ListedRepositoryFields {
  owner: string;
  name: string;
  archived?: boolean;
  disabled?: boolean;
  size?: number;
  defaultBranch?: string;
  hasIssues?: boolean;
}

/** A repository as GET /installation/repositories lists it. */
export function listedRepositoryJson(fields: ListedRepositoryFields, id: number): object {
  return {
    id,
    node_id: `R_kgDO${id}`,
    name: fields.name,
    full_name: `${fields.owner}/${fields.name}`,
    private: true,
    owner: { login: fields.owner, id: 1000 + id, type: "Organization" },
    html_url: `https://github.com/${fields.owner}/${fields.name}`,
    archived: fields.archived ?? false,
    disabled: fields.disabled ?? false,
    size: fields.size ?? 120,
    default_branch: fields.defaultBranch ?? "main",
    has_issues: fields.hasIssues ?? true,
    pushed_at: "2024-06-01T10:00:00Z",
  };
}

export function installationJson(id: number, account: string, suspended = false): object {
  return {
    id,
    account: { login: account, id: 5000 + id, type: "Organization" },
    repository_selection: "all",
    app_id: 1,
    target_type: "Organization",
    suspended_at: suspended ? "2024-05-01T00:00:00Z" : null,
  };
}

/** Link headers of a paginated listing: page `page` of `pages`. */
export function pageLinks(path: string, page: number, pages: number): Record<string, string> {
  const links = [];
  if (page < pages) links.push(`<${API}${path}?per_page=100&page=${page + 1}>; rel="next"`, `<${API}${path}?per_page=100&page=${pages}>; rel="last"`);
  if (page > 1) links.push(`<${API}${path}?per_page=100&page=1>; rel="first"`, `<${API}${path}?per_page=100&page=${page - 1}>; rel="prev"`);
  return links.length > 0 ? { link: links.join(", ") } : {};
}

/** GET /app/installations, over as many pages as `pages` has. */
export function mockInstallations(scope: nock.Scope, pages: object[][]): void {
  pages.forEach((installations, index) => {
    scope
      .get("/app/installations")
      .query(index === 0 ? { per_page: 100 } : { per_page: 100, page: index + 1 })
      .reply(200, installations, pageLinks("/app/installations", index + 1, pages.length));
  });
}

/** GET /installation/repositories, over as many pages as `pages` has; `headers` go on every page. */
export function mockRepositoryPages(scope: nock.Scope, pages: object[][], headers: Record<string, string> = {}): void {
  pages.forEach((repositories, index) => {
    scope
      .get("/installation/repositories")
      .query(index === 0 ? { per_page: 100 } : { per_page: 100, page: index + 1 })
      .reply(200, { total_count: pages.flat().length, repository_selection: "all", repositories }, { ...pageLinks("/installation/repositories", index + 1, pages.length), ...headers });
  });
}

export function mockToken(scope: nock.Scope, installation: number): void {
  scope
    .post(`/app/installations/${installation}/access_tokens`)
    .reply(201, { token: `ghs_token${installation}`, expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
}

export const DASHBOARD_QUERY = { labels: DASHBOARD_LABEL, state: "all", sort: "created", direction: "asc", per_page: 10 };

/** The dashboard issue as the listing returns it, with `lastScan` in its metadata. */
export function dashboardJson(owner: string, repo: string, number: number, lastScan?: LastScan): object {
  return {
    url: `${API}/repos/${owner}/${repo}/issues/${number}`,
    number,
    title: DASHBOARD_TITLE,
    user: BOT,
    labels: [{ name: DASHBOARD_LABEL }],
    state: "open",
    body: writeDashboardState("Shipshape's dashboard.", { version: 1, ignores: [], ...(lastScan ? { lastScan } : {}) }),
  };
}

/** What a scan of `sha` with no config (or one that names no rules) records. */
export function lastScanAt(sha: string, extra: Partial<LastScan> = {}): LastScan {
  return { ...lastScanOf({ sha, rules: activeRules(CATALOG, {}), catalog: CATALOG, configFiles: [] }), ...extra };
}

export interface ScanReadOptions {
  owner: string;
  repo: string;
  sha: string;
  fixtureDir: string;
  /** Text of the repository's .github/shipshape.yml; undefined: it has none (mock the organisation's defaults yourself). */
  config: string | undefined;
  /** The dashboard issues the scan's own read finds. */
  dashboards: object[];
}

/** The calls a scan makes up to its pull request listings: details, branch, config, tarball, dashboard. */
export async function mockScanRead(scope: nock.Scope, options: ScanReadOptions): Promise<void> {
  const { owner, repo, sha } = options;
  const path = `/repos/${owner}/${repo}`;
  const tarball = await tarballOf(options.fixtureDir);
  scope
    .get(path)
    .reply(200, { name: repo, full_name: `${owner}/${repo}`, default_branch: "main", archived: false, disabled: false, has_issues: true })
    .get(`${path}/branches/main`)
    .reply(200, { name: "main", commit: { sha, commit: { tree: { sha: "f".repeat(40) } } } })
    .get(`${path}/contents/.github%2Fshipshape.yml`)
    .query({ ref: sha })
    .reply(options.config === undefined ? 404 : 200, options.config ?? { message: "Not Found" }, options.config === undefined ? {} : { "content-type": "text/plain; charset=utf-8" })
    .get(`${path}/tarball/${sha}`)
    .reply(302, "", { location: `https://codeload.github.com/${owner}/${repo}/legacy.tar.gz/${sha}` })
    .get(`${path}/issues`)
    .query(DASHBOARD_QUERY)
    .reply(200, options.dashboards)
    .get(`${path}/pulls`)
    .query({ state: "open", per_page: 100 })
    .reply(200, [])
    .get(`${path}/pulls`)
    .query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 })
    .reply(200, []);
  nock("https://codeload.github.com").get(`/${owner}/${repo}/legacy.tar.gz/${sha}`).reply(200, tarball, { "content-type": "application/x-gzip" });
}

/** Every request the scope answers, as "METHOD /path?query", with its If-None-Match header when it had one. */
export function recordRequests(scope: nock.Scope): string[] {
  const requests: string[] = [];
  scope.on("request", (req: { method: string; path: string; headers: Record<string, string | string[] | undefined> }) => {
    const etag = req.headers["if-none-match"];
    requests.push(`${req.method} ${req.path}${etag ? ` (if-none-match ${String(etag)})` : ""}`);
  });
  return requests;
}
