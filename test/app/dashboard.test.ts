import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { readDashboardState, writeDashboardState } from "../../src/github/dashboard-state.js";
import {
  DASHBOARD_READ,
  dashboardCreateCall,
  dashboardEdited,
  dashboardGolden,
  dashboardIssueJson,
  dashboardUpdateCall,
  expectDashboardGolden,
  mockDashboardCreate,
  mockDashboardRead,
  mockDashboardUpdate,
  startDashboardApp,
  tick,
} from "./dashboard-harness.js";
import { mockConfigFile, mockTarball, mockToken } from "./errors-harness.js";
import { API, BASE_SHA, BOT, errorLogs, FIXTURES, installationCreated, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, OWNER, PERSON, PULL_LISTING_CALLS, pullRequestJson, pushEvent, REPO, repositoryReadCalls, scanReports, TREE_SHA, type AppSession, type Call, type PullRequestFields, type TestApp, useAppSession } from "./harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;
const fixture = (name: string) => join(FIXTURES, name);
const golden = (name: string) => readFileSync(join(FIXTURES, "expected", name), "utf8");

const MOVED_SHA = "d".repeat(40);
const MOVED_TREE_SHA = "f".repeat(40);
const LIVENESS = "shipshape/liveness-probe-missing";
const PRIVILEGE = "shipshape/privilege-escalation-allowed";
const LIVENESS_TITLE = "Add liveness probes (liveness-probe-missing)";
const PRIVILEGE_TITLE = "Disallow privilege escalation (privilege-escalation-allowed)";
const livenessPull = (fields: Partial<PullRequestFields> = {}) =>
  pullRequestJson({ number: 11, branch: LIVENESS, title: LIVENESS_TITLE, body: golden("pr-liveness-probe-missing.md"), draft: true, ...fields });
const privilegePull = (fields: Partial<PullRequestFields> = {}) =>
  pullRequestJson({ number: 12, branch: PRIVILEGE, title: PRIVILEGE_TITLE, body: golden("pr-privilege-escalation-allowed.md"), ...fields });
const pushToMain = (after = BASE_SHA) => pushEvent({ ref: "refs/heads/main", before: "0123456789abcdef".repeat(2) + "01234567", after });

/** Shipshape opening a pull request: a tree, a commit, the branch, the pull request, its labels. */
function mockNewPull(scope: nock.Scope, number: number): void {
  mockPullRequestCreation(scope, { tree: `${number}`.padEnd(40, "0"), commit: `c${number}`.padEnd(40, "0"), number });
}

const newPullRequests = (number: number) => [
  `POST ${repoPath}/git/trees`,
  `POST ${repoPath}/git/commits`,
  `POST ${repoPath}/git/refs`,
  `POST ${repoPath}/pulls`,
  `POST ${repoPath}/issues/${number}/labels`,
];

const requestsOf = (calls: readonly Call[]) => calls.map(([request]) => request);
const bodyOf = (call: Call | undefined) => (call?.[1] as { body?: string } | undefined)?.body;
const pullBodyFor = (calls: readonly Call[], branch: string) =>
  (calls.find(([request, body]) => request === `POST ${repoPath}/pulls` && (body as { head?: string }).head === branch)?.[1] as { body: string } | undefined)?.body;

