import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { COMMENT_ID, COMMENTER, issueCommentEvent } from "./commands-harness.js";
import { API, BASE_SHA, BOT, FIXTURES, INSTALLATION, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, OWNER, PERSON, PULL_LISTING_CALLS, pullRequestJson, pushEvent, REPO, repositoryReadCalls, scanReports, TREE_SHA, type AppSession, type Call, type TestApp, useAppSession } from "./harness.js";

const repoPath = `/repos/${OWNER}/${REPO}`;
const golden = (name: string) => readFileSync(join(FIXTURES, "expected", name), "utf8");
const fixture = (name: string) => join(FIXTURES, name);
const deploymentOf = (name: string) => readFileSync(join(FIXTURES, name, "apps", "web", "deployment.yaml"), "utf8");

const TOKEN_CALL: Call = [`POST /app/installations/${INSTALLATION}/access_tokens`, undefined];
const REACTION_CALL: Call = [`POST ${repoPath}/issues/comments/${COMMENT_ID}/reactions`, { content: "eyes" }];
const PERMISSION_CALL: Call = [`GET ${repoPath}/collaborators/${COMMENTER}/permission`, undefined];
const DASHBOARD_QUERY = { labels: "shipshape-dashboard", state: "all", sort: "created", direction: "asc", per_page: 10 };
const DASHBOARD_LIST_CALL: Call = [`GET ${repoPath}/issues?labels=shipshape-dashboard&state=all&sort=created&direction=asc&per_page=10`, undefined];
const replyCall = (body: string, issue = 1): Call => [`POST ${repoPath}/issues/${issue}/comments`, { body }];

const LIVENESS = "shipshape/liveness-probe-missing";
const LIVENESS_TITLE = "Add liveness probes (liveness-probe-missing)";
const LIVENESS_BODY = golden("pr-liveness-probe-missing.md");
const LIVENESS_FIX = "          livenessProbe:\n            httpGet:\n              path: /readyz\n              port: http\n";
const LIVENESS_HEAD = "1a".repeat(20);
const PRIVILEGE = "shipshape/privilege-escalation-allowed";
const PRIVILEGE_TITLE = "Disallow privilege escalation (privilege-escalation-allowed)";
const PRIVILEGE_BODY = golden("pr-privilege-escalation-allowed.md");
const PRIVILEGE_FIX = "            allowPrivilegeEscalation: false\n";
const PERSON_COMMIT = "3c".repeat(20);
const HANDS_OFF = "<!-- shipshape:hands-off -->";
const commitMessage = (title: string) => `${title}\n\nMade by Shipshape; the pull request says what changed and why.`;
const refPath = (branch: string) => `${repoPath}/git/refs/${encodeURIComponent(`heads/${branch}`)}`;
const livenessPull = (fields: Partial<Parameters<typeof pullRequestJson>[0]> = {}) =>
  pullRequestJson({ number: 11, branch: LIVENESS, title: LIVENESS_TITLE, body: LIVENESS_BODY, headSha: LIVENESS_HEAD, draft: true, ...fields });

// The catalog itself is pinned in test/rules/catalog.test.ts and test/fixes/plans.test.ts; replies name it in file order.
const CATALOG = loadRules();
const RULE_LIST = CATALOG.map((rule) => `\`${rule.id}\``).join(", ");
const FIXABLE_RULES = CATALOG.filter((rule) => rule.fix !== undefined).map((rule) => rule.id);

/** The dashboard issue as GitHub lists it: opened by the app, with the label. */
function dashboardIssue(number: number, body: string): object {
  return {
    url: `${API}${repoPath}/issues/${number}`,
    number,
    title: "Shipshape dashboard",
    state: "open",
    user: BOT,
    labels: [{ name: "shipshape-dashboard" }],
    body,
    created_at: "2024-05-01T09:00:00Z",
  };
}

/** A scan's report; what it says about the dashboard is the dashboard tests' business. */
const scanReport = (fields: object) => expect.objectContaining({ repository: `${OWNER}/${REPO}`, ...fields }) as unknown;
const metadata = (state: object) => `<!-- shipshape-dashboard:${JSON.stringify(state)} -->`;
/** Scans in these tests leave the dashboard out: its calls are test/app/dashboard tests' business. */
const NO_DASHBOARD = "dashboard: false\n";
const DASHBOARD_TEXT = "## Shipshape dashboard\n\n2 findings on `main`.";

