import { join } from "node:path";
import Bottleneck from "bottleneck";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CallLog, FULL_READ_CALLS, mockConfigFile, mockFullRead, mockRepositoryAndBranch, mockToken, secretsIn, startThrottledApp, TOKEN, type LimitHandler } from "./errors-harness.js";
import { API, BASE_SHA, FIXTURES, INSTALLATION, installationCreated, OWNER, REPO, startApp, type TestApp } from "./harness.js";
import { mockDashboardCreate } from "./dashboard-harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;
/** One rule left (liveness-probe-missing), so each scan opens one pull request. */
const ONE_RULE = "rules:\n  privilege-escalation-allowed: off\n";
const BRANCH = "shipshape/liveness-probe-missing";
const TITLE = "Add liveness probes (liveness-probe-missing)";

interface LogEntry {
  level: number;
  msg: string;
  repository?: string;
  report?: { pullRequests: Record<string, string> };
  err?: { status?: number; message?: string };
}

const entries = (app: TestApp): LogEntry[] => app.logs.map((line) => JSON.parse(line) as LogEntry);
const failures = (app: TestApp) => entries(app).filter((entry) => entry.msg === "scan failed");
const finished = (app: TestApp) => entries(app).flatMap((entry) => (entry.msg === "scan finished" && entry.report ? [entry.report] : []));

/** The pull request calls of a one-rule scan, in order, as CallLog writes them. */
const OPEN_ONE = [
  `GET ${repoPath}/pulls?state=open&per_page=100`,
  `GET ${repoPath}/pulls?state=closed&sort=updated&direction=desc&per_page=100`,
  `POST ${repoPath}/git/trees`,
  `POST ${repoPath}/git/commits`,
  `POST ${repoPath}/git/refs`,
  `POST ${repoPath}/pulls`,
  `POST ${repoPath}/issues/11/labels`,
];

/** A scan that completes opens the dashboard issue last (there is none: mockFullRead's listing is empty). */
const DASHBOARD_OPENED = `POST ${repoPath}/issues`;

function mockListings(scope: nock.Scope): nock.Scope {
  return scope
    .get(`${repoPath}/pulls`).query({ state: "open", per_page: 100 }).reply(200, [])
    .get(`${repoPath}/pulls`).query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 }).reply(200, []);
}

function mockCommit(scope: nock.Scope): nock.Scope {
  return scope
    .post(`${repoPath}/git/trees`).reply(201, { sha: "t1".padEnd(40, "0") })
    .post(`${repoPath}/git/commits`).reply(201, { sha: "c1".padEnd(40, "0") });
}

