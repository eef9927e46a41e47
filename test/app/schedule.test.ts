import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SWEEP_SCHEDULE, sweepScheduleOf } from "../../src/app/schedule.js";
import { readDashboardState } from "../../src/github/dashboard-state.js";
import { configSourceHash, configTextHash } from "../../src/github/scan-inputs.js";
import type { SweepReport } from "../../src/github/sweep.js";
import { API, FIXTURES, pullRequestJson } from "./harness.js";
import {
  dashboardJson,
  DASHBOARD_QUERY,
  installationJson,
  lastScanAt,
  listedRepositoryJson,
  mockInstallations,
  mockRepositoryPages,
  mockScanRead,
  mockToken,
  pageLinks,
  recordRequests,
  startScheduleApp,
  type ScheduleApp,
} from "./schedule-harness.js";

const OLD_SHA = "1".repeat(40);
const HEAD_SHA = "2".repeat(40);
const NEW_SHA = "3".repeat(40);
const HELD_SHA = "4".repeat(40);
const ACME = 1001;
const GLOBEX = 1002;
/** A Monday, at the default sweep's minute. */
const MONDAY = new Date("2024-06-03T03:00:00Z");
const SATURDAY = new Date("2024-06-08T03:00:00Z");
const WEEKENDS_ONLY = 'schedule: "* * * * SAT,SUN"\n';
const fixture = (name: string) => join(FIXTURES, name);
const SHA_TYPE = { "content-type": "application/vnd.github.sha; charset=utf-8" };

/** Per repository of the report: "owner/name outcome reason calls". */
const outcomes = (report: SweepReport) =>
  report.installations.flatMap((installation) => installation.repositories.map((repository) => `${repository.repository} ${repository.outcome} (${repository.reason}) ${repository.calls}`));

