import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pointBranch } from "../../src/github/git-commit.js";
import type { GitHubClient } from "../../src/github/octokit.js";
import { scanRepository, type ScanRepositoryOptions } from "../../src/github/scan-repository.js";
import { loadRules } from "../../src/rules/load.js";
import { API, BASE_SHA, BOT, comparisonJson, FIXTURES, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, OWNER, PERSON, PULL_LISTING_CALLS, pullRequestJson, recordCalls, REPO, repositoryReadCalls, TREE_SHA, type Call, type PullRequestFields, watchUnmatched } from "./harness.js";

/**
 * What `/shipshape fix` and `/shipshape rebase` ask of a scan, through
 * scanRepository itself: `forceRules` opens pull requests that people closed
 * before or that the limits would hold back; `rebuild` remakes a branch that
 * people pushed to. Scans here leave the dashboard out (`dashboard: false`):
 * its calls are the dashboard tests' business.
 */

const repository = { owner: OWNER, repo: REPO };
const repoPath = `/repos/${OWNER}/${REPO}`;
const catalog = loadRules();
const golden = (name: string) => readFileSync(join(FIXTURES, "expected", name), "utf8");
const fixture = (name: string) => join(FIXTURES, name);
const deploymentOf = (name: string) => readFileSync(join(FIXTURES, name, "apps", "web", "deployment.yaml"), "utf8");

const NO_DASHBOARD = "dashboard: false\n";
const MOVED_SHA = "d".repeat(40);
const MOVED_TREE_SHA = "f".repeat(40);
const LIVENESS = "shipshape/liveness-probe-missing";
const PRIVILEGE = "shipshape/privilege-escalation-allowed";
const LIVENESS_TITLE = "Add liveness probes (liveness-probe-missing)";
const PRIVILEGE_TITLE = "Disallow privilege escalation (privilege-escalation-allowed)";
const LIVENESS_BODY = golden("pr-liveness-probe-missing.md");
const PRIVILEGE_BODY = golden("pr-privilege-escalation-allowed.md");
const LIVENESS_FIX = "          livenessProbe:\n            httpGet:\n              path: /readyz\n              port: http\n";
const HANDS_OFF = "<!-- shipshape:hands-off -->";
const LIVENESS_HEAD = "1a".repeat(20);
const PERSON_COMMIT = "3c".repeat(20);

const commitMessage = (title: string) => `${title}\n\nMade by Shipshape; the pull request says what changed and why.`;
const refPath = (branch: string) => `${repoPath}/git/refs/${encodeURIComponent(`heads/${branch}`)}`;
const comparePath = (branch: string) => `${repoPath}/compare/main...${encodeURIComponent(branch)}`;
const rebased = (body: string, sha: string) => body.replaceAll(BASE_SHA, sha).replace(` at ${BASE_SHA.slice(0, 7)}.`, ` at ${sha.slice(0, 7)}.`);
const livenessPull = (fields: Partial<PullRequestFields> = {}) =>
  pullRequestJson({ number: 11, branch: LIVENESS, title: LIVENESS_TITLE, body: LIVENESS_BODY, headSha: LIVENESS_HEAD, draft: true, ...fields });
const privilegePull = (fields: Partial<PullRequestFields> = {}) => pullRequestJson({ number: 12, branch: PRIVILEGE, title: PRIVILEGE_TITLE, body: PRIVILEGE_BODY, ...fields });
const rejected = { closedAt: "2024-05-02T16:00:00Z", mergedAt: null };
const withPersonsCommit = comparisonJson([
  { sha: LIVENESS_HEAD, author: { login: BOT.login, type: "Bot" }, message: commitMessage(LIVENESS_TITLE) },
  { sha: PERSON_COMMIT, author: { login: PERSON.login, type: "User" }, message: "Probe /healthz, not /readyz" },
]);

