import { describe, expect, it } from "vitest";
import { checkVerdict, configErrorVerdict, MAX_SUMMARY_ROWS, scanErrorVerdict, type CheckSummaryInput } from "../../src/github/check-summary.js";
import { diffFindings } from "../../src/github/finding-diff.js";
import type { Severity } from "../../src/rules/types.js";
import type { Finding } from "../../src/scan/finding.js";

function finding(line: number, severity: Severity, fingerprint = `fp-${line}`, fields: Partial<Finding> = {}): Finding {
  return {
    rule: "some-rule",
    severity,
    file: "apps/web/deployment.yaml",
    line,
    column: 11,
    message: `finding on line ${line}`,
    resource: { kind: "Deployment", name: "web", namespace: undefined },
    container: "web",
    fixable: false,
    fingerprint,
    ...fields,
  };
}

const HEAD = "1".repeat(40);
const BASE = "2".repeat(40);

function input(base: Finding[], head: Finding[], failOn: CheckSummaryInput["failOn"] = "high"): CheckSummaryInput {
  return { diff: diffFindings(base, head), failOn, repository: { owner: "acme", repo: "gitops" }, headSha: HEAD, mergeBaseSha: BASE, baseRef: "main", configSha: BASE };
}

describe("telling new findings from old ones", () => {
  it("matches by fingerprint, whatever the line, and counts duplicates", () => {
    const base = [finding(10, "high", "a"), finding(20, "medium", "b"), finding(30, "low", "b"), finding(40, "low", "gone")];
    const head = [finding(12, "high", "a"), finding(22, "medium", "b"), finding(32, "low", "b"), finding(42, "low", "b"), finding(50, "high", "new")];
    const diff = diffFindings(base, head);
    expect(diff.existing.map((item) => item.line)).toEqual([12, 22, 32]);
    expect(diff.added.map((item) => item.line)).toEqual([42, 50]);
    expect(diff.resolved).toBe(1);
  });
});

describe("the check's verdict", () => {
  it("fails when a new finding is at or above the threshold", () => {
    const verdict = checkVerdict(input([], [finding(1, "medium"), finding(2, "high")]));
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.title).toBe("2 new findings: 1 high, 1 medium");
    expect(verdict.summary.split("\n")[0]).toBe("This pull request adds 2 findings; 1 of them is at or above **high**, so the check fails.");
  });

  it("is neutral when the new findings are all below the threshold", () => {
    const verdict = checkVerdict(input([], [finding(1, "high")], "critical"));
    expect(verdict).toMatchObject({ conclusion: "neutral", title: "1 new finding: 1 high" });
    expect(verdict.summary.split("\n")[0]).toBe("This pull request adds 1 finding, none at or above **critical**.");
  });

  it("never fails with failOn: none, and fails on anything with failOn: low", () => {
    const head = [finding(1, "critical"), finding(2, "low")];
    const never = checkVerdict(input([], head, "none"));
    expect(never.conclusion).toBe("neutral");
    expect(never.summary).toContain("This pull request adds 2 findings. The check never fails (`checks.failOn: none`).");
    expect(never.summary).toContain("- **Fails on:** never (`checks.failOn: none`)");
    expect(checkVerdict(input([], [finding(2, "low")], "low")).conclusion).toBe("failure");
  });

  it("succeeds when every finding was there before, and says how many were left out and fixed", () => {
    const verdict = checkVerdict(input([finding(1, "critical", "a"), finding(2, "high", "b")], [finding(5, "critical", "a")]));
    expect(verdict).toEqual({
      conclusion: "success",
      title: "No new findings",
      summary: [
        "This pull request adds no findings.",
        "",
        "- **Already there before this pull request, left out:** 1",
        "- **Fixed by this pull request:** 1",
        "- **Fails on:** new findings at or above **high** (`checks.failOn`)",
        "- **Compared:** head `1111111` with `2222222`, where it branches off `main`; configuration from `main` at `2222222`",
      ].join("\n"),
    });
  });

  it("lists the 20 most severe new findings, linked to the head commit, and counts the rest", () => {
    const head = Array.from({ length: 25 }, (_, index) => finding(index + 1, index === 24 ? "critical" : "low"));
    const rows = checkVerdict(input([], head, "none")).summary.split("\n").filter((line) => line.startsWith("| ["));
    expect(rows).toHaveLength(MAX_SUMMARY_ROWS);
    expect(rows[0]).toBe("| [apps/web/deployment.yaml:25](https://github.com/acme/gitops/blob/1111111111111111111111111111111111111111/apps/web/deployment.yaml#L25) | critical | `some-rule` | Deployment web | finding on line 25 |");
    expect(rows[1]).toContain("deployment.yaml:1]");
    expect(checkVerdict(input([], head, "none")).summary).toContain("| … | | | | 5 more, in the annotations |");
  });

  it("keeps Markdown in messages and paths from breaking the table or its links", () => {
    const odd = finding(3, "high", "odd", { file: "apps/we b (1)/d|x.yaml", message: "has `a|b` and <script>" });
    const row = checkVerdict(input([], [odd])).summary.split("\n").find((line) => line.startsWith("| ["));
    expect(row).toBe("| [apps/we b (1)/d\\|x.yaml:3](https://github.com/acme/gitops/blob/1111111111111111111111111111111111111111/apps/we%20b%20%281%29/d%7Cx.yaml#L3) | high | `some-rule` | Deployment web | has \\`a\\|b\\` and \\<script\\> |");
  });

  it("is the same text every time for the same findings, in whatever order they come", () => {
    const head = [finding(3, "high"), finding(1, "medium"), finding(2, "low")];
    expect(checkVerdict(input([], [...head].reverse()))).toEqual(checkVerdict(input([], head)));
  });
});

describe("checks that judged nothing", () => {
  it("says the base branch's config is invalid, in a fence its text cannot close", () => {
    expect(configErrorVerdict({ message: ".github/shipshape.yml: bad ``` here", baseRef: "main", baseSha: BASE })).toEqual({
      conclusion: "neutral",
      title: "Not checked: the Shipshape configuration is invalid",
      summary: [
        "The Shipshape configuration on `main` (at `2222222`) is not valid, so this pull request was not checked. The check reads its configuration from the base branch, so that a pull request cannot change how it is checked.",
        "",
        "````",
        ".github/shipshape.yml: bad ``` here",
        "````",
        "",
        "Fix `.github/shipshape.yml` on `main`, then re-run this check.",
      ].join("\n"),
    });
  });

  it("gives the reason a scan could not be made", () => {
    expect(scanErrorVerdict("the tarball is 120 MiB, over the limit of 100 MiB for a downloaded repository; it was not read.")).toEqual({
      conclusion: "neutral",
      title: "Not checked: the tarball is 120 MiB, over the limit of 100 MiB for a downloaded repository; it was not read",
      summary: "Shipshape could not check this pull request: the tarball is 120 MiB, over the limit of 100 MiB for a downloaded repository; it was not read.\n\nNo finding was judged. Re-run this check to try again.",
    });
  });
});
