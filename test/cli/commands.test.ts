import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { PROJECT_ROOT, runCli, runCliCached, scanJson, tempDir } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("shipshape rules", () => {
  const catalog = loadRules();
  const CATEGORIES = ["reliability", "security", "network", "secrets", "supply-chain", "resources", "configuration"];
  const idWidth = Math.max(...catalog.map((rule) => rule.id.length));

  // Rules that are off unless the config turns them on (image-digest-outdated, lockfile-maintenance, …) are listed too.
  it("lists every rule once, by category in checklist order, each with severity, title and whether it is fixable", () => {
    const result = runCliCached(["rules"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    const expected = CATEGORIES.filter((category) => catalog.some((rule) => rule.category === category)).map((category) =>
      [
        category,
        ...catalog
          .filter((rule) => rule.category === category)
          .map((rule) => `  ${rule.id.padEnd(idWidth)}  ${rule.severity.padEnd(8)}  ${rule.title}${rule.fix ? "  (fixable)" : ""}`),
      ].join("\n"),
    );
    expect(result.stdout).toBe(`${expected.join("\n\n")}\n`);
    // Spelled out for the first lines, so the layout itself is pinned down.
    expect(result.stdout.split("\n").slice(0, 3)).toEqual([
      "reliability",
      `  ${"certificate-expired".padEnd(idWidth)}  critical  Certificate has expired`,
      `  ${"certificate-expiring".padEnd(idWidth)}  high      Certificate expires soon  (fixable)`,
    ]);
    expect(catalog).toHaveLength(48);
  });

  it("gives each rule id with its severity", () => {
    const pairs = runCliCached(["rules"])
      .stdout.split("\n")
      .filter((line) => line.startsWith("  "))
      .map((line) => line.trim().split(/\s+/).slice(0, 2));
    expect(Object.fromEntries(pairs)).toEqual(Object.fromEntries(catalog.map((rule) => [rule.id, rule.severity])));
  });
});

describe("shipshape explain", () => {
  it("prints title, severity, rationale, remediation and the checklist reference", () => {
    const result = runCli(["explain", "image-digest-missing"]);
    expect(result).toEqual({
      status: 0,
      stderr: "",
      stdout: [
        "image-digest-missing — Image is not pinned by digest",
        "",
        "Severity:   medium",
        "Category:   supply-chain",
        "Applies to: images in Helm values, Kustomize, Argo CD, Dockerfiles, Compose and workflows; in pod specs, kinds: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Pod, Job, CronJob, Rollout; containers: containers, initContainers, ephemeralContainers",
        "Check:      image-digest-missing",
        "Fix:        image-pin",
        'Checklist:  "Digest-pinned images: container images referenced by sha256 digest, not mutable tags" (Quantum-ready (crypto agility), 000_88d98e66b9965b4f.txt)',
        "",
        "Why it matters:",
        "  A tag is a pointer that anyone with push access to the registry can move. Only a digest names exact content, so only a digest-pinned image guarantees that every pod runs the bytes CI tested and defeats tag-swap attacks.",
        "",
        "How to fix:",
        "  Append the digest of the tested image to the reference (repo:tag@sha256:...), keeping the tag for people to read.",
        "",
        "When to ignore it:",
        "  A development or preview environment that is meant to follow a tag, where an unreviewed image update is acceptable.",
        "",
        'Silence it for one object with the annotation shipshape.dev/ignore: "image-digest-missing", or in .shipshape.yml under rules.image-digest-missing.',
        "",
      ].join("\n"),
    });
  });

  it("shows a rule's check parameters and a file-scoped rule's scope", () => {
    const stdout = runCli(["explain", "image-tag-mutable"]).stdout;
    expect(stdout.split("\n").filter((line) => /^(Severity|Applies to|Check):/.test(line))).toEqual([
      "Severity:   high",
      "Applies to: images in Helm values, Kustomize, Argo CD, Dockerfiles, Compose and workflows; in pod specs, kinds: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Pod, Job, CronJob, Rollout; containers: containers, initContainers, ephemeralContainers",
      'Check:      image-tag-mutable {"mutableTags":["latest"]}',
    ]);
    expect(runCli(["explain", "parse-error"]).stdout.split("\n")[4]).toBe("Applies to: all files");
    expect(runCli(["explain", "liveness-probe-missing"]).stdout.split("\n")[4]).toBe(
      "Applies to: kinds: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Pod, Rollout; containers: containers",
    );
  });
});

describe("shipshape --version and --help", () => {
  it("--version prints the package.json version", () => {
    expect(runCli(["--version"])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: "" });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("--help lists the commands and exits 0", () => {
    const result = runCli(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: shipshape /);
    for (const command of ["scan", "rules", "explain"]) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it("scan --help lists the scan options and exits 0", () => {
    const result = runCli(["scan", "--help"]);
    expect(result.status).toBe(0);
    for (const option of ["--format", "--output", "--config", "--rule", "--fail-on"]) expect(result.stdout).toContain(option);
  });
});

describe("shipshape scan examples", () => {
  let run: ReturnType<typeof scanJson>;
  // Run from the project root with a relative DIR, as the README says.
  beforeAll(() => {
    run = scanJson(["examples"], { cwd: PROJECT_ROOT });
  });

  it("fails (exit 1) on the bundled examples", () => {
    const { status, report, stderr } = run;
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(report.summary.failed).toBe(true);
    expect(report.summary.failOn).toBe("high");
  });

  it("reports the missing liveness probe of the storefront web container", () => {
    const { report } = run;
    expect(report.findings.filter((f) => f.rule === "liveness-probe-missing" && f.file === "apps/storefront/deployment.yaml")).toEqual([
      {
        rule: "liveness-probe-missing",
        severity: "medium",
        file: "apps/storefront/deployment.yaml",
        line: 38,
        column: 11,
        message: 'container "web" has no livenessProbe',
        resource: { kind: "Deployment", name: "storefront", namespace: "shop" },
        container: "web",
        fixable: true,
      },
    ]);
  });

  it("reports nothing in the Helm chart's templates", () => {
    const { report } = run;
    expect(report.findings.filter((f) => f.file.startsWith("charts/checkout/templates/"))).toEqual([]);
  });

  it("honours the shipshape.dev/ignore annotation of the queue-worker StatefulSet", () => {
    const { report } = run;
    const worker = report.findings.filter((f) => f.resource?.name === "queue-worker");
    expect(worker.map((f) => f.rule)).toEqual([
      "network-policy-missing",
      "replicas-too-low",
      "liveness-probe-missing",
      "readiness-probe-missing",
      "resource-requests-missing",
      "capabilities-not-dropped",
      "privilege-escalation-allowed",
      "read-only-root-filesystem-missing",
      "run-as-non-root-missing",
      "seccomp-profile-missing",
    ]);
    expect(worker.every((f) => f.file === "apps/worker/statefulset.yaml")).toBe(true);
    // The rule is on: elsewhere it still reports, in pod specs and at the other image references.
    expect(report.findings.filter((f) => f.rule === "image-digest-missing").map((f) => [f.file, f.container, f.severity])).toEqual([
      ["apps/storefront/deployment.yaml", "web", "low"],
      ["charts/checkout/values.yaml", undefined, "low"],
      ["environments/production/storefront/kustomization.yaml", undefined, "low"],
    ]);
  });

  it("applies examples/.shipshape.yml (image-digest-missing lowered to low)", () => {
    const { report } = run;
    // topology-spread-missing is low by its own rule; image-digest-missing (medium) by the config.
    expect(report.summary.bySeverity.low).toBe(report.findings.filter((f) => f.rule === "image-digest-missing" || f.rule === "topology-spread-missing").length);
    expect(report.findings.filter((f) => f.severity === "low").map((f) => f.rule)).toEqual([
      "topology-spread-missing",
      "topology-spread-missing",
      "image-digest-missing",
      "image-digest-missing",
      "image-digest-missing",
    ]);
  });

  it("reports the Helm values image of charts/checkout and the production overlay's Kustomize images entry", () => {
    const { report } = run;
    // values.yaml line 10 is `  tag: "1.4.0"`, the overlay's line 11 `    newTag: 2.4.2`: each points at the tag's content.
    // Both can take a digest (image-pin: `tag: "1.4.0@sha256:…"`, a `digest:` beside newTag), so both are fixable.
    const helmValues = {
      rule: "image-digest-missing",
      severity: "low",
      file: "charts/checkout/values.yaml",
      line: 10,
      column: 9,
      message: 'Helm values image "ghcr.io/acme-shop/checkout:1.4.0" is not pinned by digest',
      resource: null,
      fixable: true,
    };
    const kustomize = {
      rule: "image-digest-missing",
      severity: "low",
      file: "environments/production/storefront/kustomization.yaml",
      line: 11,
      column: 13,
      message: 'Kustomize images entry for "ghcr.io/acme-shop/storefront": image "ghcr.io/acme-shop/storefront:2.4.2" is not pinned by digest',
      resource: null,
      fixable: true,
    };
    expect(report.findings.filter((f) => f.file === "charts/checkout/values.yaml" && f.rule === "image-digest-missing")).toEqual([helmValues]);
    expect(report.findings.filter((f) => f.file === "environments/production/storefront/kustomization.yaml")).toEqual([kustomize]);
    // The only findings outside a workload: no other values file, kustomization or Argo CD Application reports one.
    expect(report.findings.filter((f) => f.resource === null)).toEqual([helmValues, kustomize]);
  });

  it("reports image-digest-missing for queue-worker once the annotation is removed", () => {
    const { dir, cleanup } = tempDir();
    try {
      const source = readFileSync(join(PROJECT_ROOT, "examples/apps/worker/statefulset.yaml"), "utf8");
      const withoutAnnotation = source.replace(/^ *shipshape\.dev\/ignore: .*\n/m, "");
      expect(withoutAnnotation).not.toBe(source);
      writeFileSync(join(dir, "statefulset.yaml"), withoutAnnotation);
      const { report } = scanJson([dir, "--rule", "image-digest-missing"]);
      expect(report.findings.map((f) => [f.rule, f.resource?.name, f.container, f.message])).toEqual([
        ["image-digest-missing", "queue-worker", "redis", 'container "redis" image "redis:7.2" is not pinned by digest'],
      ]);
    } finally {
      cleanup();
    }
  });
});