describe("when GitHub says no", () => {
  let log: CallLog;
  let app: TestApp | undefined;
  beforeEach(() => {
    nock.disableNetConnect();
    log = new CallLog();
    app = undefined;
  });
  afterEach(() => {
    log.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    // Whatever went wrong, no credential reached the log.
    if (app) expect(secretsIn(app.logs)).toEqual([]);
  });

  it("a repository that is gone (404) stops its own scan only: logged, and the next repository of the installation is scanned", async () => {
    app = await startApp();
    const github = log.watch(nock(API));
    github.get(`/repos/${OWNER}/Gone`).reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/repos#get-a-repository", status: "404" });
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: ONE_RULE, log });
    mockCommit(mockListings(github))
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`).reply(201, { number: 11 })
      .post(`${repoPath}/issues/11/labels`).reply(200, []);
    mockDashboardCreate(github);
    const payload = installationCreated() as { repositories: object[] };
    payload.repositories.unshift({ id: 1, node_id: "R_1", name: "Gone", full_name: `${OWNER}/Gone`, private: false });

    await app.deliver("installation", payload);

    expect(log.calls).toEqual([
      // One installation token for both repositories.
      `POST /app/installations/${INSTALLATION}/access_tokens`,
      `GET /repos/${OWNER}/Gone`,
      ...FULL_READ_CALLS.slice(1),
      ...OPEN_ONE,
      DASHBOARD_OPENED,
    ]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toMatchObject([{ level: 50, repository: `${OWNER}/Gone`, err: { status: 404 } }]);
    expect(finished(app)).toMatchObject([{ pullRequests: { [BRANCH]: "opened" } }]);
  });

  it("a branch that already exists (422 on POST git/refs) with only Shipshape's commits is moved with a forced PATCH", async () => {
    app = await startApp();
    const github = log.watch(nock(API));
    const moves: unknown[] = [];
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: ONE_RULE, log });
    mockCommit(mockListings(github))
      .post(`${repoPath}/git/refs`)
      .reply(422, { message: "Reference already exists", documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference", status: "422" })
      // Before moving a branch it did not expect, Shipshape checks that every commit on it is a bot's.
      .get(`${repoPath}/compare/main...shipshape%2Fliveness-probe-missing`)
      .query({ per_page: 100 })
      .reply(200, { status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1, commits: [{ sha: "e".repeat(40), author: { login: "shipshape[bot]", type: "Bot" }, commit: { message: "Add liveness probes" } }], files: [] })
      .patch(`${repoPath}/git/refs/heads%2Fshipshape%2Fliveness-probe-missing`, (body) => moves.push(body) > 0)
      .reply(200, { ref: `refs/heads/${BRANCH}`, object: { sha: "c1".padEnd(40, "0"), type: "commit" } })
      .post(`${repoPath}/pulls`).reply(201, { number: 11 })
      .post(`${repoPath}/issues/11/labels`).reply(200, []);
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([
      ...FULL_READ_CALLS,
      ...OPEN_ONE.slice(0, 5),
      `GET ${repoPath}/compare/main...${BRANCH}?per_page=100`,
      `PATCH ${repoPath}/git/refs/heads/${BRANCH}`,
      ...OPEN_ONE.slice(5),
      DASHBOARD_OPENED,
    ]);
    expect(moves).toEqual([{ sha: "c1".padEnd(40, "0"), force: true }]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toEqual([]);
    expect(finished(app)).toMatchObject([{ pullRequests: { [BRANCH]: "opened" } }]);
  });

  it("a pull request that already exists (422 on POST pulls) is found by its head and updated", async () => {
    app = await startApp();
    const github = log.watch(nock(API));
    const created: { title: string; body: string }[] = [];
    const updates: unknown[] = [];
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: ONE_RULE, log });
    mockCommit(mockListings(github))
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`, (body) => created.push(body) > 0)
      .reply(422, {
        message: "Validation Failed",
        errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${OWNER}:${BRANCH}.` }],
        documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        status: "422",
      })
      .get(`${repoPath}/pulls`).query({ state: "open", head: `${OWNER}:${BRANCH}` })
      .reply(200, [{ number: 7, state: "open", head: { ref: BRANCH, sha: "c0".padEnd(40, "0"), repo: { full_name: `${OWNER}/${REPO}` } }, body: "older text", user: { login: "shipshape[bot]" } }])
      .patch(`${repoPath}/pulls/7`, (body) => updates.push(body) > 0)
      .reply(200, { number: 7 });
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([
      ...FULL_READ_CALLS,
      ...OPEN_ONE.slice(0, 6),
      `GET ${repoPath}/pulls?state=open&head=${OWNER}:${BRANCH}`,
      `PATCH ${repoPath}/pulls/7`,
      DASHBOARD_OPENED,
    ]);
    expect(created).toHaveLength(1);
    expect(created[0]?.title).toBe(TITLE);
    expect(updates).toEqual([{ title: TITLE, body: created[0]?.body }]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toEqual([]);
    expect(finished(app)).toMatchObject([{ pullRequests: { [BRANCH]: "updated" } }]);
  });

  it("a 500 on POST git/trees fails the scan, logged, with nothing half-done: no commit, no ref, no pull request", async () => {
    app = await startApp();
    const github = log.watch(nock(API));
    // Both rules are on: the failure of the first group's tree must stop the second group too.
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: "pullRequests:\n  groupBy: rule\n", log });
    mockListings(github).post(`${repoPath}/git/trees`).reply(500, { message: "Server Error" });

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([...FULL_READ_CALLS, ...OPEN_ONE.slice(0, 3)]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toMatchObject([{ level: 50, repository: `${OWNER}/${REPO}`, err: { status: 500 } }]);
    expect(finished(app)).toEqual([]);
  });

  it("a 500 reading the config is a failed scan, not a config issue", async () => {
    app = await startApp();
    const github = log.watch(nock(API));
    mockToken(github);
    mockRepositoryAndBranch(github);
    github.get(`${repoPath}/contents/.github%2Fshipshape.yml`).query({ ref: BASE_SHA }).reply(500, { message: "Server Error" });

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual(FULL_READ_CALLS.slice(0, 4));
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toMatchObject([{ repository: `${OWNER}/${REPO}`, err: { status: 500 } }]);
  });

  it("never logs the installation token or the private key, even for failed requests at debug level", async () => {
    app = await startApp();
    const github = log.watch(nock(API));
    mockToken(github);
    mockRepositoryAndBranch(github);
    mockConfigFile(github, REPO, ONE_RULE);
    // The tarball request fails: its error carries the request (with the token's header) and the response.
    github.get(`${repoPath}/tarball/${BASE_SHA}`).reply(403, { message: "Resource not accessible by integration" });

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual(FULL_READ_CALLS.slice(0, 5));
    expect(github.pendingMocks()).toEqual([]);
    const failed = failures(app);
    expect(failed).toMatchObject([{ err: { status: 403 } }]);
    // The request was authenticated with the token, and the failure was logged with that request: still no token.
    expect(app.logs.join("\n")).toContain('"authorization":"token [REDACTED]"');
    expect(app.logs.join("\n")).not.toContain(TOKEN);
    expect(app.logs.join("\n")).not.toContain("PRIVATE KEY");
    expect(secretsIn(app.logs)).toEqual([]);
  });
});

describe("a secondary rate limit, with Octokit's throttling on", () => {
  let log: CallLog;
  beforeEach(() => {
    nock.disableNetConnect();
    log = new CallLog();
  });
  afterEach(() => {
    log.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("retries a write that got 403 'secondary rate limit' with retry-after: 0 once, and the scan completes", async () => {
    const secondary: [number, string, string, number][] = [];
    const primary: unknown[] = [];
    const onSecondaryRateLimit: LimitHandler = (retryAfter, options, _octokit, retryCount) => {
      secondary.push([retryAfter, options.method, options.url, retryCount]);
      return retryCount < 1;
    };
    const onRateLimit: LimitHandler = (retryAfter, options, _octokit, retryCount) => {
      primary.push([retryAfter, options.method, options.url, retryCount]);
      return retryCount < 1;
    };
    // The write and notification groups space requests 1 and 3 seconds apart by default: unspaced here.
    const groups = { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }), notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }) };
    const app = await startThrottledApp({ onSecondaryRateLimit, onRateLimit }, groups);
    const github = log.watch(nock(API));
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: ONE_RULE, log });
    const pulls: unknown[] = [];
    mockCommit(mockListings(github))
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`, (body) => pulls.push(body) > 0)
      .reply(
        403,
        { message: "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.", documentation_url: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", status: "403" },
        { "retry-after": "0" },
      )
      .post(`${repoPath}/pulls`, (body) => pulls.push(body) > 0).reply(201, { number: 11 })
      .post(`${repoPath}/issues/11/labels`).reply(200, []);
    mockDashboardCreate(github);

    const started = Date.now();
    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([...FULL_READ_CALLS, ...OPEN_ONE.slice(0, 6), `POST ${repoPath}/pulls`, OPEN_ONE[6], DASHBOARD_OPENED]);
    expect(secondary).toEqual([[0, "POST", "/repos/{owner}/{repo}/pulls", 0]]);
    expect(primary).toEqual([]);
    expect(pulls).toHaveLength(2);
    expect(pulls[1]).toEqual(pulls[0]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toEqual([]);
    expect(finished(app)).toMatchObject([{ pullRequests: { [BRANCH]: "opened" } }]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(secretsIn(app.logs)).toEqual([]);
  });

  it("gives up after the one retry the handler allows: the scan fails and is logged, no labels are added", async () => {
    const secondary: number[] = [];
    const onSecondaryRateLimit: LimitHandler = (_retryAfter, _options, _octokit, retryCount) => {
      secondary.push(retryCount);
      return retryCount < 1;
    };
    const groups = { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }), notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }) };
    const app = await startThrottledApp({ onSecondaryRateLimit, onRateLimit: () => false }, groups);
    const github = log.watch(nock(API));
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: ONE_RULE, log });
    const limited = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", status: "403" };
    mockCommit(mockListings(github))
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`).reply(403, limited, { "retry-after": "0" })
      .post(`${repoPath}/pulls`).reply(403, limited, { "retry-after": "0" });

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([...FULL_READ_CALLS, ...OPEN_ONE.slice(0, 6), `POST ${repoPath}/pulls`]);
    expect(secondary).toEqual([0, 1]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(failures(app)).toMatchObject([{ repository: `${OWNER}/${REPO}`, err: { status: 403 } }]);
  });
});
