import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CallLog, FULL_READ_CALLS, mockConfigFile, mockFullRead, mockRepositoryAndBranch, mockTarball, mockToken, secretsIn } from "./errors-harness.js";
import { API, BASE_SHA, FIXTURES, INSTALLATION, installationCreated, OWNER, REPO, startApp, TREE_SHA, type TestApp } from "./harness.js";
import { DASHBOARD_READ_LOGGED, mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;
const TITLE = "Shipshape cannot read its configuration";
const INVALID_SEVERITY = "rules:\n  image-tag-mutable:\n    severity: urgent\n";
const INVALID_SEVERITY_MESSAGE = ".github/shipshape.yml: invalid configuration\n  - rules.image-tag-mutable.severity: must be one of critical, high, medium, low";

/** The issue body for a config error message, written out here rather than taken from the code under test. */
function issueBody(message: string): string {
  return `Shipshape found a problem in its configuration and opened no pull requests until it is fixed:\n\n\`\`\`\n${message}\n\`\`\`\n\nFix the file and push to the default branch; Shipshape scans again on that push.`;
}

/**
 * After the config issue, a scan that stops at its config looks for the dashboard, to show the problem there
 * too; there is none here, and none is opened for it (test/app/dashboard.test.ts shows an existing one).
 */
const DASHBOARD_LOOKED_FOR = DASHBOARD_READ_LOGGED;

/** The calls of a scan that stops at its config: no tarball, no pull requests. */
const CONFIG_ERROR_READ = [
  `POST /app/installations/${INSTALLATION}/access_tokens`,
  `GET ${repoPath}`,
  `GET ${repoPath}/branches/main`,
  `GET ${repoPath}/contents/.github/shipshape.yml?ref=${BASE_SHA}`,
  `GET ${repoPath}/issues?state=open&labels=shipshape-config&per_page=1`,
];

function scanReports(app: TestApp): unknown[] {
  return app.logs.map((line) => JSON.parse(line) as { msg: string; report?: unknown }).flatMap((entry) => (entry.msg === "scan finished" ? [entry.report] : []));
}

describe("an invalid .github/shipshape.yml", () => {
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

  async function deliverWithConfig(config: string, issues: object[], writes: (scope: nock.Scope) => void = () => {}) {
    const app = await startApp();
    const github = log.watch(nock(API));
    mockToken(github);
    mockRepositoryAndBranch(github);
    mockConfigFile(github, REPO, config);
    github.get(`${repoPath}/issues`).query({ state: "open", labels: "shipshape-config", per_page: 1 }).reply(200, issues);
    writes(github);
    mockDashboardRead(github);
    await app.deliver("installation", installationCreated());
    return { app, github };
  }

  it("opens an issue with the exact problem, and reads no tarball and opens no pull request", async () => {
    const bodies: unknown[] = [];
    const { app, github } = await deliverWithConfig(INVALID_SEVERITY, [], (scope) =>
      scope.post(`${repoPath}/issues`, (body) => bodies.push(body) > 0).reply(201, { number: 5 }),
    );

    expect(log.calls).toEqual([...CONFIG_ERROR_READ, `POST ${repoPath}/issues`, DASHBOARD_LOOKED_FOR]);
    expect(bodies).toEqual([{ title: TITLE, body: issueBody(INVALID_SEVERITY_MESSAGE), labels: ["shipshape-config"] }]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, skipped: "invalid configuration", findings: 0, pullRequests: {}, closed: [] }]);
    expect(secretsIn(app.logs)).toEqual([]);
  });

  it("updates the open config issue in place when its text is out of date", async () => {
    const bodies: unknown[] = [];
    const stale = { number: 5, title: TITLE, body: issueBody(".github/shipshape.yml: invalid configuration\n  - limits.maxDepth: must be <= 10000"), labels: [{ name: "shipshape-config" }], state: "open" };
    const { github } = await deliverWithConfig(INVALID_SEVERITY, [stale], (scope) =>
      scope.patch(`${repoPath}/issues/5`, (body) => bodies.push(body) > 0).reply(200, { number: 5 }),
    );

    expect(log.calls).toEqual([...CONFIG_ERROR_READ, `PATCH ${repoPath}/issues/5`, DASHBOARD_LOOKED_FOR]);
    expect(bodies).toEqual([{ body: issueBody(INVALID_SEVERITY_MESSAGE) }]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
  });

  it("writes nothing when the open config issue already says exactly this", async () => {
    const current = { number: 5, title: TITLE, body: issueBody(INVALID_SEVERITY_MESSAGE), labels: [{ name: "shipshape-config" }], state: "open" };
    const { github } = await deliverWithConfig(INVALID_SEVERITY, [current]);

    expect(log.calls).toEqual([...CONFIG_ERROR_READ, DASHBOARD_LOOKED_FOR]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
  });

  it("opens the same issue for a rule id it does not know and for rule parameters their check or fix refuses", async () => {
    const bodies: unknown[] = [];
    const config = "rules:\n  pdb-mising: off\n  network-policy-missing:\n    fixParams: {egress: sideways}\n";
    const { app, github } = await deliverWithConfig(config, [], (scope) => scope.post(`${repoPath}/issues`, (body) => bodies.push(body) > 0).reply(201, { number: 5 }));

    expect(log.calls).toEqual([...CONFIG_ERROR_READ, `POST ${repoPath}/issues`, DASHBOARD_LOOKED_FOR]);
    const message = 'rules.pdb-mising: unknown rule "pdb-mising" (run `shipshape rules` to list them)\nrules.network-policy-missing.fixParams.egress: must be one of open, restrict';
    expect(bodies).toEqual([{ title: TITLE, body: issueBody(message), labels: ["shipshape-config"] }]);
    expect(github.pendingMocks()).toEqual([]);
    expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, skipped: "invalid configuration", findings: 0, pullRequests: {}, closed: [] }]);
  });

  it("opens an issue for a file that is not YAML at all, instead of failing the scan silently", async () => {
    const bodies: unknown[] = [];
    const { app, github } = await deliverWithConfig("rules: {image-tag-mutable: off\n", [], (scope) =>
      scope.post(`${repoPath}/issues`, (body) => bodies.push(body) > 0).reply(201, { number: 5 }),
    );

    expect(log.calls).toEqual([...CONFIG_ERROR_READ, `POST ${repoPath}/issues`, DASHBOARD_LOOKED_FOR]);
    const message =
      ".github/shipshape.yml: not valid YAML: Flow map in block collection must be sufficiently indented and end with a } at line 2, column 1:\n\nrules: {image-tag-mutable: off\n\n^";
    expect(bodies).toEqual([{ title: TITLE, body: issueBody(message), labels: ["shipshape-config"] }]);
    expect(github.pendingMocks()).toEqual([]);
    expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, skipped: "invalid configuration", findings: 0, pullRequests: {}, closed: [] }]);
  });

  it("reports an invalid organisation default (the .github repository's file) in the scanned repository", async () => {
    const app = await startApp();
    const github = log.watch(nock(API));
    const bodies: unknown[] = [];
    mockToken(github);
    mockRepositoryAndBranch(github);
    mockConfigFile(github, REPO, undefined);
    mockConfigFile(github, ".github", "pullRequests:\n  groupBy: team\n");
    github
      .get(`${repoPath}/issues`).query({ state: "open", labels: "shipshape-config", per_page: 1 }).reply(200, [])
      .post(`${repoPath}/issues`, (body) => bodies.push(body) > 0).reply(201, { number: 5 });
    mockDashboardRead(github);

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([
      `POST /app/installations/${INSTALLATION}/access_tokens`,
      `GET ${repoPath}`,
      `GET ${repoPath}/branches/main`,
      `GET ${repoPath}/contents/.github/shipshape.yml?ref=${BASE_SHA}`,
      `GET /repos/${OWNER}/.github/contents/.github/shipshape.yml`,
      `GET ${repoPath}/issues?state=open&labels=shipshape-config&per_page=1`,
      `POST ${repoPath}/issues`,
      DASHBOARD_LOOKED_FOR,
    ]);
    expect(bodies).toEqual([
      { title: TITLE, body: issueBody(".github/shipshape.yml: invalid configuration\n  - pullRequests.groupBy: must be one of rule, directory, all"), labels: ["shipshape-config"] },
    ]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
  });

  it("names the organisation's file when that one is not YAML", async () => {
    const app = await startApp();
    const github = log.watch(nock(API));
    const bodies: unknown[] = [];
    mockToken(github);
    mockRepositoryAndBranch(github);
    mockConfigFile(github, REPO, undefined);
    mockConfigFile(github, ".github", "rules:\n  - [\n");
    github
      .get(`${repoPath}/issues`).query({ state: "open", labels: "shipshape-config", per_page: 1 }).reply(200, [])
      .post(`${repoPath}/issues`, (body) => bodies.push(body) > 0).reply(201, { number: 5 });
    mockDashboardRead(github);

    await app.deliver("installation", installationCreated());

    expect(log.calls.slice(-2)).toEqual([`POST ${repoPath}/issues`, DASHBOARD_LOOKED_FOR]);
    expect(bodies).toHaveLength(1);
    expect((bodies[0] as { body: string }).body).toContain(`\n\`\`\`\n${OWNER}/.github:.github/shipshape.yml: not valid YAML: `);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, skipped: "invalid configuration", findings: 0, pullRequests: {}, closed: [] }]);
  });
});

