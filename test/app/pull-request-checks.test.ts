import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { API, OWNER, recordCalls, REPO, watchUnmatched, type TestApp } from "./harness.js";
import {
  APP_ID,
  BASE_SHA,
  CHECK_RUN_ID,
  CHECKS_FIXTURES,
  checkReadCalls,
  checkRunRerequested,
  HEAD_SHA,
  mockCheckRead,
  mockToken,
  pullRequestEvent,
  pullRequestFile,
  REPO_PATH,
  sixtyWorkers,
  startCheckApp,
  treeOf,
  type Tree,
} from "./pr-check-harness.js";

const golden = (name: string) => readFileSync(join(CHECKS_FIXTURES, "expected", name), "utf8").replace(/\n$/, "");
const BASE = treeOf(join(CHECKS_FIXTURES, "base"));
const HEAD = treeOf(join(CHECKS_FIXTURES, "head"));
const WEB = "apps/web/deployment.yaml";
const API_FILE = "apps/api/deployment.yaml";
/** The head with only the web deployment edited (a comment, more replicas): its two findings were there before. */
const PROBE_RULES_ONLY = ["replicas-too-low", "network-policy-missing", "capabilities-not-dropped", "read-only-root-filesystem-missing", "seccomp-profile-missing"].reduce((config, rule) => `${config}  ${rule}: off\n`, "rules:\n");
const POLICIES = "apps/policies.yaml";
const HEAD_OLD_ONLY: Tree = { [WEB]: HEAD[WEB] as string, [POLICIES]: HEAD[POLICIES] as string };
const RULES = new Map(loadRules().map((rule) => [rule.id, rule]));
const CHECK_RUN = `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`;

function annotation(path: string, line: number, rule: string, message: string): object {
  const known = RULES.get(rule);
  if (!known) throw new Error(`no rule ${rule}`);
  const level = { critical: "failure", high: "failure", medium: "warning", low: "notice" }[known.severity];
  return { path, start_line: line, end_line: line, annotation_level: level, title: `${rule}: ${known.title}`, message: `${message}\n\n${known.remediation.trim()}` };
}

interface LogEntry {
  level: number;
  msg: string;
  check?: Record<string, unknown>;
}
const entries = (app: TestApp): LogEntry[] => app.logs.map((line) => JSON.parse(line) as LogEntry);
const reports = (app: TestApp) => entries(app).flatMap((entry) => (entry.msg === "pull request check finished" && entry.check ? [entry.check] : []));

