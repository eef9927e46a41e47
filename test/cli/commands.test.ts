import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli, runCliCached, scanJson, tempDir } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("shipshape rules", () => {
  // image-digest-outdated and lockfile-maintenance are off unless the config turns them on, but `rules` lists the whole catalog.
  it("lists all 23 rules, one a line, with severity, category, title and whether they are fixable", () => {
    const result = runCliCached(["rules"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        "argocd-target-revision-mutable  medium    supply-chain   Application uses a mutable revision  (fixable)",
        "certificate-expired             critical  reliability    Certificate has expired",
        "certificate-expiring            high      reliability    Certificate expires soon  (fixable)",
        "certificate-invalid             high      reliability    Certificate cannot be read",
        "certificate-lifetime-too-long   medium    security       Certificate is not short-lived  (fixable)",
        "certificate-renewal-window      medium    reliability    Certificate is not renewed in time  (fixable)",
        "image-digest-missing            medium    supply-chain   Image is not pinned by digest  (fixable)",
        "image-digest-outdated           low       supply-chain   Image uses an outdated digest  (fixable)",
        "image-reference-invalid         high      supply-chain   Image reference is not valid",
        "image-tag-mutable               high      supply-chain   Image uses a mutable tag  (fixable)",
        "ingress-tls-missing             high      security       Ingress has no TLS  (fixable)",
        "liveness-probe-missing          medium    reliability    Container has no liveness probe  (fixable)",
        "lockfile-hashes-missing         medium    supply-chain   Lockfile pins lack hashes",
        "lockfile-maintenance            low       supply-chain   Lockfile is not refreshed regularly  (fixable)",
        "lockfile-stale                  high      reliability    Lockfile is not up to date  (fixable)",
        "memory-limit-missing            medium    resources      Container has no memory limit  (fixable)",
        "parse-error                     high      configuration  File cannot be read as configuration",
        "private-key-committed           critical  security       Private key is committed unencrypted",
        "privilege-escalation-allowed    high      security       Container allows privilege escalation  (fixable)",
        "readiness-probe-missing         high      reliability    Container has no readiness probe  (fixable)",
        "resource-requests-missing       medium    resources      Container has no CPU or memory request  (fixable)",
        "run-as-non-root-missing         medium    security       Container may run as root  (fixable)",
        "spki-pin-mismatch               high      reliability    SPKI pin matches no certificate",
        "",
      ].join("\n"),
    );
  });

  it("gives each rule id with its severity", () => {
    const pairs = runCliCached(["rules"])
      .stdout.trimEnd()
      .split("\n")
      .map((line) => line.split(/\s+/).slice(0, 2));
    expect(Object.fromEntries(pairs)).toEqual({
      "argocd-target-revision-mutable": "medium",
      "certificate-expired": "critical",
      "certificate-expiring": "high",
      "certificate-invalid": "high",
      "certificate-lifetime-too-long": "medium",
      "certificate-renewal-window": "medium",
      "ingress-tls-missing": "high",
      "private-key-committed": "critical",
      "spki-pin-mismatch": "high",
      "liveness-probe-missing": "medium",
      "lockfile-hashes-missing": "medium",
      "lockfile-maintenance": "low",
      "lockfile-stale": "high",
      "readiness-probe-missing": "high",
      "image-tag-mutable": "high",
      "image-digest-missing": "medium",
      "image-digest-outdated": "low",
      "image-reference-invalid": "high",
      "resource-requests-missing": "medium",
      "memory-limit-missing": "medium",
      "run-as-non-root-missing": "medium",
      "privilege-escalation-allowed": "high",
      "parse-error": "high",
    });
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
      "liveness-probe-missing",
      "readiness-probe-missing",
      "resource-requests-missing",
      "privilege-escalation-allowed",
      "run-as-non-root-missing",
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
    expect(report.summary.bySeverity.low).toBe(report.findings.filter((f) => f.rule === "image-digest-missing").length);
    expect(report.findings.filter((f) => f.severity === "low").map((f) => f.rule)).toEqual([
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
