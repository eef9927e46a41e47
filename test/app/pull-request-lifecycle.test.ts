import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { BASE_SHA, BOT, comparisonJson, errorLogs, FIXTURES, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, OWNER, PERSON, PULL_LISTING_CALLS, pullRequestJson, pushEvent, REPO, repositoryReadCalls, scanReports, sign, TREE_SHA, type AppSession, type Call, type PullRequestFields, type RepositoryReadOptions, type TestApp, useAppSession } from "./harness.js";
import { DASHBOARD_CREATED, DASHBOARD_READ, mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;
const golden = (name: string) => readFileSync(join(FIXTURES, "expected", name), "utf8");
const fixture = (name: string) => join(FIXTURES, name);
const deploymentOf = (name: string) => readFileSync(join(FIXTURES, name, "apps", "web", "deployment.yaml"), "utf8");

/** main after someone else's commit: the repository's content is unchanged, its head is not. */
const MOVED_SHA = "d".repeat(40);
const MOVED_TREE_SHA = "f".repeat(40);
/** The single commits Shipshape made on its branches when it opened the pull requests (on BASE_SHA). */
const LIVENESS_HEAD = "1a".repeat(20);
const PRIVILEGE_HEAD = "2b".repeat(20);
const PERSON_COMMIT = "3c".repeat(20);

const LIVENESS = "shipshape/liveness-probe-missing";
const PRIVILEGE = "shipshape/privilege-escalation-allowed";
const LIVENESS_TITLE = "Add liveness probes (liveness-probe-missing)";
const PRIVILEGE_TITLE = "Disallow privilege escalation (privilege-escalation-allowed)";
/** The pull requests the install scan opened (test/app/install.test.ts makes exactly these bodies). */
const LIVENESS_BODY = golden("pr-liveness-probe-missing.md");
const PRIVILEGE_BODY = golden("pr-privilege-escalation-allowed.md");
const LIVENESS_FIX = "          livenessProbe:\n            httpGet:\n              path: /readyz\n              port: http\n";
const PRIVILEGE_FIX = "            allowPrivilegeEscalation: false\n";

const HANDS_OFF_COMMENT =
  "Someone pushed commits to this branch, so Shipshape will no longer update it: it is yours now. To have Shipshape propose these fixes afresh, close it and delete the branch.";
const OBSOLETE_COMMENT = "Shipshape no longer finds what this pull request fixes on main, so it is closing it and deleting its branch.";

const commitMessage = (title: string) => `${title}\n\nMade by Shipshape; the pull request says what changed and why.`;
const refPath = (branch: string) => `${repoPath}/git/refs/${encodeURIComponent(`heads/${branch}`)}`;
const comparePath = (branch: string) => `${repoPath}/compare/main...${encodeURIComponent(branch)}`;
/** A body Shipshape wrote on BASE_SHA, as it writes it on another base. */
const rebased = (body: string, sha: string) => body.replaceAll(BASE_SHA, sha).replace(` at ${BASE_SHA.slice(0, 7)}.`, ` at ${sha.slice(0, 7)}.`);

const livenessPull = (fields: Partial<PullRequestFields> = {}) =>
  pullRequestJson({ number: 11, branch: LIVENESS, title: LIVENESS_TITLE, body: LIVENESS_BODY, headSha: LIVENESS_HEAD, draft: true, ...fields });
const privilegePull = (fields: Partial<PullRequestFields> = {}) =>
  pullRequestJson({ number: 12, branch: PRIVILEGE, title: PRIVILEGE_TITLE, body: PRIVILEGE_BODY, headSha: PRIVILEGE_HEAD, ...fields });

const pushToMain = (after = BASE_SHA) => pushEvent({ ref: "refs/heads/main", before: "0123456789abcdef".repeat(2) + "01234567", after });

/** Shipshape opening the liveness pull request `number`: a tree, a commit, the branch, the pull request, its labels. */
interface NewLivenessPull {
  number: number;
  tree: string;
  commit: string;
  base?: { sha: string; treeSha: string };
  fixture?: string;
  body?: string;
}

function mockNewLivenessPull(scope: nock.Scope, pull: NewLivenessPull): void {
  mockPullRequestCreation(scope, pull);
}

function newLivenessPullCalls(pull: NewLivenessPull): Call[] {
  const base = pull.base ?? { sha: BASE_SHA, treeSha: TREE_SHA };
  const content = `${deploymentOf(pull.fixture ?? "probe-missing")}${LIVENESS_FIX}`;
  return [
    [`POST ${repoPath}/git/trees`, { base_tree: base.treeSha, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content }] }],
    [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: pull.tree, parents: [base.sha] }],
    [`POST ${repoPath}/git/refs`, { ref: `refs/heads/${LIVENESS}`, sha: pull.commit }],
    [`POST ${repoPath}/pulls`, { title: LIVENESS_TITLE, body: pull.body ?? LIVENESS_BODY, head: LIVENESS, base: "main", draft: true }],
    [`POST ${repoPath}/issues/${pull.number}/labels`, { labels: ["shipshape", "reliability"] }],
  ];
}

