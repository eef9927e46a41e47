import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DASHBOARD_LABEL, DASHBOARD_TITLE } from "../../src/github/dashboard-state.js";
import { dashboardGolden, mockDashboardRead } from "./dashboard-harness.js";
import { API, BASE_SHA, FIXTURES, installationCreated, mockRepositoryRead, OWNER, REPO, startApp, TREE_SHA } from "./harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;
const golden = (name: string) => readFileSync(join(FIXTURES, "expected", name), "utf8");

describe("installing the app", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("opens one pull request per rule, each one commit made with the Git Data API, then the dashboard issue, in a fixed number of calls", async () => {
    const app = await startApp();
    const github = nock(API);
    await mockRepositoryRead(github, { fixtureDir: join(FIXTURES, "repo") });
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
      .post(`${repoPath}/issues/11/labels`, record("labels")).reply(200, [])
      .post(`${repoPath}/git/trees`, record("tree")).reply(201, { sha: "t2".padEnd(40, "0") })
      .post(`${repoPath}/git/commits`, record("commit")).reply(201, { sha: "c2".padEnd(40, "0") })
      .post(`${repoPath}/git/refs`, record("ref")).reply(201, {})
      .post(`${repoPath}/pulls`, record("pull")).reply(201, { number: 12 })
      .post(`${repoPath}/issues/12/labels`, record("labels")).reply(200, [])
      .post(`${repoPath}/issues`, record("dashboard")).reply(201, { number: 13 });

    await app.deliver("installation", installationCreated());

    expect(github.pendingMocks()).toEqual([]);
    const deployment = readFileSync(join(FIXTURES, "repo", "apps", "web", "deployment.yaml"), "utf8");
    expect(calls).toEqual([
      [
        "tree",
        {
          base_tree: TREE_SHA,
          tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}          livenessProbe:\n            httpGet:\n              path: /readyz\n              port: http\n` }],
        },
      ],
      ["commit", { message: "Add liveness probes (liveness-probe-missing)\n\nMade by Shipshape; the pull request says what changed and why.", tree: "t1".padEnd(40, "0"), parents: [BASE_SHA] }],
      ["ref", { ref: "refs/heads/shipshape/liveness-probe-missing", sha: "c1".padEnd(40, "0") }],
      ["pull", { title: "Add liveness probes (liveness-probe-missing)", body: golden("pr-liveness-probe-missing.md"), head: "shipshape/liveness-probe-missing", base: "main", draft: true }],
      ["labels", { labels: ["shipshape", "reliability"] }],
      ["tree", { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}            allowPrivilegeEscalation: false\n` }] }],
      ["commit", { message: "Disallow privilege escalation (privilege-escalation-allowed)\n\nMade by Shipshape; the pull request says what changed and why.", tree: "t2".padEnd(40, "0"), parents: [BASE_SHA] }],
      ["ref", { ref: "refs/heads/shipshape/privilege-escalation-allowed", sha: "c2".padEnd(40, "0") }],
      ["pull", { title: "Disallow privilege escalation (privilege-escalation-allowed)", body: golden("pr-privilege-escalation-allowed.md"), head: "shipshape/privilege-escalation-allowed", base: "main", draft: false }],
      ["labels", { labels: ["shipshape", "security"] }],
      ["dashboard", { title: DASHBOARD_TITLE, body: dashboardGolden("dashboard-repo.md"), labels: [DASHBOARD_LABEL] }],
    ]);
  });
});
