/**
 * action-pin: a workflow `uses:` is pinned to the commit its ref points at (FixSettings.actionRevisions, which the
 * GitHub App fills in), with the ref kept as a comment. Byte-exact: only the ref and the comment change.
 */
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, type ActionRevisionLookup, type FixSettings } from "../../src/config/types.js";
import { loadRules } from "../../src/rules/load.js";
import { scanAndFix } from "../checklist/scan-and-fix.js";

const FILE = ".github/workflows/ci.yml";
const RULES = activeRules(loadRules(), {}, ["actions-not-pinned"]);
const CHECKOUT = "11bd71901bbe5b1630ceea73d27597364c9af683";
const SETUP_NODE = "39370e3970a6d050c480ffad4ff0ed4d3fdee5af";
const CODEQL = "ff0a06e83cb2de871e5a09832bc6a81e7276941f";
const DEPLOY = "0c45773b623bea8c8e75f6c82b208c3cf94ea4f9";
const CACHE = "5a3ec84eff668545956fd18022155c47e93e2684";

const TABLE: Record<string, ActionRevisionLookup> = {
  "actions/checkout@v4": { ok: true, sha: CHECKOUT },
  "actions/setup-node@main": { ok: true, sha: SETUP_NODE },
  "github/codeql-action@v3": { ok: true, sha: CODEQL },
  "octo/shared@v1.2.0": { ok: true, sha: DEPLOY },
  "actions/cache@v4": { ok: true, sha: CACHE },
};

function settingsWith(table: Record<string, ActionRevisionLookup> | null): FixSettings {
  return table === null ? DEFAULT_FIX_SETTINGS : { ...DEFAULT_FIX_SETTINGS, actionRevisions: table };
}

/** Scans and fixes one workflow with a look-up table (null: none, as in the CLI); `rescan` is what a scan of the fixed workflow finds. */
function pin(text: string, table: Record<string, ActionRevisionLookup> | null = TABLE) {
  const settings = settingsWith(table);
  const { scanned, changeset, after } = scanAndFix({ [FILE]: text }, RULES, settings);
  const fixed = after[FILE];
  const rescan = fixed === undefined ? [] : scanAndFix({ [FILE]: fixed }, RULES, settings).scanned.findings;
  return {
    findings: scanned.findings.map((finding) => [finding.line, finding.fixable, finding.notFixableReason]),
    fixed,
    explanations: changeset.applied.map((fix) => fix.explanation),
    risks: [...new Set(changeset.applied.map((fix) => JSON.stringify([fix.risk, fix.risky])))].map((risk) => JSON.parse(risk) as unknown),
    skipped: changeset.skipped.map((skip) => skip.reason),
    rescan: rescan.map((finding) => [finding.line, finding.message]),
  };
}