describe("the Shipshape check on pull requests", () => {
  let app: TestApp;
  let unmatched: ReturnType<typeof watchUnmatched>;
  beforeEach(async () => {
    nock.disableNetConnect();
    unmatched = watchUnmatched();
    app = await startCheckApp();
  });
  afterEach(() => {
    unmatched.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("annotates the 60 findings a pull request adds in two updates (50, then 10) and fails on the high ones", async () => {
    const workers = sixtyWorkers();
    const github = nock(API);
    const calls = recordCalls(github);
    // The workers are single-replica Deployments in a namespace of their own: the base's config keeps this to the probe rules.
    await mockCheckRead(github, { base: BASE, head: { ...HEAD_OLD_ONLY, "apps/batch/workers.yaml": workers.text }, config: PROBE_RULES_ONLY });
    github.patch(CHECK_RUN).times(2).reply(200, { id: CHECK_RUN_ID });

    await app.deliver("pull_request", pullRequestEvent("opened"));

    expect(unmatched.requests).toEqual([]);
    expect(github.pendingMocks()).toEqual([]);
    const annotations = workers.lines.map((line, index) =>
      index % 2 === 0
        ? annotation("apps/batch/workers.yaml", line, "readiness-probe-missing", `container "worker" has no readinessProbe (Deployment batch/worker-${String(index + 1).padStart(2, "0")})`)
        : annotation("apps/batch/workers.yaml", line, "liveness-probe-missing", `container "worker" has no livenessProbe (Deployment batch/worker-${String(index + 1).padStart(2, "0")})`),
    );
    const output = { title: "60 new findings: 30 high, 30 medium", summary: golden("sixty-new.md") };
    expect(calls).toEqual([
      ...checkReadCalls({ config: true }),
      [`PATCH ${CHECK_RUN}`, { status: "completed", conclusion: "failure", output: { ...output, annotations: annotations.slice(0, 50) } }],
      [`PATCH ${CHECK_RUN}`, { output: { ...output, annotations: annotations.slice(50) } }],
    ]);
    expect(reports(app)).toEqual([
      { repository: `${OWNER}/${REPO}`, pullRequest: 2, headSha: HEAD_SHA, checkRunId: CHECK_RUN_ID, added: 60, existing: 2, conclusion: "failure", annotations: 60 },
    ]);
  });

  it("succeeds when the pull request only has findings that were there before, even on moved lines", async () => {
    const github = nock(API);
    const calls = recordCalls(github);
    await mockCheckRead(github, { base: BASE, head: HEAD_OLD_ONLY });
    github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

    await app.deliver("pull_request", pullRequestEvent("synchronize"));

    expect(unmatched.requests).toEqual([]);
    expect(calls).toEqual([...checkReadCalls(), [`PATCH ${CHECK_RUN}`, { status: "completed", conclusion: "success", output: { title: "No new findings", summary: golden("old-only.md") } }]]);
  });

  it("compares with the commit the pull request branches from, not with a base branch that has moved on", async () => {
    // main fixed the web container's findings after the pull request branched off; the pull request still has them, unchanged.
    const mergeBase = "c0ffee".padEnd(40, "0");
    const github = nock(API);
    const calls = recordCalls(github);
    await mockCheckRead(github, { base: BASE, head: BASE, mergeBase });
    github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

    await app.deliver("pull_request", pullRequestEvent("reopened"));

    expect(unmatched.requests).toEqual([]);
    expect(calls.map(([call]) => call)).toEqual([...checkReadCalls({ mergeBase }).map(([call]) => call), `PATCH ${CHECK_RUN}`]);
    expect(calls.at(-1)?.[1]).toMatchObject({ conclusion: "success", output: { title: "No new findings" } });
  });

  it("reads a fork's head commit from the base repository", async () => {
    const github = nock(API);
    const calls = recordCalls(github);
    await mockCheckRead(github, { base: BASE, head: HEAD });
    github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

    await app.deliver("pull_request", pullRequestEvent("opened", { fork: true }));

    expect(unmatched.requests).toEqual([]);
    expect(calls.map(([call]) => call)).toEqual([...checkReadCalls().map(([call]) => call), `PATCH ${CHECK_RUN}`]);
    expect(calls.at(-1)?.[1]).toEqual({
      status: "completed",
      conclusion: "failure",
      output: {
        title: "2 new findings: 1 high, 1 medium",
        summary: golden("two-new.md"),
        annotations: [
          annotation(API_FILE, 22, "liveness-probe-missing", 'container "api" has no livenessProbe (Deployment shop/api)'),
          annotation(API_FILE, 22, "readiness-probe-missing", 'container "api" has no readinessProbe (Deployment shop/api)'),
        ],
      },
    });
  });

  it("concludes neutral below the configured threshold, and success never depends on the head's own config", async () => {
    // The base says fail on critical only; the head tries to switch the check off, which must not count.
    const github = nock(API);
    const calls = recordCalls(github);
    await mockCheckRead(github, { base: BASE, head: { ...HEAD, ".github/shipshape.yml": "checks:\n  failOn: none\nrules:\n  readiness-probe-missing: off\n" }, config: "checks:\n  failOn: critical\n" });
    github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

    await app.deliver("pull_request", pullRequestEvent("opened"));

    expect(unmatched.requests).toEqual([]);
    expect(calls.map(([call]) => call)).toEqual([...checkReadCalls({ config: true }).map(([call]) => call), `PATCH ${CHECK_RUN}`]);
    expect(calls.at(-1)?.[1]).toMatchObject({ conclusion: "neutral", output: { title: "2 new findings: 1 high, 1 medium" } });
    expect((calls.at(-1)?.[1] as { output: { summary: string } }).output.summary).toContain("This pull request adds 2 findings, none at or above **critical**.");
  });

  describe("check_run.rerequested", () => {
    it("runs the check again on the check run's head commit, as a new check run", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      await mockCheckRead(github, { base: BASE, head: HEAD_OLD_ONLY });
      github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

      await app.deliver("check_run", checkRunRerequested({ appId: APP_ID, name: "Shipshape" }));

      expect(unmatched.requests).toEqual([]);
      expect(calls).toEqual([...checkReadCalls(), [`PATCH ${CHECK_RUN}`, { status: "completed", conclusion: "success", output: { title: "No new findings", summary: golden("old-only.md") } }]]);
    });

    it("finds a fork's pull request by the number the check run was created with", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      github.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: HEAD_SHA, ref: "changes" }, base: { sha: BASE_SHA, ref: "master" } });
      await mockCheckRead(github, { base: BASE, head: HEAD_OLD_ONLY });
      github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

      await app.deliver("check_run", checkRunRerequested({ appId: APP_ID, name: "Shipshape", pullRequests: false }));

      expect(unmatched.requests).toEqual([]);
      const [token, ...rest] = checkReadCalls();
      expect(calls.map(([call]) => call)).toEqual([token?.[0], `GET ${REPO_PATH}/pulls/2`, ...rest.map(([call]) => call), `PATCH ${CHECK_RUN}`]);
    });

    it("leaves alone check runs of other apps and of other names", async () => {
      const github = nock(API);
      const calls = recordCalls(github);

      await app.deliver("check_run", checkRunRerequested({ appId: 2, name: "Shipshape" }));
      await app.deliver("check_run", checkRunRerequested({ appId: APP_ID, name: "randscape" }));

      expect(calls).toEqual([]);
      expect(unmatched.requests).toEqual([]);
    });
  });

  describe("suggestions", () => {
    const CONFIG = "checks:\n  suggestions: true\n";
    const files = [pullRequestFile(API_FILE, undefined, HEAD[API_FILE] as string), pullRequestFile(WEB, BASE[WEB], HEAD[WEB] as string)];
    const SUGGESTION = [
      'Adds a livenessProbe to container "api" that opens a TCP connection to port http. Adds a readinessProbe to container "api" that checks what its livenessProbe already checks.',
      "",
      "**Before merging:** Kubernetes restarts the container after three failed checks in a row. If the application needs more than about 30 seconds to start listening, add initialDelaySeconds or a startupProbe before merging.",
      "",
      "**Before merging:** The pod receives traffic only while the check passes, so the check must reflect readiness: a TCP check passes as soon as the port is open, which can be before the application is ready to serve. Where the application has a readiness endpoint, set fixes.probes.httpPath.",
      "",
      "```suggestion",
      "            capabilities: {drop: [ALL]}",
      "          livenessProbe:",
      "            tcpSocket:",
      "              port: http",
      "          readinessProbe:",
      "            tcpSocket:",
      "              port: http",
      "```",
    ].join("\n");

    it("comments a suggestion with the verified fix on the lines the pull request added, in one review", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      await mockCheckRead(github, { base: BASE, head: HEAD, config: CONFIG });
      github
        .patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID })
        .get(`${REPO_PATH}/pulls/2/files`).query({ per_page: 100 }).reply(200, files)
        .get(`${REPO_PATH}/pulls/2/comments`).query({ per_page: 100 }).reply(200, [])
        .post(`${REPO_PATH}/pulls/2/reviews`).reply(200, { id: 80 });

      await app.deliver("pull_request", pullRequestEvent("opened"));

      expect(unmatched.requests).toEqual([]);
      expect(github.pendingMocks()).toEqual([]);
      expect(calls.slice(checkReadCalls({ config: true }).length + 1)).toEqual([
        [`GET ${REPO_PATH}/pulls/2/files?per_page=100`, undefined],
        [`GET ${REPO_PATH}/pulls/2/comments?per_page=100`, undefined],
        [
          `POST ${REPO_PATH}/pulls/2/reviews`,
          {
            commit_id: HEAD_SHA,
            event: "COMMENT",
            body: "Shipshape suggests 1 fix for findings this pull request adds on lines it changes. Each fix was checked: the file still parses, the finding is gone and nothing new appears. Read the note on each before committing it.",
            comments: [{ path: API_FILE, line: 36, side: "RIGHT", body: SUGGESTION }],
          },
        ],
      ]);
      expect(reports(app)[0]).toMatchObject({ conclusion: "failure", suggestions: 1 });
    });

    it("does not post a suggestion again that is already on its line", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      await mockCheckRead(github, { base: BASE, head: HEAD, config: CONFIG });
      github
        .patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID })
        .get(`${REPO_PATH}/pulls/2/files`).query({ per_page: 100 }).reply(200, files)
        .get(`${REPO_PATH}/pulls/2/comments`).query({ per_page: 100 })
        .reply(200, [{ id: 90, path: API_FILE, line: 36, side: "RIGHT", body: SUGGESTION, user: { login: "shipshape[bot]", type: "Bot" } }]);

      await app.deliver("pull_request", pullRequestEvent("synchronize"));

      expect(unmatched.requests).toEqual([]);
      expect(github.pendingMocks()).toEqual([]);
      expect(calls.at(-1)?.[0]).toBe(`GET ${REPO_PATH}/pulls/2/comments?per_page=100`);
      expect(reports(app)[0]).toMatchObject({ conclusion: "failure", suggestions: 0 });
    });
    it("keeps the check's conclusion when GitHub refuses the review, and logs it", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      await mockCheckRead(github, { base: BASE, head: HEAD, config: CONFIG });
      github
        .patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID })
        .get(`${REPO_PATH}/pulls/2/files`).query({ per_page: 100 }).reply(200, files)
        .get(`${REPO_PATH}/pulls/2/comments`).query({ per_page: 100 }).reply(200, [])
        .post(`${REPO_PATH}/pulls/2/reviews`).reply(422, { message: "Unprocessable Entity", errors: ["Line could not be resolved"] });

      await app.deliver("pull_request", pullRequestEvent("opened"));

      expect(unmatched.requests).toEqual([]);
      expect(github.pendingMocks()).toEqual([]);
      expect(calls.find(([call]) => call.startsWith("PATCH"))?.[1]).toMatchObject({ conclusion: "failure" });
      expect(entries(app).filter((entry) => entry.msg === "suggestions not posted").map((entry) => entry.check?.["error"])).toEqual([
        `the suggestions could not be posted: GitHub answered 422 to POST ${REPO_PATH}/pulls/2/reviews`,
      ]);
      expect(reports(app)[0]).toMatchObject({ conclusion: "failure", error: `the suggestions could not be posted: GitHub answered 422 to POST ${REPO_PATH}/pulls/2/reviews` });
    });
  });

  describe("when something is wrong", () => {
    it("concludes neutral with the problem when the base branch's config is invalid, and scans nothing", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      mockToken(github);
      github
        .post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID })
        .get(`${REPO_PATH}/contents/.github%2Fshipshape.yml`).query({ ref: BASE_SHA })
        .reply(200, "checks:\n  failOn: sometimes\n", { "content-type": "text/plain; charset=utf-8" })
        .patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

      await app.deliver("pull_request", pullRequestEvent("opened"));

      expect(unmatched.requests).toEqual([]);
      expect(calls).toEqual([
        ...checkReadCalls({ config: true }).slice(0, 3),
        [`PATCH ${CHECK_RUN}`, { status: "completed", conclusion: "neutral", output: { title: "Not checked: the Shipshape configuration is invalid", summary: golden("config-error.md") } }],
      ]);
    });

    it("concludes neutral with the reason when a tarball cannot be read", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      await mockCheckRead(github, { base: BASE, head: Buffer.from("<html>rate limited</html>") });
      github.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

      await app.deliver("pull_request", pullRequestEvent("opened"));

      expect(unmatched.requests).toEqual([]);
      const reason = "the tarball is not gzip data (it starts with 3c 68 74 6d); expected the gzipped tar that GitHub's tarball endpoint returns";
      expect(calls.at(-1)).toEqual([
        `PATCH ${CHECK_RUN}`,
        {
          status: "completed",
          conclusion: "neutral",
          output: { title: `Not checked: ${reason}`, summary: `Shipshape could not check this pull request: ${reason}.\n\nNo finding was judged. Re-run this check to try again.` },
        },
      ]);
    });

    it("concludes neutral, naming the request, when GitHub refuses a read", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      mockToken(github);
      github
        .post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID })
        .get(`${REPO_PATH}/contents/.github%2Fshipshape.yml`).query({ ref: BASE_SHA }).reply(404, { message: "Not Found" })
        .get(`/repos/${OWNER}/.github/contents/.github%2Fshipshape.yml`).reply(404, { message: "Not Found" })
        .get(`${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`).query({ per_page: 1 }).reply(500, { message: "Server Error" })
        .patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });

      await app.deliver("pull_request", pullRequestEvent("opened"));

      expect(unmatched.requests).toEqual([]);
      expect(calls.at(-1)?.[1]).toMatchObject({
        conclusion: "neutral",
        output: { title: `Not checked: GitHub answered 500 to GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}` },
      });
    });

    it("logs, and goes no further, when GitHub refuses the check run", async () => {
      const github = nock(API);
      const calls = recordCalls(github);
      mockToken(github);
      github.post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" });

      await app.deliver("pull_request", pullRequestEvent("opened"));

      expect(unmatched.requests).toEqual([]);
      expect(calls.map(([call]) => call)).toEqual(checkReadCalls().slice(0, 2).map(([call]) => call));
      const failed = entries(app).filter((entry) => entry.msg === "pull request check failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]?.check).toMatchObject({ error: `the check run could not be created: GitHub answered 403 to POST ${REPO_PATH}/check-runs` });
      expect(app.logs.join("\n")).not.toContain("ghs_installationtokenfortests");
    });
  });
});
