/**
 * The look-up step of action-pin: which commits the refs of workflow `uses:` point at, asked of GitHub through the
 * real client (nock answers at the HTTP boundary), once per repository and ref, in a fixed order.
 */
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../src/config/types.js";
import { withActionRevisions } from "../../src/github/action-revisions.js";
import type { GitHubClient } from "../../src/github/octokit.js";
import { NO_LOCKFILE_LOOKUPS } from "../../src/lockfiles/lookups.js";
import { NO_DIGESTS } from "../../src/pins/lookup.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";

const rules = activeRules(loadRules(), {}, ["actions-not-pinned"]);
const CHECKOUT = "11bd71901bbe5b1630ceea73d27597364c9af683";
const CODEQL = "ff0a06e83cb2de871e5a09832bc6a81e7276941f";
const SHA_TYPE = { "content-type": "application/vnd.github.sha; charset=utf-8" };

function scan(workflow: string) {
  const files = loadWorkspaceFromFiles([{ path: ".github/workflows/ci.yml", bytes: Buffer.from(workflow) }], { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] });
  return scanFiles(files, { rules, fixSettings: DEFAULT_FIX_SETTINGS });
}

describe("looking up the commits of workflow uses:", () => {
  let octokit: GitHubClient;
  let asked: string[];
  beforeEach(() => {
    nock.disableNetConnect();
    octokit = new ProbotOctokit({ auth: { token: "ghs_installationtokenfortests" }, retry: { enabled: false }, throttle: { enabled: false } }) as GitHubClient;
    asked = [];
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  function github(): nock.Scope {
    const scope = nock("https://api.github.com");
    scope.on("request", (req: { method: string; path: string; headers: Record<string, string> }) => void asked.push(`${req.method} ${req.path} (${req.headers["accept"]})`));
    return scope;
  }

  it("asks once per repository and ref (an action's path is not part of it) with the sha media type, and rescans", async () => {
    const scanned = scan(
      [
        "on: push",
        "jobs:",
        "  test:",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - uses: github/codeql-action/init@v3",
        "      - uses: github/codeql-action/analyze@v3",
        "      - uses: Actions/Checkout@v4",
        "      - uses: octo/gone@v1",
        "      - uses: octo/broken@main",
        "      - uses: octo/no-ref",
        "",
      ].join("\n"),
    );
    expect(scanned.findings.map((finding) => finding.fixable)).toEqual([false, false, false, false, false, false, false]);
    const scope = github();
    scope
      .get("/repos/actions/checkout/commits/v4").reply(200, CHECKOUT, SHA_TYPE)
      .get("/repos/github/codeql-action/commits/v3").reply(200, `${CODEQL}\n`, SHA_TYPE)
      .get("/repos/octo/broken/commits/main").reply(500, { message: "Server Error" })
      .get("/repos/octo/gone/commits/v1").reply(404, { message: "Not Found" });

    const result = await withActionRevisions(octokit, scanned, { rules, fixSettings: DEFAULT_FIX_SETTINGS, digests: NO_DIGESTS, lockfiles: NO_LOCKFILE_LOOKUPS });

    expect(scope.pendingMocks()).toEqual([]);
    // In the order of the keys; the first spelling of actions/checkout is asked; the sha media type, as Octokit writes it.
    expect(asked).toEqual(
      ["/repos/actions/checkout/commits/v4", "/repos/github/codeql-action/commits/v3", "/repos/octo/broken/commits/main", "/repos/octo/gone/commits/v1"].map((path) => `GET ${path} (application/vnd.github.v3.sha)`),
    );
    const gone = 'GitHub has no commit "v1" of octo/gone that this installation can read (HTTP 404)';
    const broken = 'could not ask GitHub for the commit of "main" of octo/broken: HTTP 500: Server Error';
    expect(result.fixSettings.actionRevisions).toEqual({
      "actions/checkout@v4": { ok: true, sha: CHECKOUT },
      "github/codeql-action@v3": { ok: true, sha: CODEQL },
      "octo/broken@main": { ok: false, reason: broken },
      "octo/gone@v1": { ok: false, reason: gone },
    });
    expect(result.scanned.findings.map((finding) => [finding.line, finding.fixable, finding.notFixableReason])).toEqual([
      [5, true, undefined],
      [6, true, undefined],
      [7, true, undefined],
      [8, true, undefined],
      [9, false, gone],
      [10, false, broken],
      [11, false, "octo/no-ref names no ref to pin: write the release you mean (@v1), which the GitHub App can then pin"],
    ]);
  });

  it("asks nothing when no finding needs a commit", async () => {
    const scanned = scan("on: push\njobs:\n  test:\n    steps:\n      - uses: octo/no-ref\n      - uses: actions/checkout@8fcfedf\n");
    const result = await withActionRevisions(octokit, scanned, { rules, fixSettings: DEFAULT_FIX_SETTINGS, digests: NO_DIGESTS, lockfiles: NO_LOCKFILE_LOOKUPS });
    expect(asked).toEqual([]);
    expect(result.scanned).toBe(scanned);
    expect(result.fixSettings).toBe(DEFAULT_FIX_SETTINGS);
  });
});
