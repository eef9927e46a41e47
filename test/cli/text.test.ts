import { describe, expect, it } from "vitest";
import { ANSI, fixture, runCli, runCliCached, stripAnsi } from "./helpers.js";

const REPO = fixture("repo");

/** `scan test/fixtures/cli/repo` with no colour, byte for byte. */
const REPO_TEXT = [
  "apps/broken.yaml",
  "  7:3    high      parse-error                        YAML syntax error: deficient indentation",
  "",
  "apps/web/deployment.yaml",
  '  1:1    medium    network-policy-missing             the namespace of the objects without metadata.namespace (Deployment "web") has no NetworkPolicy: its pods accept traffic from every pod in the cluster  (Deployment web)',
  '  4:9    medium    pdb-missing                        Deployment "web" runs 2 replicas and no PodDisruptionBudget selects its pods: a node drain or cluster upgrade may evict them all at once  (Deployment web)',
  '  14:5   low       topology-spread-missing            Deployment "web" runs 2 replicas with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node  (Deployment web)',
  '  18:11  medium    liveness-probe-missing             container "app" has no livenessProbe  (Deployment web)',
  '  19:18  medium    image-digest-missing               container "app" image "registry.example.com/shop/web:1.4.2" is not pinned by digest  (Deployment web)',
  '  25:11  medium    capabilities-not-dropped           container "app" does not drop all capabilities: securityContext.capabilities.drop does not include ALL  (Deployment web)',
  '  25:11  medium    read-only-root-filesystem-missing  container "app" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (Deployment web)',
  '  25:11  medium    seccomp-profile-missing            container "app" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost  (Deployment web)',
  '  27:11  medium    capabilities-not-dropped           container "proxy" does not drop all capabilities: securityContext.capabilities.drop does not include ALL  (Deployment web)',
  '  27:11  medium    liveness-probe-missing             container "proxy" has no livenessProbe  (Deployment web)',
  '  27:11  high      privilege-escalation-allowed       container "proxy" does not set allowPrivilegeEscalation: false  (Deployment web)',
  '  27:11  medium    read-only-root-filesystem-missing  container "proxy" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (Deployment web)',
  '  27:11  medium    seccomp-profile-missing            container "proxy" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost  (Deployment web)',
  '  28:18  high      image-tag-mutable                  container "proxy" image "envoyproxy/envoy:latest" uses the mutable tag :latest and no digest  (Deployment web)',
  "",
  "charts/demo/values.yaml",
  '  3:9    medium    image-digest-missing               Helm values image "registry.example.com/shop/demo:1.0.0" is not pinned by digest',
  '  5:3    medium    capabilities-not-dropped           container "demo" does not drop all capabilities: securityContext.capabilities.drop does not include ALL in Deployment templates/deployment.yaml, which takes it from .Values.securityContext  (Deployment demo)',
  '  5:3    medium    seccomp-profile-missing            container "demo" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost in Deployment templates/deployment.yaml, which takes it from .Values.securityContext  (Deployment demo)',
  "",
  "✖ 18 findings (3 high, 14 medium, 1 low) in 3 files. 6 files scanned, 5 resources — failing: findings at or above high.",
  "",
].join("\n");