describe("the dashboard issue", () => {
  const session = useAppSession(startDashboardApp);
  let app: TestApp;
  let github: nock.Scope;
  let calls: Call[];
  let unmatched: AppSession["unmatched"];
  beforeEach(() => ({ app, github, calls, unmatched } = session));
  const { expectAllAnswered } = session;

  describe("one per repository, edited in place", () => {
    it("is opened once by the first scan, left alone by a scan that finds the same, and edited when what it says changes", async () => {
      // The install scan: two pull requests, then the dashboard, opened with its label.
      await mockRepositoryRead(github, { fixtureDir: fixture("repo") });
      mockDashboardRead(github);
      mockPullRequestListings(github);
      mockNewPull(github, 11);
      mockNewPull(github, 12);
      mockDashboardCreate(github, 5);

      await app.deliver("installation", installationCreated());

      expectAllAnswered();
      expect(requestsOf(calls)).toEqual(requestsOf([...repositoryReadCalls(), DASHBOARD_READ, ...PULL_LISTING_CALLS]).concat(newPullRequests(11), newPullRequests(12), [`POST ${repoPath}/issues`]));
      const created = bodyOf(calls.at(-1)) as string;
      expect(calls.at(-1)).toEqual(dashboardCreateCall(created));
      expectDashboardGolden(created, "dashboard-repo.md");
      expect(readDashboardState(created)).toMatchObject({ version: 1, ignores: [], lastScan: { sha: BASE_SHA, rules: expect.stringMatching(/^[0-9a-f]{16}$/) } });
      const livenessBody = pullBodyFor(calls, LIVENESS);
      const privilegeBody = pullBodyFor(calls, PRIVILEGE);

      // The same commit again, with the pull requests and the dashboard as the first scan left them: no write at all.
      calls.length = 0;
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), token: false });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: created })]);
      mockPullRequestListings(github, { open: [livenessPull({ body: livenessBody }), privilegePull({ body: privilegeBody })] });

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...repositoryReadCalls({ token: false }), DASHBOARD_READ, ...PULL_LISTING_CALLS]);

      // Both fixes merged, main moved on: the dashboard says so, edited in place. People had closed it: it stays closed.
      calls.length = 0;
      await mockRepositoryRead(github, { fixtureDir: fixture("clean"), head: { sha: MOVED_SHA, treeSha: MOVED_TREE_SHA }, token: false });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: created, state: "closed" })]);
      mockPullRequestListings(github);
      mockDashboardUpdate(github, 5);

      await app.deliver("push", pushToMain(MOVED_SHA));

      expectAllAnswered();
      expect(calls).toEqual([...repositoryReadCalls({ head: MOVED_SHA, token: false }), DASHBOARD_READ, ...PULL_LISTING_CALLS, dashboardUpdateCall(5)]);
      const updated = bodyOf(calls.at(-1)) as string;
      expectDashboardGolden(updated, "dashboard-clean.md");
      expect(readDashboardState(updated).lastScan?.sha).toBe(MOVED_SHA);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "opened", [PRIVILEGE]: "opened" }, closed: [], dashboard: "created" },
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "unchanged", [PRIVILEGE]: "unchanged" }, closed: [], dashboard: "unchanged" },
        { repository: `${OWNER}/${REPO}`, findings: 0, pullRequests: {}, closed: [], dashboard: "updated" },
      ]);
    });

    it("is not one a person opened with the label: the app opens its own", async () => {
      const personal = dashboardIssueJson({ number: 3, body: "Our own notes about Shipshape.", user: PERSON });
      await mockRepositoryRead(github, { fixtureDir: fixture("clean") });
      mockDashboardRead(github, [personal]);
      mockPullRequestListings(github);
      mockDashboardCreate(github, 6);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...repositoryReadCalls(), DASHBOARD_READ, ...PULL_LISTING_CALLS, dashboardCreateCall()]);
    });

    it("lists files that do not parse and image pins that could not be looked up as problems", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("dashboard-problems") });
      mockDashboardRead(github);
      mockPullRequestListings(github);
      mockDashboardCreate(github, 5);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(calls).toEqual([...repositoryReadCalls(), DASHBOARD_READ, ...PULL_LISTING_CALLS, dashboardCreateCall()]);
      const body = bodyOf(calls.at(-1)) as string;
      expectDashboardGolden(body, "dashboard-problems.md");
      expect(body).toContain("1 file could not be read as configuration:");
      expect(body).toContain("ghcr.io/acme/web:1.4.2: looking up the digest needs the network, and Shipshape is offline (1 finding)");
    });
  });

  describe("its checkboxes", () => {
    it("opens the pull request a limit held back when a person ticks its box", async () => {
      const config = "pullRequests:\n  maxOpen: 1\n";
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config });
      mockDashboardRead(github);
      mockPullRequestListings(github, { open: [privilegePull()] });
      mockDashboardCreate(github, 5);
      await app.deliver("push", pushToMain());
      expectAllAnswered();
      const before = bodyOf(calls.at(-1)) as string;
      expect(before).toContain("- [ ] <!-- shipshape:open-pr:liveness-probe-missing --> Open a pull request for `liveness-probe-missing`");
      expect(before).not.toContain("open-pr:privilege-escalation-allowed");

      calls.length = 0;
      const ticked = tick(before, "open-pr:liveness-probe-missing");
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config, token: false });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: ticked })]);
      mockPullRequestListings(github, { open: [privilegePull()] });
      mockNewPull(github, 13);
      mockDashboardUpdate(github, 5);

      await app.deliver("issues", dashboardEdited({ number: 5, body: ticked, from: before }));

      expectAllAnswered();
      expect(requestsOf(calls)).toEqual(requestsOf([...repositoryReadCalls({ config: true, token: false }), DASHBOARD_READ, ...PULL_LISTING_CALLS]).concat(newPullRequests(13), [`PATCH ${repoPath}/issues/5`]));
      expect(pullBodyFor(calls, LIVENESS)).toBe(golden("pr-liveness-probe-missing.md"));
      const after = bodyOf(calls.at(-1)) as string;
      expect(after).not.toContain("open-pr:");
      expect(after).toContain(`## Open pull requests\n\n- #13 ${LIVENESS_TITLE} (\`${LIVENESS}\`)\n- #12 ${PRIVILEGE_TITLE} (\`${PRIVILEGE}\`)\n`);
      expect(after).toContain("`liveness-probe-missing` · medium severity · 1 finding · 1 fixable · fixed by #13");
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "limited", [PRIVILEGE]: "unchanged" }, closed: [], dashboard: "created" },
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "opened", [PRIVILEGE]: "unchanged" }, closed: [], dashboard: "updated" },
      ]);
    });

    it("rescans when a person ticks \"Rescan now\", and the new body unticks it", async () => {
      const current = dashboardGolden("dashboard-repo.md");
      const ticked = tick(current, "rescan");
      await mockRepositoryRead(github, { fixtureDir: fixture("repo") });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: ticked })]);
      mockPullRequestListings(github, { open: [livenessPull(), privilegePull()] });
      mockDashboardUpdate(github, 5);

      await app.deliver("issues", dashboardEdited({ number: 5, body: ticked, from: current }));

      expectAllAnswered();
      expect(calls).toEqual([...repositoryReadCalls(), DASHBOARD_READ, ...PULL_LISTING_CALLS, dashboardUpdateCall(5, current)]);
      expect(scanReports(app)).toEqual([
        { repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "unchanged", [PRIVILEGE]: "unchanged" }, closed: [], dashboard: "updated" },
      ]);
    });

    it("does nothing for its own edits, other bots', edits that tick nothing, or issues that are not the dashboard", async () => {
      const current = dashboardGolden("dashboard-repo.md");
      const ticked = tick(current, "rescan");
      // Shipshape's own update, which unticks the box, and another app ticking it.
      await app.deliver("issues", dashboardEdited({ body: current, from: ticked, sender: BOT }));
      await app.deliver("issues", dashboardEdited({ body: ticked, from: current, sender: { ...BOT, login: "other-app[bot]" } }));
      // A person unticking a box, or editing text elsewhere.
      await app.deliver("issues", dashboardEdited({ body: current, from: ticked }));
      await app.deliver("issues", dashboardEdited({ body: `${current}\n\nThanks!`, from: current }));
      // A box ticked before the edit stays ticked: nothing new was asked.
      await app.deliver("issues", dashboardEdited({ body: `${ticked}\n`, from: ticked }));
      // The same text in an issue without the label, or in one a person opened.
      await app.deliver("issues", dashboardEdited({ body: ticked, from: current, labels: false }));
      await app.deliver("issues", dashboardEdited({ body: ticked, from: current, author: PERSON }));
      // A rule Shipshape does not know, typed in by hand.
      const typed = `${current.replace("- [ ] <!-- shipshape:rescan -->", "- [ ] <!-- shipshape:open-pr:no-such-rule --> Open\n- [ ] <!-- shipshape:rescan -->")}`;
      await app.deliver("issues", dashboardEdited({ body: tick(typed, "open-pr:no-such-rule"), from: typed }));

      expect(unmatched.requests).toEqual([]);
      expect(errorLogs(app)).toEqual([]);
      expect(calls).toEqual([]);
      expect(scanReports(app)).toEqual([]);
    });
  });

  describe("ignores", () => {
    it("take effect on the next scan, and the dashboard lists each one with what it hides", async () => {
      // `/shipshape ignore` wrote these into the dashboard after the last scan.
      const before = dashboardGolden("dashboard-repo.md");
      const state = readDashboardState(before);
      const ignores = [
        { rule: "liveness-probe-missing", by: "octocat" },
        { rule: "memory-limit-missing", path: "legacy/**", by: "hubot" },
      ];
      const withIgnores = writeDashboardState(before, { ...state, ignores });
      await mockRepositoryRead(github, { fixtureDir: fixture("repo") });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: withIgnores })]);
      mockPullRequestListings(github);
      mockNewPull(github, 13);
      mockDashboardUpdate(github, 5);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(requestsOf(calls)).toEqual(requestsOf([...repositoryReadCalls(), DASHBOARD_READ, ...PULL_LISTING_CALLS]).concat(newPullRequests(13), [`PATCH ${repoPath}/issues/5`]));
      // The liveness probe is not proposed; the privilege escalation fix is.
      expect(pullBodyFor(calls, PRIVILEGE)).toBe(golden("pr-privilege-escalation-allowed.md"));
      expect(pullBodyFor(calls, LIVENESS)).toBeUndefined();
      const after = bodyOf(calls.at(-1)) as string;
      expectDashboardGolden(after, "dashboard-ignored.md");
      expect(after).toContain("- `liveness-probe-missing`, asked by octocat: hides 1 finding\n- `memory-limit-missing` in `legacy/**`, asked by hubot: hides 0 findings");
      expect(readDashboardState(after).ignores).toEqual(ignores);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 1, pullRequests: { [PRIVILEGE]: "opened" }, closed: [], dashboard: "updated" }]);
    });

    it("with a path leave the rule's other files in, and close the pull request whose findings they hide", async () => {
      const before = dashboardGolden("dashboard-repo.md");
      const ignores = [{ rule: "privilege-escalation-allowed", path: "apps/web", by: "octocat" }];
      const withIgnores = writeDashboardState(before, { ...readDashboardState(before), ignores });
      await mockRepositoryRead(github, { fixtureDir: fixture("repo") });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: withIgnores })]);
      mockPullRequestListings(github, { open: [livenessPull(), privilegePull()] });
      github
        .post(`${repoPath}/issues/12/comments`).reply(201, {})
        .patch(`${repoPath}/pulls/12`).reply(200, {})
        .delete(`${repoPath}/git/refs/${encodeURIComponent(`heads/${PRIVILEGE}`)}`).reply(204);
      mockDashboardUpdate(github, 5);

      await app.deliver("push", pushToMain());

      expectAllAnswered();
      expect(requestsOf(calls)).toEqual(
        requestsOf([...repositoryReadCalls(), DASHBOARD_READ, ...PULL_LISTING_CALLS]).concat([
          `POST ${repoPath}/issues/12/comments`,
          `PATCH ${repoPath}/pulls/12`,
          `DELETE ${repoPath}/git/refs/${encodeURIComponent(`heads/${PRIVILEGE}`)}`,
          `PATCH ${repoPath}/issues/5`,
        ]),
      );
      const after = bodyOf(calls.at(-1)) as string;
      expect(after).toContain("- `privilege-escalation-allowed` in `apps/web`, asked by octocat: hides 1 finding");
      expect(after).not.toContain("### Container allows privilege escalation");
      expect(after).toContain("`liveness-probe-missing` · medium severity · 1 finding · 1 fixable · fixed by #11");
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 1, pullRequests: { [LIVENESS]: "unchanged" }, closed: [12], dashboard: "updated" }]);
    });
  });

  describe("an invalid configuration", () => {
    const INVALID = "rules:\n  image-tag-mutable:\n    severity: urgent\n";
    const MESSAGE = ".github/shipshape.yml: invalid configuration\n  - rules.image-tag-mutable.severity: must be one of critical, high, medium, low";
    const CONFIG_ISSUE_LISTING: Call = [`GET ${repoPath}/issues?state=open&labels=shipshape-config&per_page=1`, undefined];

    /** The calls up to the config, as mockRepositoryRead answers them: no tarball is read. */
    const configReadCalls = () => repositoryReadCalls({ config: true }).slice(0, -1);

    it("is shown as a problem in the dashboard, beside the config issue, keeping the ignores and the last scan", async () => {
      const before = writeDashboardState(dashboardGolden("dashboard-repo.md"), { ...readDashboardState(dashboardGolden("dashboard-repo.md")), ignores: [{ rule: "liveness-probe-missing", by: "octocat" }] });
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: INVALID });
      github.get(`${repoPath}/issues`).query({ state: "open", labels: "shipshape-config", per_page: 1 }).reply(200, []);
      github.post(`${repoPath}/issues`).reply(201, { number: 7 });
      mockDashboardRead(github, [dashboardIssueJson({ number: 5, body: before })]);
      mockDashboardUpdate(github, 5);

      await app.deliver("push", pushToMain());

      // The tarball is never asked for: nock still holds its two interceptors.
      expect(unmatched.requests).toEqual([]);
      expect(errorLogs(app)).toEqual([]);
      expect(github.pendingMocks()).toEqual([`GET ${API}:443${repoPath}/tarball/${BASE_SHA}`]);
      expect(requestsOf(calls)).toEqual(requestsOf([...configReadCalls(), CONFIG_ISSUE_LISTING]).concat([`POST ${repoPath}/issues`, DASHBOARD_READ[0], `PATCH ${repoPath}/issues/5`]));
      const after = bodyOf(calls.at(-1)) as string;
      expectDashboardGolden(after, "dashboard-invalid-config.md");
      expect(after).toContain(`\`\`\`\n${MESSAGE}\n\`\`\``);
      expect(readDashboardState(after)).toEqual(readDashboardState(before));
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, skipped: "invalid configuration", findings: 0, pullRequests: {}, closed: [], dashboard: "updated" }]);
    });

    it("opens no dashboard where there is none: the config issue says it", async () => {
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: INVALID });
      github.get(`${repoPath}/issues`).query({ state: "open", labels: "shipshape-config", per_page: 1 }).reply(200, []);
      github.post(`${repoPath}/issues`).reply(201, { number: 7 });
      mockDashboardRead(github);

      await app.deliver("push", pushToMain());

      expect(unmatched.requests).toEqual([]);
      expect(requestsOf(calls)).toEqual(requestsOf([...configReadCalls(), CONFIG_ISSUE_LISTING]).concat([`POST ${repoPath}/issues`, DASHBOARD_READ[0]]));
      expect((calls.at(-2)?.[1] as { labels: string[] }).labels).toEqual(["shipshape-config"]);
      expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, skipped: "invalid configuration", findings: 0, pullRequests: {}, closed: [] }]);
    });
  });

  it("makes no dashboard call in a repository with issues turned off", async () => {
    mockToken(github);
    github
      .get(repoPath).reply(200, { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main", archived: false, disabled: false, has_issues: false })
      .get(`${repoPath}/branches/main`).reply(200, { name: "main", commit: { sha: BASE_SHA, commit: { tree: { sha: TREE_SHA } } } });
    mockConfigFile(github, REPO, undefined);
    mockConfigFile(github, ".github", undefined);
    await mockTarball(github, fixture("clean"));
    mockPullRequestListings(github);

    await app.deliver("push", pushToMain());

    expectAllAnswered();
    expect(calls).toEqual([...repositoryReadCalls(), ...PULL_LISTING_CALLS]);
    expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 0, pullRequests: {}, closed: [], dashboard: "off" }]);
  });

  it("`dashboard: false` makes no dashboard call at all, and ignores nothing", async () => {
    await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: "dashboard: false\n" });
    mockPullRequestListings(github);
    mockNewPull(github, 11);
    mockNewPull(github, 12);

    await app.deliver("installation", installationCreated());

    expectAllAnswered();
    expect(requestsOf(calls)).toEqual(requestsOf([...repositoryReadCalls({ config: true }), ...PULL_LISTING_CALLS]).concat(newPullRequests(11), newPullRequests(12)));
    expect(scanReports(app)).toEqual([{ repository: `${OWNER}/${REPO}`, findings: 2, pullRequests: { [LIVENESS]: "opened", [PRIVILEGE]: "opened" }, closed: [], dashboard: "off" }]);
  });
});
