/**
 * The app pins GitHub Actions to commits: after the look-up step it asks GitHub which commit each tag of a workflow
 * `uses:` points at (one request per repository and ref), rescans, and opens a pull request that writes those SHAs
 * with the tags kept as comments. Only actions-not-pinned runs, whatever rules are on by default.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { DASHBOARD_READ, mockDashboardCreate, mockDashboardRead } from "./dashboard-harness.js";
import { installationCreated, mockPullRequestCreation, mockPullRequestListings, mockRepositoryRead, OWNER, PULL_LISTING_CALLS, REPO, repositoryReadCalls, TREE_SHA, useAppSession } from "./harness.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "actions-pin");
const WORKFLOW = ".github/workflows/ci.yml";
const repoPath = `/repos/${OWNER}/${REPO}`;
const CHECKOUT = "11bd71901bbe5b1630ceea73d27597364c9af683";
const SETUP_NODE = "39370e3970a6d050c480ffad4ff0ed4d3fdee5af";
const SHA_TYPE = { "content-type": "application/vnd.github.sha; charset=utf-8" };
/** Every rule off but actions-not-pinned. */
const CONFIG = `rules:\n${loadRules()
  .map((rule) => `  ${rule.id}: ${rule.id === "actions-not-pinned" ? "medium" : "off"}\n`)
  .join("")}`;

describe("the app pins GitHub Actions to commits", () => {
  const session = useAppSession();

  it("asks GitHub once per action and tag, and opens a pull request that pins them with the tags as comments; an action GitHub does not know stays as it is", async () => {
    const { app, github } = session;
    await mockRepositoryRead(github, { fixtureDir: join(FIXTURE, "app-repo"), config: CONFIG });
    mockDashboardRead(github);
    github
      .get("/repos/actions/checkout/commits/v4").reply(200, CHECKOUT, SHA_TYPE)
      .get("/repos/actions/setup-node/commits/v4").reply(200, SETUP_NODE, SHA_TYPE)
      .get("/repos/octo/retired-action/commits/v2").reply(404, { message: "Not Found" });
    mockPullRequestListings(github);
    mockPullRequestCreation(github, { tree: "t1".padEnd(40, "0"), commit: "c1".padEnd(40, "0"), number: 41 });
    mockDashboardCreate(github);

    await app.deliver("installation", installationCreated());
    session.expectAllAnswered();

    expect(session.calls.map(([call]) => call)).toEqual([
      ...repositoryReadCalls({ config: true }).map(([call]) => call),
      DASHBOARD_READ[0],
      "GET /repos/actions/checkout/commits/v4",
      "GET /repos/actions/setup-node/commits/v4",
      "GET /repos/octo/retired-action/commits/v2",
      ...PULL_LISTING_CALLS.map(([call]) => call),
      `POST ${repoPath}/git/trees`,
      `POST ${repoPath}/git/commits`,
      `POST ${repoPath}/git/refs`,
      `POST ${repoPath}/pulls`,
      `POST ${repoPath}/issues/41/labels`,
      `POST ${repoPath}/issues`,
    ]);
    const calls = new Map(session.calls.map(([call, body]) => [call, body]));
    expect(calls.get(`POST ${repoPath}/git/trees`)).toEqual({
      base_tree: TREE_SHA,
      tree: [
        {
          path: WORKFLOW,
          mode: "100644",
          type: "blob",
          content: [
            "name: ci",
            "on:",
            "  push:",
            "    branches: [main]",
            "  pull_request:",
            "",
            "jobs:",
            "  test:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            `      - uses: actions/checkout@${CHECKOUT} # v4`,
            `      - uses: actions/setup-node@${SETUP_NODE} # v4 - node 22 from .nvmrc`,
            "        with:",
            "          node-version-file: .nvmrc",
            "      - run: npm ci && npm test",
            "  lint:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            `      - uses: "actions/checkout@${CHECKOUT}" # v4`,
            "        with:",
            "          fetch-depth: 0",
            "      - uses: octo/retired-action@v2",
            "      - run: npm run lint",
            "",
          ].join("\n"),
        },
      ],
    });
    const pull = calls.get(`POST ${repoPath}/pulls`) as { title: string; body: string; head: string; draft: boolean };
    expect([pull.title, pull.head, pull.draft]).toEqual(["Ensure actions are pinned to a commit SHA (actions-not-pinned)", "shipshape/actions-not-pinned", false]);
    const golden = join(FIXTURE, "expected", "pr-actions-not-pinned.md");
    // SHIPSHAPE_UPDATE_GOLDENS=1 writes the pull request body of this run; review it before committing.
    if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") writeFileSync(golden, pull.body);
    expect(pull.body).toBe(readFileSync(golden, "utf8"));
    // The action GitHub has no commit for is still reported, and not in the pull request.
    const dashboard = calls.get(`POST ${repoPath}/issues`) as { body: string };
    expect(dashboard.body).toContain('Action octo/retired-action@v2 (job "lint") is not pinned to a full commit SHA: the ref "v2" can be moved');
    expect(pull.body).not.toContain("octo/retired-action");
  });
});
