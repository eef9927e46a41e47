import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createShipshapeApp } from "../../src/app/index.js";
import { ScanQueue } from "../../src/app/queue.js";
import { DASHBOARD_READ_LOGGED, mockDashboardRead } from "./dashboard-harness.js";
import { BASE_SHA, INSTALLATION, OWNER, REPO, SECRET, sign, tarballOf, TREE_SHA, type TestApp } from "./harness.js";

/** What GitHub answers for `accept: application/vnd.github.v3.raw` (recorded in octokit/fixtures). */
export const RAW_CONTENT_TYPE = "application/vnd.github.v3.raw; charset=utf-8";
export const TOKEN = "ghs_installationtokenfortests";

/**
 * Every request that reached nock, in order, as "METHOD /path?query", matched or not:
 * attach it to each scope, and listen for requests no interceptor matched.
 */
export class CallLog {
  readonly calls: string[] = [];
  readonly unmatched: string[] = [];
  private readonly onNoMatch = (request: { method?: string; host?: string; hostname?: string; path?: string }) => {
    const host = request.hostname ?? request.host ?? "";
    // The tests' own requests to the local server pass through; they are not GitHub calls.
    if (host.startsWith("127.0.0.1")) return;
    this.unmatched.push(`${request.method ?? "?"} ${host}${request.path ?? ""}`);
  };

  constructor() {
    nock.emitter.on("no match", this.onNoMatch);
  }

  watch(scope: nock.Scope): nock.Scope {
    scope.on("request", (request: { method: string; path: string }) => this.calls.push(`${request.method} ${decodeURIComponent(request.path)}`));
    return scope;
  }

  stop(): void {
    nock.emitter.removeListener("no match", this.onNoMatch);
  }
}

export function mockToken(scope: nock.Scope): void {
  scope
    .post(`/app/installations/${INSTALLATION}/access_tokens`)
    .reply(201, { token: TOKEN, expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
}

/** GET the repository and its default branch: what every scan reads before its config. */
export function mockRepositoryAndBranch(scope: nock.Scope, repo = REPO): void {
  scope
    .get(`/repos/${OWNER}/${repo}`)
    .reply(200, { name: repo, full_name: `${OWNER}/${repo}`, default_branch: "main", archived: false, disabled: false })
    .get(`/repos/${OWNER}/${repo}/branches/main`)
    .reply(200, { name: "main", commit: { sha: BASE_SHA, commit: { tree: { sha: TREE_SHA } } } });
}

/**
 * `.github/shipshape.yml` of `repo`, as Probot's config plugin asks for it (the raw media type) and
 * GitHub answers it: the file's bytes, or 404. The interceptor only matches the raw `accept` header.
 */
export function mockConfigFile(scope: nock.Scope, repo: string, text: string | undefined): void {
  // The repository's own file is read at the scanned commit; an organisation's defaults at their default branch.
  const interceptor = scope
    .get(`/repos/${OWNER}/${repo}/contents/.github%2Fshipshape.yml`)
    .query(repo === REPO ? { ref: BASE_SHA } : {})
    .matchHeader("accept", "application/vnd.github.v3.raw");
  if (text === undefined) interceptor.reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content" });
  else interceptor.reply(200, text, { "content-type": RAW_CONTENT_TYPE });
}

/** The tarball of the base commit: a redirect to codeload, then the gzipped tar. */
export async function mockTarball(scope: nock.Scope, fixtureDir: string, log?: CallLog): Promise<void> {
  const tarball = await tarballOf(fixtureDir);
  scope.get(`/repos/${OWNER}/${REPO}/tarball/${BASE_SHA}`).reply(302, "", { location: `https://codeload.github.com/${OWNER}/${REPO}/legacy.tar.gz/${BASE_SHA}` });
  const codeload = nock("https://codeload.github.com").get(`/${OWNER}/${REPO}/legacy.tar.gz/${BASE_SHA}`).reply(200, tarball, { "content-type": "application/x-gzip" });
  log?.watch(codeload);
}

/** The whole read of Hello-World before pull requests: token, repository, branch, config, tarball, and the dashboard (there is none). */
export async function mockFullRead(scope: nock.Scope, options: { fixtureDir: string; config: string; log?: CallLog }): Promise<void> {
  mockToken(scope);
  mockRepositoryAndBranch(scope);
  mockConfigFile(scope, REPO, options.config);
  await mockTarball(scope, options.fixtureDir, options.log);
  mockDashboardRead(scope);
}

/** The calls of {@link mockFullRead}, as {@link CallLog} writes them. */
export const FULL_READ_CALLS = [
  `POST /app/installations/${INSTALLATION}/access_tokens`,
  `GET /repos/${OWNER}/${REPO}`,
  `GET /repos/${OWNER}/${REPO}/branches/main`,
  `GET /repos/${OWNER}/${REPO}/contents/.github/shipshape.yml?ref=${BASE_SHA}`,
  `GET /repos/${OWNER}/${REPO}/tarball/${BASE_SHA}`,
  `GET /${OWNER}/${REPO}/legacy.tar.gz/${BASE_SHA}`,
  DASHBOARD_READ_LOGGED,
];

/** Secrets that must never reach a log line. */
export function secretsIn(logs: readonly string[]): string[] {
  return logs.filter((line) => line.includes(TOKEN) || line.includes("BEGIN RSA PRIVATE KEY") || line.includes("PRIVATE KEY-----"));
}

export type LimitHandler = (retryAfter: number, options: { method: string; url: string }, octokit: unknown, retryCount: number) => boolean;

/**
 * Like the harness's startApp, but with Octokit's throttling plugin switched on (as Probot runs
 * in production) and the given limit handlers. Writes are not spaced out (`write` and
 * `notifications` groups without minTime), so only the retry path is exercised, not the clock.
 */
export async function startThrottledApp(handlers: { onSecondaryRateLimit: LimitHandler; onRateLimit: LimitHandler }, groups: object): Promise<TestApp> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const queue = new ScanQueue(log);
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: SECRET,
    log,
    Octokit: ProbotOctokit.defaults((options: object) => ({
      ...options,
      retry: { enabled: false },
      throttle: {
        enabled: true,
        ...groups,
        // plugin-throttling reads `Number(retry-after) || fallback`: a header of 0 means "use the fallback".
        fallbackSecondaryRateRetryAfter: 0,
        onSecondaryRateLimit: handlers.onSecondaryRateLimit,
        onRateLimit: handlers.onRateLimit,
      },
    })),
  });
  await probot.load(createShipshapeApp({ queue, registry: { offline: true }, schedule: "off" }), { cwd: process.cwd(), addHandler: () => {} });
  return {
    probot,
    queue,
    logs,
    async deliver(name, payload) {
      const body = JSON.stringify(payload);
      await probot.webhooks.verifyAndReceive({ id: `delivery-${name}`, name: name as never, payload: body, signature: sign(body) });
      await queue.idle();
    },
  };
}
