import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import type { DashboardIgnore } from "../../src/github/dashboard-state.js";
import { applyDashboardIgnores, countIgnored, rulesNamedBy } from "../../src/github/ignored-rules.js";
import { runRules, scanDirectory } from "../../src/scan/scan.js";
import { catalog, tempTree, yaml } from "../rules/helpers.js";

const workload = (name: string) =>
  yaml("apiVersion: apps/v1", "kind: Deployment", `metadata: {name: ${name}}`, "spec:", "  template:", "    spec:", "      containers: [{name: app, image: app:1.0}]");

const root = tempTree({
  "apps/web.yaml": workload("web"),
  "apps/legacy/old.yaml": workload("old"),
  "apps/legacy-notes/keep.yaml": workload("keep"),
  "system/.hidden/dns.yaml": workload("dns"),
});

const RULES = ["liveness-probe-missing", "memory-limit-missing"] as const;
const configRules = () => activeRules(catalog, { rules: { "memory-limit-missing": { exclude: [{ name: "dns" }] } } }, [...RULES]);
/** What a scan finds with the ignores applied, as "rule file". */
function scanWith(ignores: DashboardIgnore[]): string[] {
  return scanDirectory({ root, rules: applyDashboardIgnores(configRules(), ignores) }).findings.map((finding) => `${finding.rule} ${finding.file}`);
}

const ALL = [
  "liveness-probe-missing apps/legacy-notes/keep.yaml",
  "memory-limit-missing apps/legacy-notes/keep.yaml",
  "liveness-probe-missing apps/legacy/old.yaml",
  "memory-limit-missing apps/legacy/old.yaml",
  "liveness-probe-missing apps/web.yaml",
  "memory-limit-missing apps/web.yaml",
  "liveness-probe-missing system/.hidden/dns.yaml",
];

describe("the dashboard's ignores, applied to a scan", () => {
  it("change nothing when there are none, or when they name rules that do not run", () => {
    expect(scanWith([])).toEqual(ALL);
    expect(scanWith([{ rule: "image-tag-mutable", by: "octocat" }, { rule: "no-such-rule", path: "apps", by: "octocat" }])).toEqual(ALL);
  });

  it("turn a rule off when they give no path", () => {
    expect(scanWith([{ rule: "liveness-probe-missing", by: "octocat" }])).toEqual(ALL.filter((row) => !row.startsWith("liveness-probe-missing")));
    expect(rulesNamedBy(applyDashboardIgnores(configRules(), [{ rule: "liveness-probe-missing", by: "octocat" }]), [{ rule: "liveness-probe-missing", by: "octocat" }])).toEqual([]);
  });

  it("leave out the files under a folder or matching a glob, for their rule only, on top of the config's exclusions", () => {
    expect(scanWith([{ rule: "memory-limit-missing", path: "apps/legacy", by: "octocat" }])).toEqual(ALL.filter((row) => row !== "memory-limit-missing apps/legacy/old.yaml"));
    expect(scanWith([{ rule: "liveness-probe-missing", path: "**/*.yaml", by: "octocat" }])).toEqual(ALL.filter((row) => !row.startsWith("liveness-probe-missing")));
    expect(scanWith([{ rule: "liveness-probe-missing", path: "system", by: "octocat" }])).toEqual(ALL.filter((row) => row !== "liveness-probe-missing system/.hidden/dns.yaml"));
  });

  it("are counted by what they hide, from the rules they name run again without them", () => {
    const ignores: DashboardIgnore[] = [
      { rule: "liveness-probe-missing", path: "apps/legacy", by: "octocat" },
      { rule: "liveness-probe-missing", path: "apps/**", by: "hubot" },
      { rule: "memory-limit-missing", by: "octocat" },
      { rule: "memory-limit-missing", path: "system", by: "octocat" },
      { rule: "image-tag-mutable", by: "octocat" },
    ];
    const scanned = scanDirectory({ root, rules: applyDashboardIgnores(configRules(), ignores) });
    expect(scanned.findings.map((finding) => `${finding.rule} ${finding.file}`)).toEqual(["liveness-probe-missing system/.hidden/dns.yaml"]);

    const hidden = runRules(scanned.workspace, rulesNamedBy(configRules(), ignores));
    // The config already excludes dns from memory-limit-missing: the ignore of `system` hides nothing more.
    expect(countIgnored(hidden, ignores)).toEqual([1, 3, 3, 0, 0]);
  });
});
