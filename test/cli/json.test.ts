import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture, runCli, runCliCached, scanJson, tempDir, type JsonFinding } from "./helpers.js";

const REPO = fixture("repo");
const WEB = { kind: "Deployment", name: "web", namespace: null };
const DEMO = { kind: "Deployment", name: "demo", namespace: null };

/** What `scan test/fixtures/cli/repo --format json` must report, in order. */
const REPO_FINDINGS: JsonFinding[] = [
  {
    rule: "parse-error",
    severity: "high",
    file: "apps/broken.yaml",
    line: 7,
    column: 3,
    message: "YAML syntax error: deficient indentation",
    resource: null,
    fixable: false,
  },
  // The web Deployment sets no namespace, and no NetworkPolicy is written for "(no namespace)" (clean.yaml's is in shop):
  // reported once, at the namespace's first workload.
  {
    rule: "network-policy-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 1,
    column: 1,
    message: 'the namespace of the objects without metadata.namespace (Deployment "web") has no NetworkPolicy: its pods accept traffic from every pod in the cluster',
    resource: WEB,
    fixable: true,
  },
  // Two replicas, and clean.yaml's PodDisruptionBudget selects only app: api in shop.
  {
    rule: "pdb-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 4,
    column: 9,
    message: 'Deployment "web" runs 2 replicas and no PodDisruptionBudget selects its pods: a node drain or cluster upgrade may evict them all at once',
    resource: WEB,
    fixable: true,
  },
  {
    rule: "topology-spread-missing",
    severity: "low",
    file: "apps/web/deployment.yaml",
    line: 14,
    column: 5,
    message: 'Deployment "web" runs 2 replicas with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node',
    resource: WEB,
    fixable: true,
  },
  {
    rule: "liveness-probe-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 18,
    column: 11,
    message: 'container "app" has no livenessProbe',
    resource: WEB,
    container: "app",
    fixable: true,
  },
  {
    rule: "image-digest-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 19,
    column: 18,
    message: 'container "app" image "registry.example.com/shop/web:1.4.2" is not pinned by digest',
    resource: WEB,
    container: "app",
    fixable: true,
  },
  {
    rule: "capabilities-not-dropped",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 25,
    column: 11,
    message: 'container "app" does not drop all capabilities: securityContext.capabilities.drop does not include ALL',
    resource: WEB,
    container: "app",
    fixable: true,
  },
  // read-only-root-filesystem-missing has no fix: an application that writes to its filesystem would crash.
  {
    rule: "read-only-root-filesystem-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 25,
    column: 11,
    message: 'container "app" does not set readOnlyRootFilesystem: true, so its root filesystem is writable',
    resource: WEB,
    container: "app",
    fixable: false,
  },
  {
    rule: "seccomp-profile-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 25,
    column: 11,
    message: 'container "app" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost',
    resource: WEB,
    container: "app",
    fixable: true,
  },
  {
    rule: "capabilities-not-dropped",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 27,
    column: 11,
    message: 'container "proxy" does not drop all capabilities: securityContext.capabilities.drop does not include ALL',
    resource: WEB,
    container: "proxy",
    fixable: true,
  },
  {
    rule: "liveness-probe-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 27,
    column: 11,
    message: 'container "proxy" has no livenessProbe',
    resource: WEB,
    container: "proxy",
    fixable: true,
  },
  {
    rule: "privilege-escalation-allowed",
    severity: "high",
    file: "apps/web/deployment.yaml",
    line: 27,
    column: 11,
    message: 'container "proxy" does not set allowPrivilegeEscalation: false',
    resource: WEB,
    container: "proxy",
    fixable: true,
  },
  {
    rule: "read-only-root-filesystem-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 27,
    column: 11,
    message: 'container "proxy" does not set readOnlyRootFilesystem: true, so its root filesystem is writable',
    resource: WEB,
    container: "proxy",
    fixable: false,
  },
  {
    rule: "seccomp-profile-missing",
    severity: "medium",
    file: "apps/web/deployment.yaml",
    line: 27,
    column: 11,
    message: 'container "proxy" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost',
    resource: WEB,
    container: "proxy",
    fixable: true,
  },
  {
    rule: "image-tag-mutable",
    severity: "high",
    file: "apps/web/deployment.yaml",
    line: 28,
    column: 18,
    message: 'container "proxy" image "envoyproxy/envoy:latest" uses the mutable tag :latest and no digest',
    resource: WEB,
    container: "proxy",
    fixable: true,
  },
  // charts/demo/values.yaml line 3 is `  tag: "1.0.0"`: the finding points at the tag's content, inside the quotes.
  // The image findings are fixable: each has a place for the digest (image-pin looks it up when fixing).
  {
    rule: "image-digest-missing",
    severity: "medium",
    file: "charts/demo/values.yaml",
    line: 3,
    column: 9,
    message: 'Helm values image "registry.example.com/shop/demo:1.0.0" is not pinned by digest',
    resource: null,
    fixable: true,
  },
  // The chart's container takes its securityContext from .Values.securityContext (line 4): reported at that value (5:3),
  // where the fix writes. The values set readOnlyRootFilesystem: true, so that rule has nothing to say here.
  {
    rule: "capabilities-not-dropped",
    severity: "medium",
    file: "charts/demo/values.yaml",
    line: 5,
    column: 3,
    message: 'container "demo" does not drop all capabilities: securityContext.capabilities.drop does not include ALL in Deployment templates/deployment.yaml, which takes it from .Values.securityContext',
    resource: DEMO,
    container: "demo",
    fixable: true,
  },
  {
    rule: "seccomp-profile-missing",
    severity: "medium",
    file: "charts/demo/values.yaml",
    line: 5,
    column: 3,
    message: 'container "demo" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost in Deployment templates/deployment.yaml, which takes it from .Values.securityContext',
    resource: DEMO,
    container: "demo",
    fixable: true,
  },
];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("scan --format json", () => {
  it("reports the fixture repo exactly: version, sorted findings, summary", () => {
    const result = runCliCached(["scan", REPO, "--format", "json"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as unknown;
    expect(report).toEqual({
      version: 1,
      findings: REPO_FINDINGS,
      summary: {
        files: 6,
        // The web Deployment, and clean.yaml's Deployment, Service, PodDisruptionBudget and NetworkPolicy (chart templates are not resources).
        resources: 5,
        findings: 18,
        bySeverity: { critical: 0, high: 3, medium: 14, low: 1 },
        // All but the parse error and the two read-only-root-filesystem-missing.
        fixable: 15,
        failOn: "high",
        failed: true,
      },
    });
    // Pretty-printed with two spaces and a final newline.
    expect(result.stdout).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it("gives each finding exactly the documented keys, in order", () => {
    const { report } = scanJson([REPO], {}, true);
    expect(Object.keys(report)).toEqual(["version", "findings", "summary"]);
    expect(Object.keys(report.summary)).toEqual(["files", "resources", "findings", "bySeverity", "fixable", "failOn", "failed"]);
    expect(Object.keys(report.summary.bySeverity)).toEqual(["critical", "high", "medium", "low"]);
    const keys = report.findings.map((finding) => Object.keys(finding));
    const base = ["rule", "severity", "file", "line", "column", "message", "resource"];
    // parse-error, the three workload findings and the Helm values image belong to no container;
    // the eleven pod-spec findings and the two about the chart's container do.
    expect(keys).toEqual([
      [...base, "fixable"],
      ...Array.from({ length: 3 }, () => [...base, "fixable"]),
      ...Array.from({ length: 11 }, () => [...base, "container", "fixable"]),
      [...base, "fixable"],
      ...Array.from({ length: 2 }, () => [...base, "container", "fixable"]),
    ]);
    expect(report.findings.filter((f) => f.resource !== null).map((f) => Object.keys(f.resource!))).toEqual(
      Array.from({ length: 16 }, () => ["kind", "name", "namespace"]),
    );
  });

  it("sorts findings by file, then line, then rule", () => {
    const { report } = scanJson([REPO], {}, true);
    const order = report.findings.map((f) => `${f.file}:${f.line}:${f.rule}`);
    const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const sorted = [...order].sort((a, b) => {
      const [fa, la, ra] = a.split(":") as [string, string, string];
      const [fb, lb, rb] = b.split(":") as [string, string, string];
      return cmp(fa, fb) || Number(la) - Number(lb) || cmp(ra, rb);
    });
    expect(order).toEqual(sorted);
    // Rules on the same line come out in rule order.
    expect(order.filter((key) => key.startsWith("apps/web/deployment.yaml:27:"))).toEqual([
      "apps/web/deployment.yaml:27:capabilities-not-dropped",
      "apps/web/deployment.yaml:27:liveness-probe-missing",
      "apps/web/deployment.yaml:27:privilege-escalation-allowed",
      "apps/web/deployment.yaml:27:read-only-root-filesystem-missing",
      "apps/web/deployment.yaml:27:seccomp-profile-missing",
    ]);
  });

  it("reports paths relative to DIR with `/`, whatever the working directory", () => {
    const fromInside = scanJson(["."], { cwd: REPO });
    const fromOutside = scanJson([REPO], { cwd: "/" });
    expect(fromInside.report.findings).toEqual(REPO_FINDINGS);
    expect(fromOutside.report.findings).toEqual(REPO_FINDINGS);
  });

  it("reads Helm templates as templates, not YAML, and counts them as files", () => {
    const { report } = scanJson([REPO], {}, true);
    // No parse error in them; the chart's container has its probes, securityContext and resources (test/helm has the rest).
    expect(report.findings.filter((f) => f.file.startsWith("charts/demo/templates/"))).toEqual([]);
    // The chart's findings are all in its values.yaml: the image, and the securityContext the template takes from it.
    expect(report.findings.filter((f) => f.file.startsWith("charts/"))).toEqual(REPO_FINDINGS.filter((f) => f.file === "charts/demo/values.yaml"));
    expect(report.findings.filter((f) => f.file.startsWith("charts/")).map((f) => f.rule)).toEqual([
      "image-digest-missing",
      "capabilities-not-dropped",
      "seccomp-profile-missing",
    ]);
    expect(report.summary.files).toBe(6);
  });

  // Guards a fixed bug: a chart container's finding was kept only when the rule's fix or its `fields` named the field
  // it is about, so container rules with no fix (read-only-root-filesystem-missing, privileged-container) were dropped
  // when the securityContext came from values. (The repo fixture's values.yaml sets readOnlyRootFilesystem: true, so
  // the exact reports above do not depend on this.)
  it("judges every container rule on a chart container whose securityContext comes from values", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    cpSync(fixture("repo", "charts"), join(dir, "charts"), { recursive: true });
    writeFileSync(
      join(dir, "charts", "demo", "values.yaml"),
      readFileSync(fixture("repo", "charts", "demo", "values.yaml"), "utf8").replace("  readOnlyRootFilesystem: true\n", "  privileged: true\n"),
    );
    const { report } = scanJson([dir, "--rule", "read-only-root-filesystem-missing", "--rule", "privileged-container"]);
    expect(report.findings.map((f) => `${f.file} ${f.rule} ${f.container ?? "-"}`)).toEqual([
      "charts/demo/values.yaml privileged-container demo",
      "charts/demo/values.yaml read-only-root-filesystem-missing demo",
    ]);
  });
});

describe("scan --output", () => {
  it("writes the JSON report to the file, not stdout, with the same content", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const expected = runCliCached(["scan", REPO, "--format", "json"]).stdout;
    const result = runCli(["scan", REPO, "--format", "json", "--output", "report.json"], { cwd: dir });
    expect(result).toEqual({ status: 1, stdout: "", stderr: "" });
    expect(readFileSync(join(dir, "report.json"), "utf8")).toBe(expected);
    // Written atomically: no temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });

  it("replaces an existing file and also works for SARIF and text", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    for (const format of ["sarif", "text"]) {
      const file = join(dir, `report.${format}`);
      writeFileSync(file, "old content that is much longer than nothing\n".repeat(500));
      const expected = runCli(["scan", REPO, "--format", format]).stdout;
      const result = runCli(["scan", REPO, "--format", format, "--output", file]);
      expect(result).toEqual({ status: 1, stdout: "", stderr: "" });
      expect(readFileSync(file, "utf8")).toBe(expected);
    }
  });

  // Guards a fixed bug: an unwritable --output crashes with a stack trace and exit code 1, which CI reads as "findings".
  it("exits 2 with a one-line message when the output file cannot be written", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const result = runCli(["scan", REPO, "--format", "json", "--output", join(dir, "missing", "report.json")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^shipshape: .*report\.json.*\n$/);
  });
});

describe("rule selection and configuration", () => {
  it("--rule (repeatable) keeps only the named rules", () => {
    const { status, report } = scanJson([REPO, "--rule", "image-tag-mutable", "--rule", "parse-error"]);
    expect(status).toBe(1);
    expect(report.findings).toEqual(REPO_FINDINGS.filter((f) => f.rule === "parse-error" || f.rule === "image-tag-mutable"));
    expect(report.summary).toEqual({
      files: 6,
      resources: 5,
      findings: 2,
      bySeverity: { critical: 0, high: 2, medium: 0, low: 0 },
      // The mutable tag can be pinned; the parse error cannot be fixed.
      fixable: 1,
      failOn: "high",
      failed: true,
    });
  });

  it("a single --rule with only medium findings passes the default fail-on", () => {
    const { status, report } = scanJson([REPO, "--rule", "liveness-probe-missing"]);
    expect(status).toBe(0);
    expect(report.findings).toEqual(REPO_FINDINGS.filter((f) => f.rule === "liveness-probe-missing"));
  });

  const WORKER = { kind: "Deployment", name: "worker", namespace: "jobs" };
  const digest = (severity: string): JsonFinding => ({
    rule: "image-digest-missing",
    severity,
    file: "worker.yaml",
    line: 19,
    column: 18,
    message: 'container "worker" image "registry.example.com/jobs/worker:3.1.0" is not pinned by digest',
    resource: WORKER,
    container: "worker",
    fixable: true,
  });
  const liveness: JsonFinding = {
    rule: "liveness-probe-missing",
    severity: "medium",
    file: "worker.yaml",
    line: 18,
    column: 11,
    message: 'container "worker" has no livenessProbe',
    resource: WORKER,
    container: "worker",
    fixable: true,
  };
  const memory: JsonFinding = {
    rule: "memory-limit-missing",
    severity: "medium",
    file: "worker.yaml",
    line: 22,
    column: 11,
    message: 'container "worker" has no resources.limits.memory',
    resource: WORKER,
    container: "worker",
    fixable: true,
  };
  /** What no config here changes: the worker's namespace, replica count and securityContext (line 24). */
  const workload: JsonFinding[] = [
    {
      rule: "network-policy-missing",
      severity: "medium",
      file: "worker.yaml",
      line: 1,
      column: 1,
      message: 'namespace "jobs" (Deployment "worker") has no NetworkPolicy: its pods accept traffic from every pod in the cluster',
      resource: WORKER,
      fixable: true,
    },
    {
      rule: "replicas-too-low",
      severity: "medium",
      file: "worker.yaml",
      line: 6,
      column: 1,
      message: 'Deployment "worker" sets no replicas, so it runs 1, and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving',
      resource: WORKER,
      fixable: false,
    },
  ];
  const securityContext: JsonFinding[] = [
    {
      rule: "capabilities-not-dropped",
      severity: "medium",
      file: "worker.yaml",
      line: 24,
      column: 11,
      message: 'container "worker" does not drop all capabilities: securityContext.capabilities.drop does not include ALL',
      resource: WORKER,
      container: "worker",
      fixable: true,
    },
    {
      rule: "read-only-root-filesystem-missing",
      severity: "medium",
      file: "worker.yaml",
      line: 24,
      column: 11,
      message: 'container "worker" does not set readOnlyRootFilesystem: true, so its root filesystem is writable',
      resource: WORKER,
      container: "worker",
      fixable: false,
    },
    {
      rule: "seccomp-profile-missing",
      severity: "medium",
      file: "worker.yaml",
      line: 24,
      column: 11,
      message: 'container "worker" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost',
      resource: WORKER,
      container: "worker",
      fixable: true,
    },
  ];

  it("applies the repo's .shipshape.yml: a rule set off disappears, `severity: low` changes the severity", () => {
    const { status, report } = scanJson([fixture("configured")]);
    expect(status).toBe(0);
    expect(report.findings).toEqual([...workload, digest("low"), memory, ...securityContext]);
    expect(report.summary.bySeverity).toEqual({ critical: 0, high: 0, medium: 6, low: 1 });
  });

  it("--config FILE is used instead of the repo's .shipshape.yml", () => {
    const { status, report } = scanJson([fixture("configured"), "--config", fixture("configs", "alt.yml")]);
    expect(status).toBe(0);
    expect(report.findings).toEqual([...workload, liveness, digest("medium"), ...securityContext]);
  });

  it("--config is resolved against the working directory", () => {
    const { report } = scanJson(["configured", "--config", "configs/alt.yml"], { cwd: fixture() });
    expect(report.findings).toEqual([...workload, liveness, digest("medium"), ...securityContext]);
  });

  it(".github/shipshape.yml wins over .shipshape.yml", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "worker.yaml"), readFileSync(fixture("configured", "worker.yaml")));
    writeFileSync(join(dir, ".shipshape.yml"), "rules:\n  memory-limit-missing: low\n");
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github", "shipshape.yml"), "rules:\n  memory-limit-missing: critical\n  image-digest-missing: off\n");
    const { status, report } = scanJson([dir]);
    expect(status).toBe(1);
    expect(report.findings).toEqual([...workload, liveness, { ...memory, severity: "critical" }, ...securityContext]);
  });
});