/** Every scan here finds no dashboard issue and opens one; what it says is test/app/dashboard.test.ts's business. */
async function mockScanRead(scope: nock.Scope, options: RepositoryReadOptions): Promise<void> {
  await mockRepositoryRead(scope, options);
  mockDashboardRead(scope);
  mockDashboardCreate(scope);
}

/** The calls of a scan before it writes pull requests: the repository, the dashboard, the pull request listings. */
const scanCalls = (options?: Parameters<typeof repositoryReadCalls>[0]): Call[] => [...repositoryReadCalls(options), DASHBOARD_READ, ...PULL_LISTING_CALLS];

describe("pull requests over their lifetime", () => {
  const session = useAppSession();
  let app: TestApp;
  let github: nock.Scope;
  let calls: Call[];
  let unmatched: AppSession["unmatched"];
  beforeEach(() => ({ app, github, calls, unmatched } = session));
  const { expectAllAnswered } = session;

  describe("pushes", () => {
    it("a push to the default branch with nothing to fix makes the read calls, and opens the dashboard", async () => {
      await mockScanRead(github, { fixtureDir: fixture("clean") });
      mockPullRequestListings(github);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls(), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 0, pullRequests: {}, closed: [], dashboard: "created" }]);
    });

    it("a push to another branch, a tag or a deleted branch makes no call at all, not even for a token", async () => {
      await app.deliver("push", pushEvent({ ref: "refs/heads/feature", before: BASE_SHA, after: MOVED_SHA }));
      await app.deliver("push", pushEvent({ ref: "refs/tags/v1.0.0", before: "0".repeat(40), after: BASE_SHA }));
      // Shipshape deleting its own branch (after closing a pull request) sends one of these.
      await app.deliver("push", pushEvent({ ref: `refs/heads/${LIVENESS}`, before: LIVENESS_HEAD, after: "0".repeat(40), deleted: true }));
      // GitHub does not let the default branch be deleted; should such a push arrive, it has nothing to scan.
      await app.deliver("push", pushEvent({ ref: "refs/heads/main", before: BASE_SHA, after: "0".repeat(40), deleted: true }));

      expect(unmatched.requests).toEqual([]);
      expect(errorLogs(app)).toEqual([]);
      expect(calls).toEqual([]);
      expect(scanReports(app)).toEqual([]);
    });
  });

  describe("a fix merged some other way", () => {
    it("closes Shipshape's open pull request with a comment and deletes its branch", async () => {
      await mockScanRead(github, { fixtureDir: fixture("clean") });
      mockPullRequestListings(github, { open: [livenessPull()] });
      github
        .post(`${repoPath}/issues/11/comments`)
        .reply(201, { id: 1, body: OBSOLETE_COMMENT })
        .patch(`${repoPath}/pulls/11`)
        .reply(200, { number: 11, state: "closed" })
        .delete(refPath(LIVENESS))
        .reply(204);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls(),
        [`POST ${repoPath}/issues/11/comments`, { body: OBSOLETE_COMMENT }],
        [`PATCH ${repoPath}/pulls/11`, { state: "closed", body: `${LIVENESS_BODY}\n<!-- shipshape:obsolete -->` }],
        [`DELETE ${refPath(LIVENESS)}`, undefined],
        DASHBOARD_CREATED,
      ]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 0, pullRequests: {}, closed: [11], dashboard: "created" }]);
    });

    it("proposes the fix again when the finding comes back after Shipshape closed its pull request", async () => {
      await mockScanRead(github, { fixtureDir: fixture("clean") });
      mockPullRequestListings(github, { open: [livenessPull()] });
      let closingBody = "";
      github
        .post(`${repoPath}/issues/11/comments`)
        .reply(201, {})
        .patch(`${repoPath}/pulls/11`, (body: { body?: string }) => ((closingBody = body.body ?? LIVENESS_BODY), true))
        .reply(200, {})
        .delete(refPath(LIVENESS))
        .reply(204);
      await app.deliver("push", pushToMain());
      expectAllAnswered();

      // The fix is reverted on main: the same finding, the same fingerprint. The pull request Shipshape closed is no "no" from people.
      calls.length = 0;
      await mockScanRead(github, { fixtureDir: fixture("probe-missing"), head: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA }, token: false });
      mockPullRequestListings(github, { closed: [livenessPull({ body: closingBody, closedAt: "2024-05-03T08:00:00Z", mergedAt: null })] });
      mockNewLivenessPull(github, { number: 13, tree: "70".repeat(20), commit: "c0".repeat(20), base: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA }, body: rebased(LIVENESS_BODY, MOVED_SHA) });

      await app.deliver("push", pushToMain(MOVED_SHA));

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls({ head: MOVED_SHA, token: false }),
        ...newLivenessPullCalls({ number: 13, tree: "70".repeat(20), commit: "c0".repeat(20), base: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA }, body: rebased(LIVENESS_BODY, MOVED_SHA) }),
        DASHBOARD_CREATED,
      ]);
    });

    it("leaves alone a pull request a person opened from a shipshape/ branch", async () => {
      await mockScanRead(github, { fixtureDir: fixture("clean") });
      mockPullRequestListings(github, {
        open: [pullRequestJson({ number: 21, branch: "shipshape/setup", title: "Add a Shipshape config", body: "Configures Shipshape for this repository.", user: PERSON })],
      });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls(), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 0, pullRequests: {}, closed: [], dashboard: "created" }]);
    });
  });

  describe("keeping open pull requests up to date", () => {
    it("writes nothing when the open pull requests were made on the same base for the same findings", async () => {
      await mockScanRead(github, { fixtureDir: fixture("repo") });
      mockPullRequestListings(github, { open: [livenessPull(), privilegePull()] });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls(), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "unchanged", [PRIVILEGE]: "unchanged" }, closed: [], dashboard: "created" },
      ]);
    });

    it("rebuilds each pull request's single commit on the new base when main moved, and opens none", async () => {
      await mockScanRead(github, { fixtureDir: fixture("repo"), head: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA } });
      mockPullRequestListings(github, { open: [livenessPull(), privilegePull()] });
      const botCommit = (sha: string, title: string) => comparisonJson([{ sha, author: { login: BOT.login, type: "Bot" }, message: commitMessage(title) }]);
      github
        .get(comparePath(LIVENESS))
        .query({ per_page: 100 })
        .reply(200, botCommit(LIVENESS_HEAD, LIVENESS_TITLE))
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "71".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c1".repeat(20) })
        .patch(refPath(LIVENESS))
        .reply(200, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {})
        .get(comparePath(PRIVILEGE))
        .query({ per_page: 100 })
        .reply(200, botCommit(PRIVILEGE_HEAD, PRIVILEGE_TITLE))
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "72".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c2".repeat(20) })
        .patch(refPath(PRIVILEGE))
        .reply(200, {})
        .patch(`${repoPath}/pulls/12`)
        .reply(200, {});

      await app.deliver("push", pushToMain(MOVED_SHA));

      expectAllAnswered();
      const deployment = deploymentOf("repo");
      expect(calls).toEqual([
        ...scanCalls({ head: MOVED_SHA }),
        [`GET ${comparePath(LIVENESS)}?per_page=100`, undefined],
        [`POST ${repoPath}/git/trees`, { base_tree: MOVED_TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}${LIVENESS_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "71".repeat(20), parents: [MOVED_SHA] }],
        [`PATCH ${refPath(LIVENESS)}`, { sha: "c1".repeat(20), force: true }],
        [`PATCH ${repoPath}/pulls/11`, { title: LIVENESS_TITLE, body: rebased(LIVENESS_BODY, MOVED_SHA) }],
        [`GET ${comparePath(PRIVILEGE)}?per_page=100`, undefined],
        [`POST ${repoPath}/git/trees`, { base_tree: MOVED_TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}${PRIVILEGE_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(PRIVILEGE_TITLE), tree: "72".repeat(20), parents: [MOVED_SHA] }],
        [`PATCH ${refPath(PRIVILEGE)}`, { sha: "c2".repeat(20), force: true }],
        [`PATCH ${repoPath}/pulls/12`, { title: PRIVILEGE_TITLE, body: rebased(PRIVILEGE_BODY, MOVED_SHA) }],
        DASHBOARD_CREATED,
      ]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "updated", [PRIVILEGE]: "updated" }, closed: [], dashboard: "created" }]);
    });
  });

  describe("a person's commit on Shipshape's branch", () => {
    const handsOffBody = `${LIVENESS_BODY}\n<!-- shipshape:hands-off -->`;

    it("makes Shipshape say so once, mark the pull request and write nothing to the branch", async () => {
      await mockScanRead(github, { fixtureDir: fixture("probe-missing"), head: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA } });
      mockPullRequestListings(github, { open: [livenessPull({ headSha: PERSON_COMMIT })] });
      github
        .get(comparePath(LIVENESS))
        .query({ per_page: 100 })
        .reply(
          200,
          comparisonJson([
            { sha: LIVENESS_HEAD, author: { login: BOT.login, type: "Bot" }, message: commitMessage(LIVENESS_TITLE) },
            { sha: PERSON_COMMIT, author: { login: PERSON.login, type: "User" }, message: "Probe /healthz, not /readyz" },
          ]),
        )
        .post(`${repoPath}/issues/11/comments`)
        .reply(201, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {});

      await app.deliver("push", pushToMain(MOVED_SHA));

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls({ head: MOVED_SHA }),
        [`GET ${comparePath(LIVENESS)}?per_page=100`, undefined],
        [`POST ${repoPath}/issues/11/comments`, { body: HANDS_OFF_COMMENT }],
        [`PATCH ${repoPath}/pulls/11`, { body: handsOffBody }],
        DASHBOARD_CREATED,
      ]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 1, pullRequests: { [LIVENESS]: "left-alone" }, closed: [], dashboard: "created" }]);
    });

    it("makes no call about the pull request once it is marked, even when main moves or the finding goes away", async () => {
      const marked = livenessPull({ body: handsOffBody, headSha: PERSON_COMMIT });
      await mockScanRead(github, { fixtureDir: fixture("probe-missing"), head: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA } });
      mockPullRequestListings(github, { open: [marked] });
      await app.deliver("push", pushToMain(MOVED_SHA));

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls({ head: MOVED_SHA }), DASHBOARD_CREATED]);

      // Fixed on main some other way: a pull request people own is theirs to close.
      calls.length = 0;
      await mockScanRead(github, { fixtureDir: fixture("clean"), token: false });
      mockPullRequestListings(github, { open: [marked] });
      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls({ token: false }), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 1, pullRequests: { [LIVENESS]: "left-alone" }, closed: [], dashboard: "created" },
        { repository: `${OWNER}/${REPO}`, findings: 0, pullRequests: {}, closed: [], dashboard: "created" },
      ]);
    });

    it("does not touch the branch of a closed hands-off pull request while it holds the person's commits", async () => {
      await mockScanRead(github, { fixtureDir: fixture("probe-missing") });
      mockPullRequestListings(github, { closed: [livenessPull({ body: handsOffBody, headSha: PERSON_COMMIT, closedAt: "2024-05-04T08:00:00Z", mergedAt: null })] });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "73".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c3".repeat(20) })
        // Closing a pull request does not delete its branch, and the person's commit is still on it.
        .post(`${repoPath}/git/refs`)
        .reply(422, { message: "Reference already exists", documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference", status: "422" })
        .get(comparePath(LIVENESS))
        .query({ per_page: 100 })
        .reply(
          200,
          comparisonJson([
            { sha: LIVENESS_HEAD, author: { login: BOT.login, type: "Bot" }, message: commitMessage(LIVENESS_TITLE) },
            { sha: PERSON_COMMIT, author: { login: PERSON.login, type: "User" }, message: "Use the real health endpoint" },
          ]),
        );

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls(),
        [`POST ${repoPath}/git/trees`, { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deploymentOf("probe-missing")}${LIVENESS_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "73".repeat(20), parents: [BASE_SHA] }],
        [`POST ${repoPath}/git/refs`, { ref: `refs/heads/${LIVENESS}`, sha: "c3".repeat(20) }],
        [`GET ${comparePath(LIVENESS)}?per_page=100`, undefined],
        DASHBOARD_CREATED,
      ]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 1, pullRequests: { [LIVENESS]: "left-alone" }, closed: [], dashboard: "created" }]);
    });

    it("proposes the fixes afresh once the person closed the pull request and deleted the branch, as the comment says", async () => {
      await mockScanRead(github, { fixtureDir: fixture("probe-missing") });
      mockPullRequestListings(github, { closed: [livenessPull({ body: handsOffBody, headSha: PERSON_COMMIT, closedAt: "2024-05-04T08:00:00Z", mergedAt: null })] });
      mockNewLivenessPull(github, { number: 14, tree: "73".repeat(20), commit: "c3".repeat(20) });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls(),
        ...newLivenessPullCalls({ number: 14, tree: "73".repeat(20), commit: "c3".repeat(20) }),
        DASHBOARD_CREATED,
      ]);
    });
  });

  describe("a pull request closed without merging", () => {
    const rejected = () => livenessPull({ closedAt: "2024-05-02T16:00:00Z", mergedAt: null });

    it("means the same fix is not proposed again", async () => {
      await mockScanRead(github, { fixtureDir: fixture("probe-missing") });
      mockPullRequestListings(github, { closed: [rejected()] });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls(), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 1, pullRequests: {}, closed: [], dashboard: "created" }]);
    });

    it("does not stop a fix for a finding that changed since (another container)", async () => {
      await mockScanRead(github, { fixtureDir: fixture("probe-missing-renamed") });
      mockPullRequestListings(github, { closed: [rejected()] });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "74".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c4".repeat(20) })
        .post(`${repoPath}/git/refs`)
        .reply(422, { message: "Reference already exists", status: "422" })
        // The rejected pull request's branch is still there, holding only Shipshape's commit: checked, then moved.
        .get(comparePath(LIVENESS))
        .query({ per_page: 100 })
        .reply(200, comparisonJson([{ sha: LIVENESS_HEAD, author: { login: BOT.login, type: "Bot" }, message: commitMessage(LIVENESS_TITLE) }]))
        .patch(refPath(LIVENESS))
        .reply(200, {})
        .post(`${repoPath}/pulls`)
        .reply(201, { number: 15 })
        .post(`${repoPath}/issues/15/labels`)
        .reply(200, []);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      const body = golden("pr-liveness-probe-missing-storefront.md");
      expect(calls).toEqual([
        ...scanCalls(),
        [`POST ${repoPath}/git/trees`, { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deploymentOf("probe-missing-renamed")}${LIVENESS_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "74".repeat(20), parents: [BASE_SHA] }],
        [`POST ${repoPath}/git/refs`, { ref: `refs/heads/${LIVENESS}`, sha: "c4".repeat(20) }],
        [`GET ${comparePath(LIVENESS)}?per_page=100`, undefined],
        [`PATCH ${refPath(LIVENESS)}`, { sha: "c4".repeat(20), force: true }],
        [`POST ${repoPath}/pulls`, { title: LIVENESS_TITLE, body, head: LIVENESS, base: "main", draft: true }],
        [`POST ${repoPath}/issues/15/labels`, { labels: ["shipshape", "reliability"] }],
        DASHBOARD_CREATED,
      ]);
      // The new pull request is for the new finding only.
      const rejectedPrint = JSON.parse(/<!-- shipshape:(.*) -->/.exec(LIVENESS_BODY)?.[1] ?? "null").fingerprints as string[];
      const proposedPrint = JSON.parse(/<!-- shipshape:(.*) -->/.exec(body)?.[1] ?? "null").fingerprints as string[];
      expect(proposedPrint).toHaveLength(1);
      expect(proposedPrint).not.toEqual(rejectedPrint);
    });

    it("is told apart from a merged one: a finding that came back after its fix was merged is proposed again", async () => {
      await mockScanRead(github, { fixtureDir: fixture("probe-missing") });
      mockPullRequestListings(github, { closed: [livenessPull({ closedAt: "2024-05-02T16:00:00Z", mergedAt: "2024-05-02T16:00:00Z" })] });
      mockNewLivenessPull(github, { number: 16, tree: "75".repeat(20), commit: "c5".repeat(20) });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls(),
        ...newLivenessPullCalls({ number: 16, tree: "75".repeat(20), commit: "c5".repeat(20) }),
        DASHBOARD_CREATED,
      ]);
    });
  });

  describe("limits", () => {
    it("opens no pull request beyond pullRequests.maxOpen", async () => {
      await mockScanRead(github, { fixtureDir: fixture("repo"), config: "pullRequests:\n  maxOpen: 1\n" });
      mockPullRequestListings(github, { open: [privilegePull()] });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls({ config: true }), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "limited", [PRIVILEGE]: "unchanged" }, closed: [], dashboard: "created" },
      ]);
    });

    it("opens no pull request beyond pullRequests.maxPerHour, counting one opened and merged in the last hour", async () => {
      await mockScanRead(github, { fixtureDir: fixture("repo"), config: "pullRequests:\n  maxPerHour: 1\n" });
      const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
      mockPullRequestListings(github, {
        closed: [pullRequestJson({ number: 10, branch: "shipshape/image-tag-mutable", body: null, createdAt: minutesAgo(20), closedAt: minutesAgo(5), mergedAt: minutesAgo(5) })],
      });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...scanCalls({ config: true }), DASHBOARD_CREATED]);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "limited", [PRIVILEGE]: "limited" }, closed: [], dashboard: "created" },
      ]);
    });
    it("counts the pull requests it opens in the same scan against the limits", async () => {
      await mockScanRead(github, { fixtureDir: fixture("repo"), config: "pullRequests:\n  maxPerHour: 1\n" });
      mockPullRequestListings(github, {});
      mockNewLivenessPull(github, { number: 17, tree: "76".repeat(20), commit: "c6".repeat(20) });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([
        ...scanCalls({ config: true }),
        ...newLivenessPullCalls({ number: 17, tree: "76".repeat(20), commit: "c6".repeat(20), fixture: "repo" }),
        DASHBOARD_CREATED,
      ]);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "opened", [PRIVILEGE]: "limited" }, closed: [], dashboard: "created" },
      ]);
    });
  });

  describe("pushes that arrive while a scan runs", () => {
    it("make one more scan after it, never one alongside it", async () => {
      let started!: () => void;
      const firstScanStarted = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // The first scan waits at its first call about the repository until the other pushes are in.
      await mockScanRead(github, {
        fixtureDir: fixture("clean"),
        hold: async () => {
          started();
          await released;
        },
      });
      mockPullRequestListings(github);
      await mockScanRead(github, { fixtureDir: fixture("clean"), token: false });
      mockPullRequestListings(github);
      const receive = (after: string) => {
        const body = JSON.stringify(pushToMain(after));
        return app.probot.webhooks.verifyAndReceive({ id: `push-${after}`, name: "push", payload: body, signature: sign(body) });
      };

      await receive(BASE_SHA);
      await firstScanStarted;
      await receive("4d".repeat(20));
      await receive("5e".repeat(20));
      release();
      await app.queue.idle();

      expectAllAnswered();
      // In series: the second scan starts after the first one's last call.
      expect(calls).toEqual([...scanCalls(), DASHBOARD_CREATED, ...scanCalls({ token: false }), DASHBOARD_CREATED]);
      expect(scanReports(app)).toHaveLength(2);
    });
  });
});