describe("scan (text format)", () => {
  it("is the default format: findings grouped under each file, then a summary line", () => {
    const result = runCliCached(["scan", REPO]);
    expect(result).toEqual({ status: 1, stdout: REPO_TEXT, stderr: "" });
    expect(runCli(["scan", REPO, "--format", "text"]).stdout).toBe(REPO_TEXT);
  });

  it("names each file once, above its findings, in path order", () => {
    const lines = runCliCached(["scan", REPO]).stdout.split("\n");
    expect(lines.filter((line) => line !== "" && !line.startsWith(" ") && !/^[✖!✔]/.test(line))).toEqual([
      "apps/broken.yaml",
      "apps/web/deployment.yaml",
      "charts/demo/values.yaml",
    ]);
  });

  it("shows the namespace with the name, and says when nothing is at or above --fail-on", () => {
    const result = runCli(["scan", fixture("medium")]);
    expect(result).toEqual({
      status: 0,
      stderr: "",
      stdout: [
        "worker.yaml",
        '  1:1    medium    network-policy-missing             namespace "jobs" (Deployment "worker") has no NetworkPolicy: its pods accept traffic from every pod in the cluster  (Deployment jobs/worker)',
        '  6:1    medium    replicas-too-low                   Deployment "worker" sets no replicas, so it runs 1, and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving  (Deployment jobs/worker)',
        '  18:11  medium    liveness-probe-missing             container "worker" has no livenessProbe  (Deployment jobs/worker)',
        '  19:18  medium    image-digest-missing               container "worker" image "registry.example.com/jobs/worker:3.1.0" is not pinned by digest  (Deployment jobs/worker)',
        '  25:11  medium    capabilities-not-dropped           container "worker" does not drop all capabilities: securityContext.capabilities.drop does not include ALL  (Deployment jobs/worker)',
        '  25:11  medium    read-only-root-filesystem-missing  container "worker" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (Deployment jobs/worker)',
        '  25:11  medium    seccomp-profile-missing            container "worker" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost  (Deployment jobs/worker)',
        "",
        "! 7 findings (7 medium) in 1 file. 1 file scanned, 1 resource — none at or above high.",
        "",
      ].join("\n"),
    });
  });

  it("leaves the threshold out of the summary with --fail-on none", () => {
    const result = runCli(["scan", fixture("medium"), "--fail-on", "none"]);
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n").at(-2)).toBe("! 7 findings (7 medium) in 1 file. 1 file scanned, 1 resource.");
  });

  it('starts the summary with "✔ No findings." for a clean repo', () => {
    expect(runCli(["scan", fixture("clean")])).toEqual({ status: 0, stdout: "✔ No findings. 1 file scanned, 4 resources.\n", stderr: "" });
  });
});

describe("colour", () => {
  it("prints no ANSI escape codes when stdout is not a terminal", () => {
    const result = runCliCached(["scan", REPO]);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stderr).toBe("");
  });

  it("colours the report with FORCE_COLOR=1, and the text under the colour is unchanged", () => {
    const result = runCli(["scan", REPO], { env: { FORCE_COLOR: "1" } });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(ANSI);
    expect(stripAnsi(result.stdout)).toBe(REPO_TEXT);
    // Severities are painted: high in red.
    expect(result.stdout).toContain("\u001b[31mhigh    \u001b[39m");
  });

  it("colours the clean summary too with FORCE_COLOR=1", () => {
    const result = runCli(["scan", fixture("clean")], { env: { FORCE_COLOR: "1" } });
    expect(result.stdout).toMatch(ANSI);
    expect(stripAnsi(result.stdout)).toBe("✔ No findings. 1 file scanned, 4 resources.\n");
  });

  it("NO_COLOR wins over FORCE_COLOR", () => {
    const result = runCli(["scan", REPO], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(result).toEqual({ status: 1, stdout: REPO_TEXT, stderr: "" });
  });

  it("FORCE_COLOR=0 does not force colour", () => {
    expect(runCli(["scan", REPO], { env: { FORCE_COLOR: "0" } }).stdout).toBe(REPO_TEXT);
  });

  it("`rules` and `explain` follow the same switches", () => {
    for (const args of [["rules"], ["explain", "parse-error"]]) {
      const plain = runCli(args);
      const forced = runCli(args, { env: { FORCE_COLOR: "1" } });
      const both = runCli(args, { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
      expect(plain.stdout).not.toMatch(ANSI);
      expect(forced.stdout).toMatch(ANSI);
      expect(stripAnsi(forced.stdout)).toBe(plain.stdout);
      expect(both.stdout).toBe(plain.stdout);
    }
  });
});
