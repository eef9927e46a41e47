import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, runCli, runCliAsync, scanJson, tempDir, type JsonReport } from "./helpers.js";

const REPO = fixture("repo"); // 3 high, 14 medium (three in the Helm chart's values.yaml), 1 low
const MEDIUM = fixture("medium"); // 7 medium
const CONFIGURED = fixture("configured"); // 6 medium, 1 low (its .shipshape.yml lowers image-digest-missing)
const CLEAN = fixture("clean");

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("exit code 0 or 1: findings against --fail-on", () => {
  it.concurrent.for([
    // [case, exit code, critical/high/medium/low counts, DIR, extra args]
    ["clean", 0, "0/0/0/0", CLEAN, []],
    ["high findings, default fail-on high", 1, "0/3/14/1", REPO, []],
    ["high findings, --fail-on high", 1, "0/3/14/1", REPO, ["--fail-on", "high"]],
    ["high findings, --fail-on critical", 0, "0/3/14/1", REPO, ["--fail-on", "critical"]],
    ["high findings, --fail-on none", 0, "0/3/14/1", REPO, ["--fail-on", "none"]],
    ["medium only, default fail-on", 0, "0/0/7/0", MEDIUM, []],
    ["medium only, --fail-on medium", 1, "0/0/7/0", MEDIUM, ["--fail-on", "medium"]],
    ["medium only, --fail-on low", 1, "0/0/7/0", MEDIUM, ["--fail-on", "low"]],
    ["medium and low, --fail-on low", 1, "0/0/6/1", CONFIGURED, ["--fail-on", "low"]],
    ["medium and low, --fail-on medium", 1, "0/0/6/1", CONFIGURED, ["--fail-on", "medium"]],
    ["low only, --fail-on low", 1, "0/0/0/1", CONFIGURED, ["--fail-on", "low", "--rule", "image-digest-missing"]],
    ["low only, --fail-on medium", 0, "0/0/0/1", CONFIGURED, ["--fail-on", "medium", "--rule", "image-digest-missing"]],
    ["clean, --fail-on low", 0, "0/0/0/0", CLEAN, ["--fail-on", "low"]],
  ] as const)("%s → %i", async ([, code, counts, dir, args], { expect }) => {
    const { status, stdout, stderr } = await runCliAsync(["scan", dir, ...args, "--format", "json"]);
    const report = JSON.parse(stdout) as JsonReport;
    expect(stderr).toBe("");
    const { critical, high, medium, low } = report.summary.bySeverity;
    expect(`${critical}/${high}/${medium}/${low}`).toBe(counts);
    expect(status).toBe(code);
    const failOnIndex = args.indexOf("--fail-on" as never);
    expect(report.summary.failOn).toBe(failOnIndex >= 0 ? args[failOnIndex + 1] : "high");
    expect(report.summary.failed).toBe(code === 1);
  });

  it("--fail-on none passes even though there are findings", () => {
    const { status, report } = scanJson([REPO, "--fail-on", "none"]);
    expect(status).toBe(0);
    expect(report.summary).toEqual({
      files: 6,
      resources: 5,
      findings: 18,
      bySeverity: { critical: 0, high: 3, medium: 14, low: 1 },
      // Two liveness probes, one allowPrivilegeEscalation, the three images a pin can fix, three capability drops and
      // three seccomp profiles (one each in values.yaml), a NetworkPolicy, a PodDisruptionBudget and topology spread;
      // not the parse error nor the two read-only root filesystems.
      fixable: 15,
      failOn: "none",
      failed: false,
    });
  });

  it("the exit code does not depend on the format", () => {
    for (const format of ["text", "json", "sarif"]) {
      expect([format, runCli(["scan", REPO, "--format", format]).status]).toEqual([format, 1]);
      expect([format, runCli(["scan", MEDIUM, "--format", format]).status]).toEqual([format, 0]);
    }
  });
});