describe("/shipshape commands in comments", () => {
  const session = useAppSession();
  let app: TestApp;
  let github: nock.Scope;
  let calls: Call[];
  let unmatched: AppSession["unmatched"];
  beforeEach(() => ({ app, github, calls, unmatched } = session));
  const { expectAllAnswered } = session;

  /** The token, the 👀 reaction and the permission check every command starts with. */
  function mockStart(permission: { permission: string; role_name: string } | { status: number } = { permission: "write", role_name: "write" }, token = true): void {
    // Probot keeps an installation's token: only the first event asks for one.
    if (token) mockToken();
    github.post(`${repoPath}/issues/comments/${COMMENT_ID}/reactions`).reply(201, { id: 1, content: "eyes" });
    const answer = github.get(`${repoPath}/collaborators/${COMMENTER}/permission`);
    if ("status" in permission) answer.reply(permission.status, { message: permission.status === 404 ? "Not Found" : "Server Error" });
    else answer.reply(200, { ...permission, user: { login: COMMENTER, type: "User" } });
  }
  const mockToken = () =>
    github
      .post(`/app/installations/${INSTALLATION}/access_tokens`)
      .reply(201, { token: "ghs_installationtokenfortests", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
  const START: Call[] = [TOKEN_CALL, REACTION_CALL, PERMISSION_CALL];
  /** The start of a later event's calls: the token is cached. */
  const AGAIN: Call[] = [REACTION_CALL, PERMISSION_CALL];
  const mockReply = (issue = 1) => github.post(`${repoPath}/issues/${issue}/comments`).reply(201, { id: 99 });

  describe("who may run them", () => {
    const everyCommand = [
      "/shipshape help",
      "/shipshape scan",
      "/shipshape fix",
      "/shipshape fix liveness-probe-missing",
      "/shipshape rebase",
      "/shipshape ignore image-digest-missing",
      "/shipshape unignore image-digest-missing",
      "/shipshape explain image-tag-mutable",
      "/shipshape frobnicate",
    ];

    for (const [role, permission] of [
      ["read", { permission: "read", role_name: "read" }],
      ["triage", { permission: "read", role_name: "triage" }],
    ] as const) {
      it(`refuses every command, politely, to someone whose role is ${role}, and does nothing else`, async () => {
        for (const [index, body] of everyCommand.entries()) {
          calls.length = 0;
          mockStart(permission, index === 0);
          mockReply(7);
          await app.deliver("issue_comment", issueCommentEvent({ body, number: 7, pullRequest: body.endsWith("rebase") }));
          expectAllAnswered();
          expect(calls).toEqual([
            ...(index === 0 ? START : AGAIN),
            replyCall(
              `Thanks, @${COMMENTER}! Shipshape commands change pull requests and what Shipshape reports, so only people with write, maintain or admin permission on ${OWNER}/${REPO} can run them, and yours is \`${role}\`. Someone with write access can run the command for you.`,
              7,
            ),
          ]);
        }
        expect(scanReports(app)).toEqual([]);
      });
    }

    it("refuses someone GitHub does not know as a collaborator (404)", async () => {
      mockStart({ status: 404 });
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape scan" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, replyCall(expect.stringContaining("and yours is `none`.") as unknown as string)]);
    });

    it("lets write, maintain and admin run commands", async () => {
      for (const [index, permission] of [
        { permission: "write", role_name: "write" },
        { permission: "write", role_name: "maintain" },
        { permission: "admin", role_name: "admin" },
      ].entries()) {
        calls.length = 0;
        mockStart(permission, index === 0);
        mockReply();
        await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape explain image-tag-mutable" }));
        expectAllAnswered();
        expect(calls).toEqual([...(index === 0 ? START : AGAIN), replyCall(expect.stringMatching(/^### /) as unknown as string)]);
      }
    });

    it("says clearly that nothing ran when the permission API fails", async () => {
      mockStart({ status: 502 });
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape scan\n/shipshape ignore image-digest-missing" }));
      expect(unmatched.requests).toEqual([]);
      expect(github.pendingMocks()).toEqual([]);
      expect(calls).toEqual([
        ...START,
        replyCall(`Shipshape could not check whether @${COMMENTER} may run commands on ${OWNER}/${REPO}: GitHub answered 502. It ran nothing. Please try again in a few minutes.`),
      ]);
      expect(scanReports(app)).toEqual([]);
    });

    it("ignores comments by bots, Shipshape's own among them, without a single call", async () => {
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape scan", user: { login: BOT.login, id: BOT.id, type: "Bot" } }));
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape fix", user: { login: "dependabot[bot]", id: 49699333, type: "Bot" } }));
      expect(unmatched.requests).toEqual([]);
      expect(calls).toEqual([]);
    });

    it("ignores edited comments and comments without commands, without a single call", async () => {
      await app.deliver("issue_comment", issueCommentEvent({ action: "edited", body: "/shipshape scan" }));
      await app.deliver("issue_comment", issueCommentEvent({ body: "Looks good to me.\n> /shipshape scan\n```\n/shipshape fix\n```" }));
      expect(unmatched.requests).toEqual([]);
      expect(calls).toEqual([]);
      expect(scanReports(app)).toEqual([]);
    });

    it("still runs the commands when the reaction cannot be added", async () => {
      github
        .post(`/app/installations/${INSTALLATION}/access_tokens`)
        .reply(201, { token: "ghs_installationtokenfortests", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" })
        .post(`${repoPath}/issues/comments/${COMMENT_ID}/reactions`)
        .reply(403, { message: "Resource not accessible by integration" })
        .get(`${repoPath}/collaborators/${COMMENTER}/permission`)
        .reply(200, { permission: "write", role_name: "write" });
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape explain parse-error" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, replyCall(expect.stringMatching(/^### /) as unknown as string)]);
    });
  });

  describe("help, explain and mistakes", () => {
    it("help lists the commands and the rules", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape help" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, replyCall(golden("reply-help.md").trimEnd())]);
    });

    it("explain gives the rule's title, rationale, remediation and checklist item", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape explain Liveness-Probe-Missing" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, replyCall(golden("reply-explain-liveness-probe-missing.md").trimEnd())]);
    });

    it("explain of a rule that does not exist lists the rules", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape explain no-such-rule" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, replyCall(`Shipshape has no rule \`no-such-rule\`. The rules: ${RULE_LIST}.`)]);
    });

    it("an unknown command gets a hint to help, and a command with the wrong arguments its usage", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape deploy" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, replyCall("Shipshape has no command `/shipshape deploy`. `/shipshape help` lists the commands.")]);

      calls.length = 0;
      github
        .post(`${repoPath}/issues/comments/${COMMENT_ID}/reactions`)
        .reply(201, {})
        .get(`${repoPath}/collaborators/${COMMENTER}/permission`)
        .reply(200, { permission: "write", role_name: "write" });
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape scan everything" }));
      expectAllAnswered();
      expect(calls).toEqual([REACTION_CALL, PERMISSION_CALL, replyCall("`/shipshape scan everything` takes nothing after it. Write it as `/shipshape scan`.")]);
      expect(scanReports(app)).toEqual([]);
    });
  });

  describe("scan and fix", () => {
    it("scan replies that a scan was queued, then scans", async () => {
      mockStart();
      mockReply();
      await mockRepositoryRead(github, { fixtureDir: fixture("clean"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github);
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape scan" }));
      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        replyCall("Queued a scan of `main`: Shipshape's pull requests are brought up to date when it finishes."),
        ...repositoryReadCalls({ config: true, token: false }),
        ...PULL_LISTING_CALLS,
      ]);
      expect(scanReports(app)).toEqual([scanReport({ findings: 0, pullRequests: {}, closed: [] })]);
    });

    it("fix <rule> opens the pull request again that people closed before", async () => {
      mockStart();
      mockReply();
      await mockRepositoryRead(github, { fixtureDir: fixture("probe-missing"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github, { closed: [livenessPull({ closedAt: "2024-05-02T16:00:00Z", mergedAt: null })] });
      mockPullRequestCreation(github, { tree: "70".repeat(20), commit: "c0".repeat(20), number: 13 });

      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape fix liveness-probe-missing" }));

      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        replyCall("Queued a scan that opens or updates the pull requests for `liveness-probe-missing`, even where one was closed before or the limits on pull requests would stop it."),
        ...repositoryReadCalls({ config: true, token: false }),
        ...PULL_LISTING_CALLS,
        [`POST ${repoPath}/git/trees`, { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deploymentOf("probe-missing")}${LIVENESS_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "70".repeat(20), parents: [BASE_SHA] }],
        [`POST ${repoPath}/git/refs`, { ref: `refs/heads/${LIVENESS}`, sha: "c0".repeat(20) }],
        [`POST ${repoPath}/pulls`, { title: LIVENESS_TITLE, body: LIVENESS_BODY, head: LIVENESS, base: "main", draft: true }],
        [`POST ${repoPath}/issues/13/labels`, { labels: ["shipshape", "reliability"] }],
      ]);
      expect(scanReports(app)).toEqual([scanReport({ findings: 1, pullRequests: { [LIVENESS]: "opened" }, closed: [] })]);
    });

    it("fix with no rule forces every fixable rule, past the limits", async () => {
      mockStart();
      mockReply();
      await mockRepositoryRead(github, { fixtureDir: fixture("probe-missing"), config: `${NO_DASHBOARD}pullRequests:\n  maxOpen: 0\n`, token: false });
      mockPullRequestListings(github);
      mockPullRequestCreation(github, { tree: "70".repeat(20), commit: "c0".repeat(20), number: 13 });

      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape FIX" }));

      expectAllAnswered();
      expect(calls.slice(0, 4)).toEqual([
        ...START,
        replyCall("Queued a scan that opens or updates the pull requests for every fixable rule, even where one was closed before or the limits on pull requests would stop it."),
      ]);
      expect(calls.at(-2)?.[0]).toBe(`POST ${repoPath}/pulls`);
      expect(scanReports(app)).toEqual([scanReport({ findings: 1, pullRequests: { [LIVENESS]: "opened" }, closed: [] })]);
    });

    it("fix refuses a rule that does not exist or has no fix, and queues nothing", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape fix liveness-probe-missing parse-error" }));
      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        replyCall(`\`parse-error\` has no automatic fix, so there is no pull request to open for it. The fixable rules: ${FIXABLE_RULES.map((id) => `\`${id}\``).join(", ")}.`),
      ]);

      calls.length = 0;
      github
        .post(`${repoPath}/issues/comments/${COMMENT_ID}/reactions`)
        .reply(201, {})
        .get(`${repoPath}/collaborators/${COMMENTER}/permission`)
        .reply(200, { permission: "write", role_name: "write" });
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape fix liveness-probes" }));
      expectAllAnswered();
      expect(calls).toEqual([REACTION_CALL, PERMISSION_CALL, replyCall(`Shipshape has no rule \`liveness-probes\`. The rules: ${RULE_LIST}.`)]);
      expect(scanReports(app)).toEqual([]);
    });
  });

  describe("rebase", () => {
    it("rebuilds the pull request's branch from scratch on main, discarding a person's commits, and drops the hands-off mark", async () => {
      mockStart();
      github.get(`${repoPath}/pulls/11`).reply(200, livenessPull({ body: `${LIVENESS_BODY}\n${HANDS_OFF}`, headSha: PERSON_COMMIT }));
      mockReply(11);
      await mockRepositoryRead(github, { fixtureDir: fixture("probe-missing"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github, { open: [livenessPull({ body: `${LIVENESS_BODY}\n${HANDS_OFF}`, headSha: PERSON_COMMIT })] });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "71".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c1".repeat(20) })
        .patch(refPath(LIVENESS))
        .reply(200, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {});

      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape rebase", number: 11, pullRequest: true }));

      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        [`GET ${repoPath}/pulls/11`, undefined],
        replyCall(
          `Queued a rebuild of \`${LIVENESS}\`: Shipshape discards the commits pushed to it and makes its single commit afresh on \`main\`. Should nothing be left to fix, it closes this pull request and deletes the branch.`,
          11,
        ),
        ...repositoryReadCalls({ config: true, token: false }),
        ...PULL_LISTING_CALLS,
        [`POST ${repoPath}/git/trees`, { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deploymentOf("probe-missing")}${LIVENESS_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "71".repeat(20), parents: [BASE_SHA] }],
        [`PATCH ${refPath(LIVENESS)}`, { sha: "c1".repeat(20), force: true }],
        [`PATCH ${repoPath}/pulls/11`, { title: LIVENESS_TITLE, body: LIVENESS_BODY }],
      ]);
      expect(scanReports(app)).toEqual([scanReport({ findings: 1, pullRequests: { [LIVENESS]: "updated" }, closed: [] })]);
    });

    it("refuses on an issue, without asking about pull requests", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape rebase" }));
      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        replyCall("`/shipshape rebase` rebuilds one of Shipshape's pull requests, and this is an issue: comment it on the pull request to rebuild. Nothing was done."),
      ]);
    });

    it("refuses on a pull request a person opened, even from a shipshape/ branch, and on a closed one", async () => {
      mockStart();
      github.get(`${repoPath}/pulls/21`).reply(200, pullRequestJson({ number: 21, branch: "shipshape/setup", body: "Configures Shipshape.", user: PERSON }));
      mockReply(21);
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape rebase", number: 21, pullRequest: true }));
      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        [`GET ${repoPath}/pulls/21`, undefined],
        replyCall(
          "`/shipshape rebase` rebuilds Shipshape's own pull requests only (branches named `shipshape/…` that Shipshape opened), and this pull request is not one of them. Nothing was done.",
          21,
        ),
      ]);

      calls.length = 0;
      github
        .post(`${repoPath}/issues/comments/${COMMENT_ID}/reactions`)
        .reply(201, {})
        .get(`${repoPath}/collaborators/${COMMENTER}/permission`)
        .reply(200, { permission: "admin", role_name: "admin" })
        .get(`${repoPath}/pulls/11`)
        .reply(200, livenessPull({ closedAt: "2024-05-02T16:00:00Z", mergedAt: null }));
      mockReply(11);
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape rebase", number: 11, pullRequest: true }));
      expectAllAnswered();
      expect(calls).toEqual([
        REACTION_CALL,
        PERMISSION_CALL,
        [`GET ${repoPath}/pulls/11`, undefined],
        replyCall("This pull request is closed, so there is nothing to rebuild. `/shipshape fix` proposes its fixes again.", 11),
      ]);
      expect(scanReports(app)).toEqual([]);
    });

    it("replies with a clear error when the pull request cannot be read", async () => {
      mockStart();
      github.get(`${repoPath}/pulls/11`).reply(500, { message: "Server Error" });
      mockReply(11);
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape rebase", number: 11, pullRequest: true }));
      expectAllAnswered();
      expect(calls).toEqual([...START, [`GET ${repoPath}/pulls/11`, undefined], replyCall("Shipshape could not do this: GitHub answered 500. Please try again in a few minutes.", 11)]);
    });
  });

  describe("ignore and unignore", () => {
    it("ignore opens the dashboard issue with the ignore in it when there is none", async () => {
      mockStart();
      github
        .get(`${repoPath}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, [])
        .post(`${repoPath}/issues`)
        .reply(201, { number: 40 });
      mockReply();

      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape ignore image-digest-missing ./legacy/" }));

      expectAllAnswered();
      const state = { version: 1, ignores: [{ rule: "image-digest-missing", path: "legacy", by: COMMENTER }] };
      expect(calls).toEqual([
        ...START,
        DASHBOARD_LIST_CALL,
        [
          `POST ${repoPath}/issues`,
          {
            title: "Shipshape dashboard",
            body: `Shipshape keeps this issue up to date with what it finds in this repository. It fills in the rest at its next scan.\n\nIgnored (\`/shipshape ignore <rule> [path-glob]\`; \`/shipshape unignore <rule>\` undoes it):\n\n- \`image-digest-missing\` in files matching \`legacy\` (asked by \`${COMMENTER}\`)\n\n${metadata(state)}`,
            labels: ["shipshape-dashboard"],
          },
        ],
        replyCall(
          "From the next scan on, Shipshape leaves out the findings of `image-digest-missing` in files matching `legacy`. It is listed in the dashboard issue, #40; `/shipshape unignore image-digest-missing` undoes it.",
        ),
      ]);
    });

    it("ignore adds to the dashboard's metadata, keeps the rest of its body, and forgets the last scan so the next sweep rescans", async () => {
      const before = { version: 1, lastScan: { sha: BASE_SHA, rules: "0123456789abcdef" }, ignores: [{ rule: "image-tag-mutable", by: "hubot" }] };
      mockStart();
      github
        .get(`${repoPath}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, [dashboardIssue(40, `${DASHBOARD_TEXT}\n\n${metadata(before)}`)])
        .patch(`${repoPath}/issues/40`)
        .reply(200, {});
      mockReply();

      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape ignore run-as-non-root-missing" }));

      expectAllAnswered();
      const after = { version: 1, ignores: [...before.ignores, { rule: "run-as-non-root-missing", by: COMMENTER }] };
      expect(calls).toEqual([
        ...START,
        DASHBOARD_LIST_CALL,
        [`PATCH ${repoPath}/issues/40`, { body: `${DASHBOARD_TEXT}\n\n${metadata(after)}` }],
        replyCall(
          "From the next scan on, Shipshape leaves out the findings of `run-as-non-root-missing`. It is listed in the dashboard issue, #40; `/shipshape unignore run-as-non-root-missing` undoes it.",
        ),
      ]);
    });

    it("ignore of what is already ignored writes nothing", async () => {
      const state = { version: 1, ignores: [{ rule: "image-tag-mutable", path: "apps/**", by: "hubot" }] };
      mockStart();
      github.get(`${repoPath}/issues`).query(DASHBOARD_QUERY).reply(200, [dashboardIssue(40, `${DASHBOARD_TEXT}\n\n${metadata(state)}`)]);
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape ignore image-tag-mutable apps/**" }));
      expectAllAnswered();
      expect(calls).toEqual([...START, DASHBOARD_LIST_CALL, replyCall("`image-tag-mutable` in files matching `apps/**` is already ignored (see the dashboard issue, #40): nothing changed.")]);
    });

    it("ignore refuses an unknown rule and a glob that cannot be used, without reading the dashboard", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape ignore image-tag-mutable apps/[web\n/shipshape ignore image-tag-mutable /etc/**\n/shipshape ignore no-such-rule" }));
      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        replyCall(
          [
            "**`/shipshape ignore image-tag-mutable apps/[web`**",
            "",
            '`apps/[web` is not a glob Shipshape can read (Missing closing: "]" - use "\\\\]" to match literal characters).',
            "",
            "**`/shipshape ignore image-tag-mutable /etc/**`**",
            "",
            "`/etc/**` starts with `/`: paths are relative to the repository root, like `apps/**` or `charts/*/values.yaml`.",
            "",
            "**`/shipshape ignore no-such-rule`**",
            "",
            `Shipshape has no rule \`no-such-rule\`. The rules: ${RULE_LIST}.`,
          ].join("\n"),
        ),
      ]);
    });

    it("unignore removes every ignore of the rule; unignore of a rule that is not ignored writes nothing", async () => {
      const before = {
        version: 1,
        ignores: [
          { rule: "image-tag-mutable", path: "apps/**", by: "hubot" },
          { rule: "image-digest-missing", by: "hubot" },
          { rule: "image-tag-mutable", by: "octocat" },
        ],
      };
      mockStart();
      github
        .get(`${repoPath}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, [dashboardIssue(40, `${DASHBOARD_TEXT}\n\n${metadata(before)}`)])
        .patch(`${repoPath}/issues/40`)
        .reply(200, {});
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape unignore image-tag-mutable" }));
      expectAllAnswered();
      expect(calls).toEqual([
        ...START,
        DASHBOARD_LIST_CALL,
        [`PATCH ${repoPath}/issues/40`, { body: `${DASHBOARD_TEXT}\n\n${metadata({ version: 1, ignores: [{ rule: "image-digest-missing", by: "hubot" }] })}` }],
        replyCall("From the next scan on, Shipshape reports the findings of `image-tag-mutable` again; it is no longer listed in the dashboard issue, #40."),
      ]);

      calls.length = 0;
      github
        .post(`${repoPath}/issues/comments/${COMMENT_ID}/reactions`)
        .reply(201, {})
        .get(`${repoPath}/collaborators/${COMMENTER}/permission`)
        .reply(200, { permission: "write", role_name: "write" })
        .get(`${repoPath}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, []);
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape unignore liveness-probe-missing" }));
      expectAllAnswered();
      expect(calls).toEqual([REACTION_CALL, PERMISSION_CALL, DASHBOARD_LIST_CALL, replyCall("`liveness-probe-missing` is not ignored, so nothing changed.")]);
    });

    it("a failed dashboard write makes the reply say so", async () => {
      mockStart();
      github
        .get(`${repoPath}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, [dashboardIssue(40, DASHBOARD_TEXT)])
        .patch(`${repoPath}/issues/40`)
        .reply(503, { message: "Service Unavailable" });
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: "/shipshape ignore image-tag-mutable" }));
      expectAllAnswered();
      expect(calls.at(-1)).toEqual(replyCall("Shipshape could not do this: GitHub answered 503. Please try again in a few minutes."));
    });
  });

  describe("several commands in one comment", () => {
    it("runs them in order with one reaction, one permission check, one dashboard write and one reply, then scans", async () => {
      mockStart();
      github
        .get(`${repoPath}/issues`)
        .query(DASHBOARD_QUERY)
        .reply(200, [dashboardIssue(40, DASHBOARD_TEXT)])
        .patch(`${repoPath}/issues/40`)
        .reply(200, {});
      mockReply();
      await mockRepositoryRead(github, { fixtureDir: fixture("clean"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github);

      const body = [
        "Let's tidy this up.",
        "/shipshape ignore image-digest-missing",
        "/shipshape ignore image-tag-mutable charts/**",
        "> /shipshape rebase",
        "/shipshape scan",
        "/shipshape launch",
      ].join("\n");
      await app.deliver("issue_comment", issueCommentEvent({ body }));

      expectAllAnswered();
      const state = { version: 1, ignores: [{ rule: "image-digest-missing", by: COMMENTER }, { rule: "image-tag-mutable", path: "charts/**", by: COMMENTER }] };
      expect(calls).toEqual([
        ...START,
        DASHBOARD_LIST_CALL,
        [`PATCH ${repoPath}/issues/40`, { body: `${DASHBOARD_TEXT}\n\n${metadata(state)}` }],
        replyCall(
          [
            "**`/shipshape ignore image-digest-missing`**",
            "",
            "From the next scan on, Shipshape leaves out the findings of `image-digest-missing`. It is listed in the dashboard issue, #40; `/shipshape unignore image-digest-missing` undoes it.",
            "",
            "**`/shipshape ignore image-tag-mutable charts/**`**",
            "",
            "From the next scan on, Shipshape leaves out the findings of `image-tag-mutable` in files matching `charts/**`. It is listed in the dashboard issue, #40; `/shipshape unignore image-tag-mutable` undoes it.",
            "",
            "**`/shipshape scan`**",
            "",
            "Queued a scan of `main`: Shipshape's pull requests are brought up to date when it finishes.",
            "",
            "**`/shipshape launch`**",
            "",
            "Shipshape has no command `/shipshape launch`. `/shipshape help` lists the commands.",
          ].join("\n"),
        ),
        ...repositoryReadCalls({ config: true, token: false }),
        ...PULL_LISTING_CALLS,
      ]);
      expect(scanReports(app)).toHaveLength(1);
    });

    it("runs at most ten, and says how many were left out", async () => {
      mockStart();
      mockReply();
      await app.deliver("issue_comment", issueCommentEvent({ body: Array.from({ length: 12 }, () => "/shipshape explain parse-error").join("\n") }));
      expectAllAnswered();
      const reply = (calls.at(-1)?.[1] as { body: string }).body;
      expect(reply.match(/^### File cannot be read/gm)).toHaveLength(10);
      expect(reply.endsWith("\n\nShipshape runs at most 10 commands from one comment; the other 2 were not run.")).toBe(true);
    });

    it("merges a fix and a rebase asked for while a scan runs into one scan after it", async () => {
      const { sign } = await import("./harness.js");
      const receive = (name: string, payload: object) => {
        const body = JSON.stringify(payload);
        return app.probot.webhooks.verifyAndReceive({ id: `delivery-${calls.length}`, name: name as never, payload: body, signature: sign(body) });
      };
      let started!: () => void;
      const scanStarted = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // A scan for a push holds the installation's queue…
      await mockRepositoryRead(github, { fixtureDir: fixture("clean"), config: NO_DASHBOARD, hold: async () => (started(), await released) });
      mockPullRequestListings(github);
      // …while two comments ask for a forced fix and a rebuild.
      mockStart(undefined, false);
      mockReply();
      mockStart({ permission: "write", role_name: "maintain" }, false);
      github.get(`${repoPath}/pulls/11`).reply(200, livenessPull({ body: `${LIVENESS_BODY}\n${HANDS_OFF}` }));
      mockReply(11);
      // Then one scan does both: pull request 12 (closed by people) is proposed again and 11 is rebuilt.
      await mockRepositoryRead(github, { fixtureDir: fixture("repo"), config: NO_DASHBOARD, token: false });
      mockPullRequestListings(github, {
        open: [livenessPull({ body: `${LIVENESS_BODY}\n${HANDS_OFF}`, headSha: PERSON_COMMIT })],
        closed: [pullRequestJson({ number: 12, branch: PRIVILEGE, title: PRIVILEGE_TITLE, body: PRIVILEGE_BODY, closedAt: "2024-05-02T16:00:00Z", mergedAt: null })],
      });
      github
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "71".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c1".repeat(20) })
        .patch(refPath(LIVENESS))
        .reply(200, {})
        .patch(`${repoPath}/pulls/11`)
        .reply(200, {})
        .post(`${repoPath}/git/trees`)
        .reply(201, { sha: "72".repeat(20) })
        .post(`${repoPath}/git/commits`)
        .reply(201, { sha: "c2".repeat(20) })
        .post(`${repoPath}/git/refs`)
        .reply(201, {})
        .post(`${repoPath}/pulls`)
        .reply(201, { number: 14 })
        .post(`${repoPath}/issues/14/labels`)
        .reply(200, []);

      await receive("push", pushEvent({ ref: "refs/heads/main", before: "0".repeat(40), after: BASE_SHA }));
      await scanStarted;
      await receive("issue_comment", issueCommentEvent({ body: "/shipshape fix privilege-escalation-allowed" }));
      await receive("issue_comment", issueCommentEvent({ body: "/shipshape rebase", number: 11, pullRequest: true }));
      release();
      await app.queue.idle();

      expectAllAnswered();
      const [, held, ...rest] = repositoryReadCalls({ config: true });
      const deployment = deploymentOf("repo");
      expect(calls).toEqual([
        TOKEN_CALL,
        held,
        ...AGAIN,
        replyCall("Queued a scan that opens or updates the pull requests for `privilege-escalation-allowed`, even where one was closed before or the limits on pull requests would stop it."),
        ...AGAIN,
        [`GET ${repoPath}/pulls/11`, undefined],
        replyCall(expect.stringMatching(/^Queued a rebuild of `shipshape\/liveness-probe-missing`/) as unknown as string, 11),
        ...rest,
        ...PULL_LISTING_CALLS,
        ...repositoryReadCalls({ config: true, token: false }),
        ...PULL_LISTING_CALLS,
        [`POST ${repoPath}/git/trees`, { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}${LIVENESS_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(LIVENESS_TITLE), tree: "71".repeat(20), parents: [BASE_SHA] }],
        [`PATCH ${refPath(LIVENESS)}`, { sha: "c1".repeat(20), force: true }],
        [`PATCH ${repoPath}/pulls/11`, { title: LIVENESS_TITLE, body: LIVENESS_BODY }],
        [`POST ${repoPath}/git/trees`, { base_tree: TREE_SHA, tree: [{ path: "apps/web/deployment.yaml", mode: "100644", type: "blob", content: `${deployment}${PRIVILEGE_FIX}` }] }],
        [`POST ${repoPath}/git/commits`, { message: commitMessage(PRIVILEGE_TITLE), tree: "72".repeat(20), parents: [BASE_SHA] }],
        [`POST ${repoPath}/git/refs`, { ref: `refs/heads/${PRIVILEGE}`, sha: "c2".repeat(20) }],
        [`POST ${repoPath}/pulls`, { title: PRIVILEGE_TITLE, body: PRIVILEGE_BODY, head: PRIVILEGE, base: "main", draft: false }],
        [`POST ${repoPath}/issues/14/labels`, { labels: ["shipshape", "security"] }],
      ]);
      expect(scanReports(app)).toEqual([
        scanReport({ findings: 0, pullRequests: {}, closed: [] }),
        scanReport({ findings: 2, pullRequests: { [LIVENESS]: "updated", [PRIVILEGE]: "opened" }, closed: [] }),
      ]);
    });
  });
});
