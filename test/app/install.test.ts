import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API, BASE_SHA, FIXTURES, installationCreated, mockRepositoryRead, OWNER, REPO, startApp, TREE_SHA } from "./harness.js";
import { join } from "node:path";

describe("installing the app", () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("opens one pull request per rule with the fixes, in a fixed number of calls", async () => {
    const app = await startApp();
    const github = nock(API);
    await mockRepositoryRead(github, { fixtureDir: join(FIXTURES, "repo") });
    const bodies: Record<string, unknown[]> = { trees: [], commits: [], refs: [], pulls: [], labels: [] };
    github
      .get(`/repos/${OWNER}/${REPO}/pulls`).query({ state: "open", per_page: 100 }).reply(200, [])
      .get(`/repos/${OWNER}/${REPO}/pulls`).query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 }).reply(200, [])
      .post(`/repos/${OWNER}/${REPO}/git/trees`, (body) => bodies.trees!.push(body) > 0).times(3).reply(201, { sha: "c".repeat(40) })
      .post(`/repos/${OWNER}/${REPO}/git/commits`, (body) => bodies.commits!.push(body) > 0).times(3).reply(201, { sha: "d".repeat(40) })
      .post(`/repos/${OWNER}/${REPO}/git/refs`, (body) => bodies.refs!.push(body) > 0).times(3).reply(201, {})
      .post(`/repos/${OWNER}/${REPO}/pulls`, (body) => bodies.pulls!.push(body) > 0).times(3).reply(201, (_uri, _body) => ({ number: 10 + bodies.pulls!.length }))
      .post(/\/repos\/Codertocat\/Hello-World\/issues\/\d+\/labels/, (body) => bodies.labels!.push(body) > 0).times(3).reply(200, []);
    await app.deliver("installation", installationCreated());
    console.log(app.logs.map((line) => JSON.parse(line).time + " " + JSON.parse(line).msg + " " + JSON.stringify(JSON.parse(line).report ?? JSON.parse(line).err?.message ?? "")).join("\n"));
    expect(github.pendingMocks()).toEqual([]);
    expect(bodies.refs).toEqual([
      { ref: "refs/heads/shipshape/liveness-probe-missing", sha: "d".repeat(40) },
      { ref: "refs/heads/shipshape/privilege-escalation-allowed", sha: "d".repeat(40) },
      { ref: "refs/heads/shipshape/run-as-non-root-missing", sha: "d".repeat(40) },
    ]);
    expect(bodies.commits.map((commit) => (commit as { parents: string[] }).parents)).toEqual([[BASE_SHA], [BASE_SHA], [BASE_SHA]]);
    expect((bodies.trees[0] as { base_tree: string }).base_tree).toBe(TREE_SHA);
    console.log(JSON.stringify(bodies, null, 1).slice(0, 3000));
  });
});