describe("exit code 2: the command is wrong, nothing is scanned", () => {
  /** Runs, expects exit 2 and no report, and returns stderr. */
  function usageError(args: readonly string[], cwd?: string): string {
    const result = runCli(args, cwd === undefined ? {} : { cwd });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(2);
    return result.stderr;
  }

  it("an unknown option", () => {
    expect(usageError(["scan", REPO, "--bogus"])).toBe("error: unknown option '--bogus'\n(run with --help for usage)\n");
  });

  it("an unknown command", () => {
    expect(usageError(["scna", REPO])).toMatch(/^error: unknown command 'scna'/);
  });

  it("an invalid --format", () => {
    expect(usageError(["scan", REPO, "--format", "xml"])).toBe(
      "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif.\n(run with --help for usage)\n",
    );
  });

  it("an invalid --fail-on", () => {
    expect(usageError(["scan", REPO, "--fail-on", "severe"])).toBe(
      "error: option '--fail-on <severity>' argument 'severe' is invalid. Allowed choices are critical, high, medium, low, none.\n(run with --help for usage)\n",
    );
  });

  it("a DIR that does not exist, or is a file", () => {
    expect(usageError(["scan", "no/such/dir"], fixture())).toBe("shipshape: no/such/dir: no such directory\n");
    expect(usageError(["scan", "clean/api.yaml"], fixture())).toBe("shipshape: clean/api.yaml: no such directory\n");
  });

  it("an invalid --config file names the bad key", () => {
    expect(usageError(["scan", "repo", "--config", "configs/bad-severity.yml"], fixture())).toBe(
      "shipshape: configs/bad-severity.yml: invalid configuration\n  - rules.image-tag-mutable.severity: must be one of critical, high, medium, low\n",
    );
  });

  it("an invalid .shipshape.yml in DIR names the file and each bad key", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, ".shipshape.yml"), "rules:\n  image-tag-mutable:\n    severity: urgent\nlimits:\n  maxDepth: 5\n");
    expect(usageError(["scan", dir])).toBe(
      [
        "shipshape: .shipshape.yml: invalid configuration",
        "  - rules.image-tag-mutable.severity: must be one of critical, high, medium, low",
        "  - limits.maxDepth: must be >= 10",
        "",
      ].join("\n"),
    );
  });

  // Guards a fixed bug: src/config/load.ts mostSpecific() drops every error whose instancePath is a prefix of another's;
  // a top-level error (instancePath "") is therefore hidden as soon as any other key is also wrong.
  it("an unknown top-level key is reported next to a bad rule setting", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, ".shipshape.yml"), "rules:\n  image-tag-mutable:\n    severity: urgent\nignorePath: [docs]\n");
    const stderr = usageError(["scan", dir]);
    expect(stderr).toContain("  - rules.image-tag-mutable.severity: must be one of critical, high, medium, low\n");
    expect(stderr).toContain("  - ignorePath: unknown key\n");
  });

  it("a config file that is not YAML", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github", "shipshape.yml"), "rules: [unclosed\n");
    expect(usageError(["scan", dir])).toMatch(/^shipshape: \.github\/shipshape\.yml: not valid YAML: .+\n$/);
  });

  it("a config that names an unknown rule", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, ".shipshape.yml"), "rules:\n  liveness-probe: off\n");
    expect(usageError(["scan", dir])).toBe('shipshape: rules.liveness-probe: unknown rule "liveness-probe" (run `shipshape rules` to list them)\n');
  });

  it("--config pointing to a missing file", () => {
    expect(usageError(["scan", "repo", "--config", "configs/missing.yml"], fixture())).toBe("shipshape: configs/missing.yml: cannot be read (ENOENT)\n");
  });

  it("--rule with an unknown rule id", () => {
    expect(usageError(["scan", REPO, "--rule", "no-such-rule"])).toBe(
      'shipshape: --rule no-such-rule: unknown rule "no-such-rule" (run `shipshape rules` to list them)\n',
    );
  });

  it("`explain` with an unknown rule id", () => {
    expect(usageError(["explain", "no-such-rule"])).toBe('shipshape: unknown rule "no-such-rule" (run `shipshape rules` to list them)\n');
  });

  it("`explain` with no rule id", () => {
    expect(usageError(["explain"])).toMatch(/^error: missing required argument 'rule'/);
  });
});