const treeCall = (fixtureName: string, fix: string, tree = TREE_SHA): Call => [
  `POST ${repoPath}/git/trees`,
  { base_tree: tree, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deploymentOf(fixtureName)}${fix}` }] },
];

describe("scans that people asked for", () => {
  let octokit: GitHubClient;
  let github: nock.Scope;
  let calls: Call[];
  let unmatched: ReturnType<typeof watchUnmatched>;

  beforeEach(() => {
    nock.disableNetConnect();
    octokit = new ProbotOctokit({ auth: { token: "ghs_installationtokenfortests" }, retry: { enabled: false }, throttle: { enabled: false } }) as GitHubClient;
    github = nock(API);
    calls = recordCalls(github);
    unmatched = watchUnmatched();
  });
  afterEach(() => {
    unmatched.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const scan = (options: ScanRepositoryOptions) => scanRepository(octokit, repository, catalog, { registry: { offline: true }, ...options });
  const expectAllAnswered = () => {
    expect(unmatched.requests).toEqual([]);
    expect(github.pendingMocks()).toEqual([]);
  };
  const mockNewPull = (number: number, tree: string, commit: string) => mockPullRequestCreation(github, { tree, commit, number });
  const READ = repositoryReadCalls({ config: true, token: false });

  describe("forceRules", () => {
    it("opens the pull request of a forced rule that people closed, and keeps the other closed one closed", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github, { closed: [livenessPull(rejected), privilegePull(rejected)] });
      mockNewPull(13, "70".repeat(20), "c0".repeat(20));

      const report = await scan({ forceRules: ["liveness-probe-missing"] });

      expectAllAnswered();
      expect(calls).toEqual([
        ...READ,
        ...PULL_LISTING_CALLS,
        treeCall("repo", LIVENESS_FIX),
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "70".repeat(20), parents: [BASE_SHA] }],
        [`POST ${repoPath}/git/refs`, { ref: `refs/heads/${LIVENESS}`, sha: "c0".repeat(20) }],
        [`POST ${repoPath}/pulls`, { title: LIVENESS_TITLE, body: LIVENESS_BODY, head: LIVENESS, base: "main", draft: true }],
        [`POST ${repoPath}/issues/13/labels`, { labels: ["shipshape", "reliability"] }],
      ]);
      expect(report).toMatchObject({ findings: 2, pullRequests: { [LIVENESS]: "opened" }, closed: [] });
    });

    it("opens past pullRequests.maxOpen and maxPerHour, and counts what it opened against the rules it does not force", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: `${NO_DASHBOARD}pullRequests:\n  maxOpen: 1\n  maxPerHour: 1\n`, token: false });
      mockPullRequestListings(github, { open: [pullRequestJson({ number: 10, branch: "shipshape/image-tag-mutable", body: null, createdAt: new Date(Date.now() - 60_000).toISOString() })] });
      github
        // The open pull request's findings are gone: it is closed as obsolete.
        .post(`${repoPath}/issues/10/comments`)
        .reply(201, {})
        .patch(`${repoPath}/pulls/10`)
        .reply(200, {})
        .delete(refPath("shipshape/image-tag-mutable"))
        .reply(204);
      mockNewPull(13, "70".repeat(20), "c0".repeat(20));
      // The order of the calls is the groups' order: liveness (forced, opened), privilege (held by the limits).
      const report = await scan({ forceRules: ["liveness-probe-missing"] });

      expectAllAnswered();
      expect(calls.slice(READ.length + PULL_LISTING_CALLS.length).map(([call]) => call)).toEqual([
        `POST ${repoPath}/git/trees`,
        `POST ${repoPath}/git/commits`,
        `POST ${repoPath}/git/refs`,
        `POST ${repoPath}/pulls`,
        `POST ${repoPath}/issues/13/labels`,
        `POST ${repoPath}/issues/10/comments`,
        `PATCH ${repoPath}/pulls/10`,
        `DELETE ${refPath("shipshape/image-tag-mutable")}`,
      ]);
      expect(report).toMatchObject({ findings: 2, pullRequests: { [LIVENESS]: "opened", [PRIVILEGE]: "limited" }, closed: [10] });
    });

    it("does not move a branch that holds people's commits, forced or not", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("probe-missing"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github, { closed: [livenessPull({ ...rejected, headSha: PERSON_COMMIT })] });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "70".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c0".repeat(20) })
        .post(`${repoPath}/git/refs`)
        .reply(422, { message: "Reference already exists" })
        .get(comparePath(LIVENESS))
        .query({ per_page: 100 })
        .reply(200, withPersonsCommit);

      const report = await scan({ forceRules: ["liveness-probe-missing"] });

      expectAllAnswered();
      expect(calls.at(-1)).toEqual([`GET ${comparePath(LIVENESS)}?per_page=100`, undefined]);
      expect(report).toMatchObject({ pullRequests: { [LIVENESS]: "left-alone" } });
    });
  });

  describe("rebuild", () => {
    it("remakes the branch people pushed to on the current base, force-moves it and drops the hands-off mark; other hands-off pull requests stay alone", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: NO_DASHBOARD, head: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA }, token: false });
      mockPullRequestListings(github, {
        open: [livenessPull({ body: `${LIVENESS_BODY}\n${HANDS_OFF}`, headSha: PERSON_COMMIT }), privilegePull({ body: `${PRIVILEGE_BODY}\n${HANDS_OFF}`, headSha: "4d".repeat(20) })],
      });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "71".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c1".repeat(20) })
        .patch(refPath(LIVENESS))
        .reply(200, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {});

      const report = await scan({ rebuild: LIVENESS });

      expectAllAnswered();
      expect(calls).toEqual([
        ...repositoryReadCalls({ config: true, token: false, head: MOVED_SHA }),
        ...PULL_LISTING_CALLS,
        treeCall("repo", LIVENESS_FIX, MOVED_TREE_SHA),
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "71".repeat(20), parents: [MOVED_SHA] }],
        [`PATCH ${refPath(LIVENESS)}`, { sha: "c1".repeat(20), force: true }],
        [`PATCH ${repoPath}/pulls/11`, { title: LIVENESS_TITLE, body: rebased(LIVENESS_BODY, MOVED_SHA) }],
      ]);
      expect(report).toMatchObject({ findings: 2, pullRequests: { [LIVENESS]: "updated", [PRIVILEGE]: "left-alone" }, closed: [] });
    });

    it("rebuilds even when the base and findings are unchanged and no hands-off mark was written yet, without asking who committed", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("probe-missing"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github, { open: [livenessPull({ headSha: PERSON_COMMIT })] });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "72".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c2".repeat(20) })
        .patch(refPath(LIVENESS))
        .reply(200, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {});

      const report = await scan({ rebuild: LIVENESS });

      expectAllAnswered();
      expect(calls).toEqual([
        ...READ,
        ...PULL_LISTING_CALLS,
        treeCall("probe-missing", LIVENESS_FIX),
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "72".repeat(20), parents: [BASE_SHA] }],
        [`PATCH ${refPath(LIVENESS)}`, { sha: "c2".repeat(20), force: true }],
        [`PATCH ${repoPath}/pulls/11`, { title: LIVENESS_TITLE, body: LIVENESS_BODY }],
      ]);
      expect(report).toMatchObject({ pullRequests: { [LIVENESS]: "updated" } });
    });

    it("closes the hands-off pull request and deletes its branch when nothing is left to fix", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("clean"), config: NO_DASHBOARD, token: false });
      const body = `${LIVENESS_BODY}\n${HANDS_OFF}`;
      mockPullRequestListings(github, { open: [livenessPull({ body, headSha: PERSON_COMMIT })] });
      github
        .post(`${repoPath}/issues/11/comments`)
        .reply(201, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {})
        .delete(refPath(LIVENESS))
        .reply(204);

      const report = await scan({ rebuild: LIVENESS });

      expectAllAnswered();
      expect(calls).toEqual([
        ...READ,
        ...PULL_LISTING_CALLS,
        [`POST ${repoPath}/issues/11/comments`, { body: "Shipshape no longer finds what this pull request fixes on main, so it is closing it and deleting its branch." }],
        [`PATCH ${repoPath}/pulls/11`, { state: "closed", body: `${body}\n<!-- shipshape:obsolete -->` }],
        [`DELETE ${refPath(LIVENESS)}`, undefined],
      ]);
      expect(report).toMatchObject({ findings: 0, closed: [11] });
    });

    it("does nothing for a branch without an open pull request that holds people's commits", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("probe-missing"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github);
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "73".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c3".repeat(20) })
        .post(`${repoPath}/git/refs`)
        .reply(422, { message: "Reference already exists" })
        .get(comparePath(LIVENESS))
        .query({ per_page: 100 })
        .reply(200, withPersonsCommit);

      const report = await scan({ rebuild: LIVENESS });

      expectAllAnswered();
      expect(calls.map(([call]) => call).slice(-2)).toEqual([`POST ${repoPath}/git/refs`, `GET ${comparePath(LIVENESS)}?per_page=100`]);
      expect(report).toMatchObject({ pullRequests: { [LIVENESS]: "left-alone" } });
    });

    it("never writes to the default branch, whatever it is called", async () => {
      await expect(pointBranch(octokit, repository, "shipshape/main", "c4".repeat(20), true, "shipshape/main")).rejects.toThrow("refusing to write to shipshape/main: it is the default branch");
      await expect(pointBranch(octokit, repository, "main", "c4".repeat(20), true, "main")).rejects.toThrow("refusing to write to main");
      expect(calls).toEqual([]);
    });
  });
});