describe("_extends: .github", () => {
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

  it("merges the organisation's config deeply under the repository's: the org turns a rule off, the repository raises another's severity", async () => {
    const app = await startApp();
    const github = log.watch(nock(API));
    mockToken(github);
    mockRepositoryAndBranch(github);
    // Both files set `rules`: a shallow merge would lose the organisation's and open a privilege-escalation pull request.
    mockConfigFile(github, REPO, "_extends: .github\nrules:\n  liveness-probe-missing: critical\n");
    mockConfigFile(github, ".github", "rules:\n  privilege-escalation-allowed: off\n  liveness-probe-missing: low\n");
    await mockTarball(github, join(FIXTURES, "repo"), log);
    mockDashboardRead(github);
    const calls: [string, unknown][] = [];
    const record = (name: string) => (body: unknown) => calls.push([name, body]) > 0;
    github
      .get(`${repoPath}/pulls`).query({ state: "open", per_page: 100 }).reply(200, [])
      .get(`${repoPath}/pulls`).query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 }).reply(200, [])
      .post(`${repoPath}/git/trees`, record("tree")).reply(201, { sha: "t1".padEnd(40, "0") })
      .post(`${repoPath}/git/commits`, record("commit")).reply(201, { sha: "c1".padEnd(40, "0") })
      .post(`${repoPath}/git/refs`, record("ref")).reply(201, {})
      .post(`${repoPath}/pulls`, record("pull")).reply(201, { number: 11 })
      .post(`${repoPath}/issues/11/labels`, record("labels")).reply(200, []);
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());

    expect(log.calls).toEqual([
      `POST /app/installations/${INSTALLATION}/access_tokens`,
      `GET ${repoPath}`,
      `GET ${repoPath}/branches/main`,
      `GET ${repoPath}/contents/.github/shipshape.yml?ref=${BASE_SHA}`,
      `GET /repos/${OWNER}/.github/contents/.github/shipshape.yml`,
      `GET ${repoPath}/tarball/${BASE_SHA}`,
      `GET /${OWNER}/${REPO}/legacy.tar.gz/${BASE_SHA}`,
      DASHBOARD_READ_LOGGED,
      `GET ${repoPath}/pulls?state=open&per_page=100`,
      `GET ${repoPath}/pulls?state=closed&sort=updated&direction=desc&per_page=100`,
      `POST ${repoPath}/git/trees`,
      `POST ${repoPath}/git/commits`,
      `POST ${repoPath}/git/refs`,
      `POST ${repoPath}/pulls`,
      `POST ${repoPath}/issues/11/labels`,
      `POST ${repoPath}/issues`,
    ]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    const golden = readFileSync(join(FIXTURES, "expected", "pr-liveness-probe-missing.md"), "utf8");
    // The repository's severity wins over the organisation's for the same rule.
    const body = golden.replace("`liveness-probe-missing` · reliability · medium severity ·", "`liveness-probe-missing` · reliability · critical severity ·");
    expect(body).not.toBe(golden);
    const deployment = readFileSync(join(FIXTURES, "repo", "apps", "web", "deployment.yaml"), "utf8");
    expect(calls).toEqual([
      ["tree", { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}          livenessProbe:\n            httpGet:\n              path: /readyz\n              port: http\n` }] }],
      ["commit", { message: "Add liveness probes (liveness-probe-missing)\n\nMade by Shipshape; the pull request says what changed and why.", tree: "t1".padEnd(40, "0"), parents: [BASE_SHA] }],
      ["ref", { ref: "refs/heads/shipshape/liveness-probe-missing", sha: "c1".padEnd(40, "0") }],
      ["pull", { title: "Add liveness probes (liveness-probe-missing)", body, head: "shipshape/liveness-probe-missing", base: "main", draft: true }],
      ["labels", { labels: ["shipshape", "reliability"] }],
    ]);
  });

  it("a valid config of the repository's own turns a rule off (control for the merge test: the same read without _extends)", async () => {
    const app = await startApp();
    const github = log.watch(nock(API));
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: "rules:\n  liveness-probe-missing: off\n", log });
    const heads: string[] = [];
    github
      .get(`${repoPath}/pulls`).query({ state: "open", per_page: 100 }).reply(200, [])
      .get(`${repoPath}/pulls`).query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 }).reply(200, [])
      .post(`${repoPath}/git/trees`).reply(201, { sha: "t1".padEnd(40, "0") })
      .post(`${repoPath}/git/commits`).reply(201, { sha: "c1".padEnd(40, "0") })
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`, (body: { head: string }) => heads.push(body.head) > 0).reply(201, { number: 12 })
      .post(`${repoPath}/issues/12/labels`).reply(200, []);
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());

    expect(log.calls.slice(0, FULL_READ_CALLS.length)).toEqual(FULL_READ_CALLS);
    expect(heads).toEqual(["shipshape/privilege-escalation-allowed"]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
  });
});