describe("action-pin", () => {
  it("pins plain, 'single' and \"double\" quoted steps, a reusable workflow and an action with a path, keeping each quoting and adding the ref as a comment", () => {
    const text = [
      "name: ci",
      "on: [push]",
      "jobs:",
      "  build:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "      - name: Setup node",
      "        uses: 'actions/setup-node@main'",
      '      - uses: "github/codeql-action/init@v3"',
      "        with:",
      "          languages: go",
      "      - run: make",
      "  call:",
      "    uses: octo/shared/.github/workflows/deploy.yml@v1.2.0",
      "",
    ].join("\n");
    const result = pin(text);
    expect(result.findings).toEqual([
      [7, true, undefined],
      [9, true, undefined],
      [10, true, undefined],
      [15, true, undefined],
    ]);
    expect(result.fixed).toBe(
      [
        "name: ci",
        "on: [push]",
        "jobs:",
        "  build:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        `      - uses: actions/checkout@${CHECKOUT} # v4`,
        "      - name: Setup node",
        `        uses: 'actions/setup-node@${SETUP_NODE}' # main`,
        `      - uses: "github/codeql-action/init@${CODEQL}" # v3`,
        "        with:",
        "          languages: go",
        "      - run: make",
        "  call:",
        `    uses: octo/shared/.github/workflows/deploy.yml@${DEPLOY} # v1.2.0`,
        "",
      ].join("\n"),
    );
    expect(result.explanations).toEqual([
      `Pins actions/checkout to ${CHECKOUT}, the commit "v4" pointed at when Shipshape looked, and keeps "v4" as a comment beside it.`,
      `Pins actions/setup-node to ${SETUP_NODE}, the commit "main" pointed at when Shipshape looked, and keeps "main" as a comment beside it.`,
      `Pins github/codeql-action/init to ${CODEQL}, the commit "v3" pointed at when Shipshape looked, and keeps "v3" as a comment beside it.`,
      `Pins octo/shared/.github/workflows/deploy.yml to ${DEPLOY}, the commit "v1.2.0" pointed at when Shipshape looked, and keeps "v1.2.0" as a comment beside it.`,
    ]);
    expect(result.risks).toEqual([
      [
        "Low: the workflow runs the same code as the tag or branch it named does today. From now on a moved tag or branch no longer changes what runs here; Dependabot or Renovate can move the SHA, and the comment beside it, to newer releases.",
        false,
      ],
    ]);
    expect(result.rescan).toEqual([]);
  });

  it("keeps a comment that already names the ref, and writes the ref at the start of any other comment (one comment a line)", () => {
    const text = [
      "on: push",
      "jobs:",
      "  test:",
      "    steps:",
      "      - uses: actions/checkout@v4   # v4",
      "      - uses: actions/cache@v4 #needed for the go cache  ",
      "      - uses: actions/setup-node@main # main until 22 is out",
      "",
    ].join("\n");
    const result = pin(text);
    expect(result.fixed).toBe(
      [
        "on: push",
        "jobs:",
        "  test:",
        "    steps:",
        `      - uses: actions/checkout@${CHECKOUT}   # v4`,
        `      - uses: actions/cache@${CACHE} # v4 - needed for the go cache  `,
        `      - uses: actions/setup-node@${SETUP_NODE} # main until 22 is out`,
        "",
      ].join("\n"),
    );
    expect(result.explanations).toEqual([
      `Pins actions/checkout to ${CHECKOUT}, the commit "v4" pointed at when Shipshape looked, beside the comment that already names "v4".`,
      `Pins actions/cache to ${CACHE}, the commit "v4" pointed at when Shipshape looked, and writes "v4" at the start of the comment beside it.`,
      `Pins actions/setup-node to ${SETUP_NODE}, the commit "main" pointed at when Shipshape looked, beside the comment that already names "main".`,
    ]);
    expect(result.rescan).toEqual([]);
  });

  it("pins a flow mapping that ends on its line with the comment after it, and leaves one that goes on (a comment there would name the wrong ref)", () => {
    const text = [
      "on: push",
      "jobs:",
      "  test:",
      "    steps:",
      "      - {uses: actions/checkout@v4}",
      "      - {name: node, uses: \"actions/setup-node@main\", with: {node-version: 22}}",
      "      - {name: cache, uses: actions/cache@v4 } # cache",
      "",
    ].join("\n");
    const result = pin(text);
    const flow =
      "the uses: value is in a flow mapping ({…}) that goes on after it on its line, where a comment cannot keep the ref: write the step as a block mapping, or pin it by hand";
    expect(result.findings).toEqual([
      [5, true, undefined],
      [6, false, flow],
      [7, true, undefined],
    ]);
    expect(result.fixed).toBe(
      [
        "on: push",
        "jobs:",
        "  test:",
        "    steps:",
        `      - {uses: actions/checkout@${CHECKOUT}} # v4`,
        "      - {name: node, uses: \"actions/setup-node@main\", with: {node-version: 22}}",
        `      - {name: cache, uses: actions/cache@${CACHE} } # v4 - cache`,
        "",
      ].join("\n"),
    );
    expect(result.rescan).toEqual([[6, 'Action actions/setup-node@main (job "test") is not pinned to a full commit SHA: the ref "main" can be moved']]);
  });

  it("keeps CRLF line endings and a missing final newline", () => {
    const text = "on: push\r\njobs:\r\n  test:\r\n    steps:\r\n      - uses: actions/checkout@v4\r\n      - uses: 'actions/cache@v4' # cache\r\n      - uses: actions/setup-node@main";
    expect(pin(text).fixed).toBe(
      `on: push\r\njobs:\r\n  test:\r\n    steps:\r\n      - uses: actions/checkout@${CHECKOUT} # v4\r\n      - uses: 'actions/cache@${CACHE}' # v4 - cache\r\n      - uses: actions/setup-node@${SETUP_NODE} # main`,
    );
  });

  it("pins every use of the same action from one table entry (the key is owner/repo@ref, whatever the case and path)", () => {
    const text = [
      "on: push",
      "jobs:",
      "  a:",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "  b:",
      "    steps:",
      "      - uses: Actions/Checkout@v4",
      "      - uses: github/codeql-action/init@v3",
      "      - uses: github/codeql-action/analyze@v3",
      "",
    ].join("\n");
    const table = { "actions/checkout@v4": TABLE["actions/checkout@v4"] as ActionRevisionLookup, "github/codeql-action@v3": TABLE["github/codeql-action@v3"] as ActionRevisionLookup };
    const result = pin(text, table);
    expect(result.fixed).toBe(
      [
        "on: push",
        "jobs:",
        "  a:",
        "    steps:",
        `      - uses: actions/checkout@${CHECKOUT} # v4`,
        "  b:",
        "    steps:",
        `      - uses: Actions/Checkout@${CHECKOUT} # v4`,
        `      - uses: github/codeql-action/init@${CODEQL} # v3`,
        `      - uses: github/codeql-action/analyze@${CODEQL} # v3`,
        "",
      ].join("\n"),
    );
    expect(result.rescan).toEqual([]);
  });

  it("is not fixable without a look-up: in the CLI (no table), for a ref not looked up, and for a failed look-up, each with its reason", () => {
    const text = ["on: push", "jobs:", "  test:", "    steps:", "      - uses: actions/checkout@v4", "      - uses: actions/setup-node@v4", "      - uses: octo/gone/sub@v9", ""].join("\n");
    expect(pin(text, null)).toMatchObject({
      findings: [
        [5, false, 'the CLI reports this; the GitHub App pins it to the commit "v4" of actions/checkout points at'],
        [6, false, 'the CLI reports this; the GitHub App pins it to the commit "v4" of actions/setup-node points at'],
        [7, false, 'the CLI reports this; the GitHub App pins it to the commit "v9" of octo/gone points at'],
      ],
      fixed: undefined,
    });
    const failed = 'GitHub has no commit "v9" of octo/gone that this installation can read (HTTP 404)';
    const result = pin(text, { "actions/checkout@v4": { ok: true, sha: CHECKOUT }, "octo/gone@v9": { ok: false, reason: failed } });
    expect(result.findings).toEqual([
      [5, true, undefined],
      [6, false, 'the commit "v4" of actions/setup-node points at was not looked up'],
      [7, false, failed],
    ]);
    expect(result.fixed).toBe(["on: push", "jobs:", "  test:", "    steps:", `      - uses: actions/checkout@${CHECKOUT} # v4`, "      - uses: actions/setup-node@v4", "      - uses: octo/gone/sub@v9", ""].join("\n"));
    expect(result.skipped).toEqual(['the commit "v4" of actions/setup-node points at was not looked up', failed]);
  });

  it("says why a uses: with no ref, a short SHA or no repository is not pinned, even with a table", () => {
    const text = ["on: push", "jobs:", "  test:", "    steps:", "      - uses: octo/no-ref", "      - uses: github/codeql-action/init@8fcfedf", "      - uses: lonely@v1", ""].join("\n");
    expect(pin(text).findings).toEqual([
      [5, false, "octo/no-ref names no ref to pin: write the release you mean (@v1), which the GitHub App can then pin"],
      [6, false, '"8fcfedf" is a short SHA: write the full 40-character commit SHA it stands for'],
      [7, false, "lonely@v1 does not name a GitHub repository (owner/repo@ref)"],
    ]);
  });

  it("leaves a value written with escapes, and one an alias reuses, for people to pin", () => {
    const text = ["on: push", "jobs:", "  test:", "    steps:", '      - uses: "actions/checkout\\x40v4"', "      - uses: &cache actions/cache@v4", "      - uses: *cache", ""].join("\n");
    const findings = pin(text).findings;
    expect(findings[0]).toEqual([5, false, "the uses: value is written with escapes or over several lines: pin it by hand"]);
    expect(findings.slice(1).map(([, fixable, reason]) => [fixable, reason])).toEqual([
      [false, "the uses: value is part of an anchor (&cache) that aliases reuse: pin it by hand"],
      [false, "the uses: value is part of an anchor (&cache) that aliases reuse: pin it by hand"],
    ]);
  });
});