describe("scheduled scans", () => {
  let app: ScheduleApp | undefined;
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    app?.schedule.stop();
    app = undefined;
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("sweeps every repository of every installation, page by page, and scans only the one that changed", async () => {
    app = startScheduleApp();
    const github = nock(API);
    const requests = recordRequests(github);
    // Two installations, listed over two pages; acme's repositories over two pages too.
    mockInstallations(github, [[installationJson(ACME, "acme")], [installationJson(GLOBEX, "globex")]]);
    mockToken(github, ACME);
    mockRepositoryPages(github, [
      [
        listedRepositoryJson({ owner: "acme", name: "unchanged" }, 1),
        listedRepositoryJson({ owner: "acme", name: "archived", archived: true }, 2),
        listedRepositoryJson({ owner: "acme", name: "disabled", disabled: true }, 3),
      ],
      [listedRepositoryJson({ owner: "acme", name: "empty", size: 0 }, 4), listedRepositoryJson({ owner: "acme", name: "changed" }, 5)],
    ]);
    // unchanged: its dashboard says it was last scanned at the head commit, with these rules and no other config file.
    github
      .get("/repos/acme/unchanged/issues")
      .query(DASHBOARD_QUERY)
      .reply(200, [dashboardJson("acme", "unchanged", 7, lastScanAt(HEAD_SHA))], { etag: '"dash-unchanged"' })
      .get("/repos/acme/unchanged/commits/main")
      .reply(200, HEAD_SHA, { ...SHA_TYPE, etag: '"head-unchanged"' });
    // changed: scanned at an older commit.
    github
      .get("/repos/acme/changed/issues")
      .query(DASHBOARD_QUERY)
      .reply(200, [dashboardJson("acme", "changed", 8, lastScanAt(OLD_SHA))], { etag: '"dash-changed"' })
      .get("/repos/acme/changed/commits/main")
      .reply(200, NEW_SHA, { ...SHA_TYPE, etag: '"head-changed"' });
    await mockScanRead(github, { owner: "acme", repo: "changed", sha: NEW_SHA, fixtureDir: fixture("clean"), config: "dashboard: true\n", dashboards: [dashboardJson("acme", "changed", 8, lastScanAt(OLD_SHA))] });
    const dashboardEdits: string[] = [];
    github.patch("/repos/acme/changed/issues/8", (body: { body: string }) => dashboardEdits.push(body.body) > 0).reply(200, {});
    // globex: one repository, never scanned.
    mockToken(github, GLOBEX);
    mockRepositoryPages(github, [[listedRepositoryJson({ owner: "globex", name: "fresh" }, 6)]]);
    github.get("/repos/globex/fresh/issues").query(DASHBOARD_QUERY).reply(200, []);
    await mockScanRead(github, { owner: "globex", repo: "fresh", sha: NEW_SHA, fixtureDir: fixture("clean"), config: "rules:\n  image-tag-mutable: low\n", dashboards: [] });
    github.post("/repos/globex/fresh/issues").reply(201, { number: 1 });

    const report = await app.schedule.tick(MONDAY);

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(report)).toEqual([
      "acme/unchanged skipped (unchanged) 2",
      "acme/archived skipped (archived) 0",
      "acme/disabled skipped (disabled) 0",
      "acme/empty skipped (empty) 0",
      "acme/changed queued (new commit) 2",
      "globex/fresh queued (not scanned yet) 1",
    ]);
    expect(report.calls).toBe(2);
    expect(report.installations.map(({ installation, pages, calls, notModified }) => ({ installation, pages, calls, notModified }))).toEqual([
      { installation: ACME, pages: 2, calls: 6, notModified: 0 },
      { installation: GLOBEX, pages: 1, calls: 2, notModified: 0 },
    ]);
    // Exactly two requests about the unchanged repository, none about the skipped ones.
    expect(requests.filter((request) => request.includes("/repos/acme/unchanged"))).toEqual([
      `GET /repos/acme/unchanged/issues?labels=shipshape-dashboard&state=all&sort=created&direction=asc&per_page=10`,
      "GET /repos/acme/unchanged/commits/main",
    ]);
    expect(requests.filter((request) => /\/repos\/acme\/(archived|disabled|empty)/.test(request))).toEqual([]);
    // The changed repository was scanned (the sweep waits for its scans), and its dashboard records the new commit.
    const changed = report.installations[0]?.repositories[4];
    expect(changed?.scan).toMatchObject({ repository: "acme/changed", findings: 0, pullRequests: {}, closed: [], dashboard: "updated" });
    expect(changed?.scan?.pullRequestsHeld).toBeUndefined();
    expect(readDashboardState(dashboardEdits[0] ?? "").lastScan).toEqual(lastScanAt(NEW_SHA));
    expect(requests.filter((request) => request.includes("/repos/acme/changed"))).toHaveLength(2 + 8);
    expect(app.messages()).toEqual(expect.arrayContaining(["scheduled sweep started", "scan finished", "scheduled sweep finished"]));
  });

  it("scans an unchanged commit again once its last scan's recheck time has come (a certificate nearing expiry, a lock due)", async () => {
    app = startScheduleApp();
    const github = nock(API);
    const requests = recordRequests(github);
    mockInstallations(github, [[installationJson(ACME, "acme")]]);
    mockToken(github, ACME);
    mockRepositoryPages(github, [[listedRepositoryJson({ owner: "acme", name: "later" }, 1), listedRepositoryJson({ owner: "acme", name: "due" }, 2)]]);
    const later = lastScanAt(HEAD_SHA, { recheckAt: "2024-06-04T00:00:00.000Z" });
    const due = lastScanAt(HEAD_SHA, { recheckAt: "2024-06-03T00:00:00.000Z" });
    github
      .get("/repos/acme/later/issues")
      .query(DASHBOARD_QUERY)
      .reply(200, [dashboardJson("acme", "later", 7, later)])
      .get("/repos/acme/later/commits/main")
      .reply(200, HEAD_SHA, SHA_TYPE);
    github.get("/repos/acme/due/issues").query(DASHBOARD_QUERY).reply(200, [dashboardJson("acme", "due", 8, due)]);
    await mockScanRead(github, { owner: "acme", repo: "due", sha: HEAD_SHA, fixtureDir: fixture("clean"), config: "dashboard: true\n", dashboards: [dashboardJson("acme", "due", 8, due)] });
    const dashboardEdits: string[] = [];
    github.patch("/repos/acme/due/issues/8", (body: { body: string }) => dashboardEdits.push(body.body) > 0).reply(200, {});

    const report = await app.schedule.tick(MONDAY);

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(report)).toEqual(["acme/later skipped (unchanged) 2", "acme/due queued (due for another look) 1"]);
    // Due: no need to ask for the head commit. The new scan finds nothing that changes with time: no recheck.
    expect(requests.filter((request) => request.includes("/repos/acme/due/commits"))).toEqual([]);
    expect(readDashboardState(dashboardEdits[0] ?? "").lastScan).toEqual(lastScanAt(HEAD_SHA));
  });

  it("asks again with the ETags it got: unchanged repositories answer 304, which the rate limit does not count", async () => {
    app = startScheduleApp();
    const github = nock(API);
    const requests = recordRequests(github);
    const sweepOf = (answer: "fresh" | "304") => {
      mockInstallations(github, [[installationJson(ACME, "acme")]]);
      mockRepositoryPages(github, [[listedRepositoryJson({ owner: "acme", name: "unchanged" }, 1)]]);
      if (answer === "fresh") {
        github
          .get("/repos/acme/unchanged/issues")
          .query(DASHBOARD_QUERY)
          .reply(200, [dashboardJson("acme", "unchanged", 7, lastScanAt(HEAD_SHA))], { etag: '"dash-1"' })
          .get("/repos/acme/unchanged/commits/main")
          .reply(200, HEAD_SHA, { ...SHA_TYPE, etag: '"head-1"' });
      } else {
        github
          .get("/repos/acme/unchanged/issues")
          .query(DASHBOARD_QUERY)
          .matchHeader("if-none-match", '"dash-1"')
          .reply(304, "")
          .get("/repos/acme/unchanged/commits/main")
          .matchHeader("if-none-match", '"head-1"')
          .matchHeader("accept", /sha/)
          .reply(304, "");
      }
    };
    mockToken(github, ACME);
    sweepOf("fresh");
    const first = await app.schedule.tick(MONDAY);
    sweepOf("304");
    const second = await app.schedule.tick(new Date("2024-06-04T03:00:00Z"));

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(first)).toEqual(["acme/unchanged skipped (unchanged) 2"]);
    expect(outcomes(second)).toEqual(["acme/unchanged skipped (unchanged) 2"]);
    expect(second.installations[0]).toMatchObject({ calls: 3, notModified: 2 });
    // The installation token is fetched once and reused; the second sweep's repository requests are conditional.
    expect(requests).toEqual([
      "GET /app/installations?per_page=100",
      "POST /app/installations/1001/access_tokens",
      "GET /installation/repositories?per_page=100",
      "GET /repos/acme/unchanged/issues?labels=shipshape-dashboard&state=all&sort=created&direction=asc&per_page=10",
      "GET /repos/acme/unchanged/commits/main",
      "GET /app/installations?per_page=100",
      "GET /installation/repositories?per_page=100",
      'GET /repos/acme/unchanged/issues?labels=shipshape-dashboard&state=all&sort=created&direction=asc&per_page=10 (if-none-match "dash-1")',
      'GET /repos/acme/unchanged/commits/main (if-none-match "head-1")',
    ]);
  });

  it("scans a repository whose rules or organisation defaults changed though its commit did not, and one with no dashboard to remember", async () => {
    app = startScheduleApp();
    const github = nock(API);
    const orgDefaults = "rules:\n  image-digest-missing: off\n";
    const defaultsFile = "acme/.github:.github/shipshape.yml";
    const withDefaults = lastScanAt(HEAD_SHA, { configSources: [{ file: defaultsFile, hash: configTextHash(orgDefaults, { owner: "acme", path: ".github/shipshape.yml" }) ?? "" }] });
    mockInstallations(github, [[installationJson(ACME, "acme")]]);
    mockToken(github, ACME);
    mockRepositoryPages(github, [
      [
        listedRepositoryJson({ owner: "acme", name: "old-rules" }, 1),
        listedRepositoryJson({ owner: "acme", name: "defaults-same" }, 2),
        listedRepositoryJson({ owner: "acme", name: "defaults-same-too" }, 3),
        listedRepositoryJson({ owner: "acme", name: "defaults-changed" }, 4),
        listedRepositoryJson({ owner: "acme", name: "no-issues", hasIssues: false }, 5),
      ],
    ]);
    github
      .get("/repos/acme/old-rules/issues")
      .query(DASHBOARD_QUERY)
      .reply(200, [dashboardJson("acme", "old-rules", 1, lastScanAt(HEAD_SHA, { catalog: "0123456789abcdef" }))]);
    for (const name of ["defaults-same", "defaults-same-too"]) {
      github
        .get(`/repos/acme/${name}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, [dashboardJson("acme", name, 1, withDefaults)])
        .get(`/repos/acme/${name}/commits/main`)
        .reply(200, HEAD_SHA, SHA_TYPE);
    }
    github
      .get("/repos/acme/defaults-changed/issues")
      .query(DASHBOARD_QUERY)
      .reply(200, [dashboardJson("acme", "defaults-changed", 1, { ...withDefaults, configSources: [{ file: defaultsFile, hash: configSourceHash({ rules: {} }, null) }] })])
      .get("/repos/acme/defaults-changed/commits/main")
      .reply(200, HEAD_SHA, SHA_TYPE);
    // The organisation's defaults are read once for the whole installation.
    github.get("/repos/acme/.github/contents/.github%2Fshipshape.yml").reply(200, orgDefaults, { "content-type": "text/plain; charset=utf-8" });
    // Only the sweep's decisions matter here: the scans it queues find their repositories archived by now, and stop.
    for (const name of ["old-rules", "defaults-changed", "no-issues"]) github.get(`/repos/acme/${name}`).reply(200, { name, default_branch: "main", archived: true });

    const report = await app.schedule.tick(MONDAY);

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(report)).toEqual([
      "acme/old-rules queued (rules changed) 1",
      "acme/defaults-same skipped (unchanged) 2",
      "acme/defaults-same-too skipped (unchanged) 2",
      "acme/defaults-changed queued (config acme/.github:.github/shipshape.yml changed) 2",
      // No issues, no dashboard, no record of the last scan: scanned every time.
      "acme/no-issues queued (issues are off: no record of the last scan) 0",
    ]);
    expect(report.installations[0]).toMatchObject({ pages: 1, calls: 1 + 1 + 2 + 2 + 2 + 1 });
    expect(report.installations[0]?.repositories.map((repository) => repository.scan?.skipped)).toEqual(["archived or disabled", undefined, undefined, "archived or disabled", "archived or disabled"]);
  });

  it("remembers the organisation's defaults a scan read (and what they extend), and finds them unchanged in the next sweep", async () => {
    app = startScheduleApp();
    const github = nock(API);
    const requests = recordRequests(github);
    const orgDefaults = "_extends: policies:.github/shipshape.yml\nrules:\n  image-digest-missing: off\n";
    const policies = "rules:\n  memory-limit-missing: high\n";
    const text = { "content-type": "text/plain; charset=utf-8" };
    const sweepRead = (dashboards: object[]) => {
      mockInstallations(github, [[installationJson(ACME, "acme")]]);
      mockRepositoryPages(github, [[listedRepositoryJson({ owner: "acme", name: "plain" }, 1)]]);
      github.get("/repos/acme/plain/issues").query(DASHBOARD_QUERY).reply(200, dashboards);
    };
    mockToken(github, ACME);
    sweepRead([]);
    // The scan: no config of its own, so the organisation's, which extends another repository's.
    await mockScanRead(github, { owner: "acme", repo: "plain", sha: HEAD_SHA, fixtureDir: fixture("clean"), config: undefined, dashboards: [] });
    github
      .get("/repos/acme/.github/contents/.github%2Fshipshape.yml")
      .reply(200, orgDefaults, text)
      .get("/repos/acme/policies/contents/.github%2Fshipshape.yml")
      .reply(200, policies, text);
    const created: string[] = [];
    github.post("/repos/acme/plain/issues", (body: { body: string }) => created.push(body.body) > 0).reply(201, { number: 2 });
    const first = await app.schedule.tick(MONDAY);
    expect(outcomes(first)).toEqual(["acme/plain queued (not scanned yet) 1"]);
    expect(github.pendingMocks()).toEqual([]);
    const recorded = readDashboardState(created[0] ?? "").lastScan;
    expect(recorded?.configSources?.map((source) => source.file)).toEqual(["acme/.github:.github/shipshape.yml", "acme/policies:.github/shipshape.yml"]);

    // Nothing changed: the two files are read once for the installation, and the repository is not scanned.
    const readDefaults = (policiesNow: string) =>
      github
        .get("/repos/acme/.github/contents/.github%2Fshipshape.yml")
        .reply(200, orgDefaults, text)
        .get("/repos/acme/policies/contents/.github%2Fshipshape.yml")
        .reply(200, policiesNow, text);
    sweepRead([dashboardJson("acme", "plain", 2, recorded)]);
    github.get("/repos/acme/plain/commits/main").reply(200, HEAD_SHA, SHA_TYPE);
    readDefaults(policies);
    const second = await app.schedule.tick(new Date("2024-06-04T03:00:00Z"));
    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(second)).toEqual(["acme/plain skipped (unchanged) 2"]);
    expect(second.installations[0]?.calls).toBe(1 + 2 + 2);

    // The file the defaults extend changed: scanned again.
    sweepRead([dashboardJson("acme", "plain", 2, recorded)]);
    github.get("/repos/acme/plain/commits/main").reply(200, HEAD_SHA, SHA_TYPE);
    readDefaults("rules:\n  memory-limit-missing: critical\n");
    github.get("/repos/acme/plain").reply(200, { name: "plain", default_branch: "main", archived: true });
    const third = await app.schedule.tick(new Date("2024-06-05T03:00:00Z"));
    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(third)).toEqual(["acme/plain queued (config acme/policies:.github/shipshape.yml changed) 2"]);
    expect(requests.filter((request) => request.startsWith("POST /app"))).toHaveLength(1);
  });

  it("scans a repository outside its schedule, updates its dashboard, and opens no pull request until a sweep inside it", async () => {
    app = startScheduleApp();
    const github = nock(API);
    const requests = recordRequests(github);
    mockInstallations(github, [[installationJson(GLOBEX, "globex")]]);
    mockToken(github, GLOBEX);
    mockRepositoryPages(github, [[listedRepositoryJson({ owner: "globex", name: "weekend" }, 1)]]);
    github.get("/repos/globex/weekend/issues").query(DASHBOARD_QUERY).reply(200, []);
    // A liveness probe is missing: on a weekend that is a pull request.
    await mockScanRead(github, { owner: "globex", repo: "weekend", sha: HELD_SHA, fixtureDir: fixture("probe-missing"), config: WEEKENDS_ONLY, dashboards: [] });
    const created: string[] = [];
    github.post("/repos/globex/weekend/issues", (body: { body: string }) => created.push(body.body) > 0).reply(201, { number: 3 });

    const monday = await app.schedule.tick(MONDAY);

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(monday)).toEqual(["globex/weekend queued (not scanned yet) 1"]);
    const scan = monday.installations[0]?.repositories[0]?.scan;
    expect(scan).toMatchObject({ findings: 1, pullRequests: {}, closed: [], pullRequestsHeld: "outside schedule", dashboard: "created" });
    expect(requests.filter((request) => request.startsWith("POST") || request.startsWith("PATCH"))).toEqual(["POST /app/installations/1002/access_tokens", "POST /repos/globex/weekend/issues"]);
    const recorded = readDashboardState(created[0] ?? "").lastScan;
    expect(recorded).toEqual({ ...lastScanAt(HELD_SHA), configSources: [], heldBy: ["* * * * SAT,SUN"] });

    // The next weekday's sweep: nothing changed and pull requests are still not due.
    const dashboard = dashboardJson("globex", "weekend", 3, recorded);
    const sweepRead = () => {
      mockInstallations(github, [[installationJson(GLOBEX, "globex")]]);
      mockRepositoryPages(github, [[listedRepositoryJson({ owner: "globex", name: "weekend" }, 1)]]);
      github.get("/repos/globex/weekend/issues").query(DASHBOARD_QUERY).reply(200, [dashboard]).get("/repos/globex/weekend/commits/main").reply(200, HELD_SHA, SHA_TYPE);
    };
    sweepRead();
    const tuesday = await app.schedule.tick(new Date("2024-06-04T03:00:00Z"));
    expect(outcomes(tuesday)).toEqual(["globex/weekend skipped (unchanged) 2"]);

    // Saturday: the same commit is scanned again, and the pull request opened.
    sweepRead();
    await mockScanRead(github, { owner: "globex", repo: "weekend", sha: HELD_SHA, fixtureDir: fixture("probe-missing"), config: WEEKENDS_ONLY, dashboards: [dashboard] });
    github
      .post("/repos/globex/weekend/git/trees")
      .reply(201, { sha: "t".padEnd(40, "0") })
      .post("/repos/globex/weekend/git/commits")
      .reply(201, { sha: "c".padEnd(40, "0") })
      .post("/repos/globex/weekend/git/refs")
      .reply(201, {})
      .post("/repos/globex/weekend/pulls")
      .reply(201, pullRequestJson({ number: 11, branch: "shipshape/liveness-probe-missing", body: "" }))
      .post("/repos/globex/weekend/issues/11/labels")
      .reply(200, []);
    const edited: string[] = [];
    github.patch("/repos/globex/weekend/issues/3", (body: { body: string }) => edited.push(body.body) > 0).reply(200, {});
    const saturday = await app.schedule.tick(SATURDAY);

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(saturday)).toEqual(["globex/weekend queued (pull requests held until now) 2"]);
    expect(saturday.installations[0]?.repositories[0]?.scan).toMatchObject({ pullRequests: { "shipshape/liveness-probe-missing": "opened" }, dashboard: "updated" });
    expect(saturday.installations[0]?.repositories[0]?.scan?.pullRequestsHeld).toBeUndefined();
    expect(readDashboardState(edited[0] ?? "").lastScan).toEqual({ ...lastScanAt(HELD_SHA), configSources: [] });
  });

  it("never runs two sweeps at once: a tick during a sweep does nothing, and says so", async () => {
    app = startScheduleApp();
    const github = nock(API);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let listed!: () => void;
    const listing = new Promise<void>((resolve) => (listed = resolve));
    github.get("/app/installations").query({ per_page: 100 }).reply(async () => {
      listed();
      await released;
      return [200, []];
    });

    const first = app.schedule.tick(MONDAY);
    await listing;
    const second = await app.schedule.tick(new Date("2024-06-04T03:00:00Z"));
    release();
    const done = await first;

    expect(second).toEqual({ startedAt: "2024-06-04T03:00:00.000Z", skipped: "the previous sweep is still running", installations: [], calls: 0 });
    expect(done).toEqual({ startedAt: MONDAY.toISOString(), installations: [], calls: 1 });
    expect(app.messages().filter((message) => message.startsWith("scheduled sweep"))).toEqual([
      "scheduled sweeps on",
      "scheduled sweep started",
      "scheduled sweep skipped: the previous sweep is still running",
      "scheduled sweep finished",
    ]);
    expect(github.pendingMocks()).toEqual([]);

    // Once it has finished, the next tick sweeps again.
    mockInstallations(github, [[]]);
    expect(await app.schedule.tick(SATURDAY)).toEqual({ startedAt: SATURDAY.toISOString(), installations: [], calls: 1 });
  });

  it("leaves the rest of an installation for the next sweep when its rate limit runs low, and logs it", async () => {
    app = startScheduleApp();
    const github = nock(API);
    mockInstallations(github, [[installationJson(ACME, "acme"), installationJson(GLOBEX, "globex", true)]]);
    mockToken(github, ACME);
    // 5000 an hour, a tenth kept back: 450 left is too few. The second page is never asked for.
    const rateLimit = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "450" };
    github
      .get("/installation/repositories")
      .query({ per_page: 100 })
      .reply(200, { total_count: 101, repositories: [listedRepositoryJson({ owner: "acme", name: "one" }, 1), listedRepositoryJson({ owner: "acme", name: "two" }, 2)] }, {
        ...pageLinks("/installation/repositories", 1, 2),
        ...rateLimit,
      });

    const report = await app.schedule.tick(MONDAY);

    expect(github.pendingMocks()).toEqual([]);
    expect(outcomes(report)).toEqual(["acme/one skipped (rate limit) 0", "acme/two skipped (rate limit) 0"]);
    expect(report.installations).toMatchObject([
      { installation: ACME, pages: 1, calls: 1, stopped: "rate limit: 450 requests left this hour, 500 kept for pushes and commands" },
      { installation: GLOBEX, skipped: "suspended", calls: 0 },
    ]);
    expect(app.messages()).toContain("scheduled sweep: rate limit low, leaving the rest of this installation for the next sweep");
  });

  it("can be turned off, and still sweeps when asked", async () => {
    app = startScheduleApp({ expression: "off" });
    mockInstallations(nock(API), [[]]);
    expect(await app.schedule.tick(MONDAY)).toEqual({ startedAt: MONDAY.toISOString(), installations: [], calls: 1 });
    expect(app.messages()[0]).toBe("scheduled sweeps off (SHIPSHAPE_SCHEDULE=off)");
  });

  it("runs on its cron, in UTC, and refuses an expression that is not one", async () => {
    app = startScheduleApp({ expression: "* * * * * *" });
    const github = nock(API);
    github.get("/app/installations").query({ per_page: 100 }).reply(200, []).persist();
    const deadline = Date.now() + 5_000;
    while (!app.messages().includes("scheduled sweep finished") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    app.schedule.stop();
    expect(app.messages()).toContain("scheduled sweep finished");

    expect(sweepScheduleOf(undefined, {})).toBe(DEFAULT_SWEEP_SCHEDULE);
    expect(sweepScheduleOf(undefined, { SHIPSHAPE_SCHEDULE: "0 */6 * * *" })).toBe("0 */6 * * *");
    expect(sweepScheduleOf("30 1 * * *", { SHIPSHAPE_SCHEDULE: "0 */6 * * *" })).toBe("30 1 * * *");
    expect(sweepScheduleOf(undefined, { SHIPSHAPE_SCHEDULE: "OFF" })).toBe("off");
    expect(() => sweepScheduleOf(undefined, { SHIPSHAPE_SCHEDULE: "daily" })).toThrow(
      'SHIPSHAPE_SCHEDULE: "daily" is not a cron expression; write minute hour day-of-month month day-of-week in UTC, e.g. "0 3 * * *" (daily at 03:00)',
    );
  });
});
