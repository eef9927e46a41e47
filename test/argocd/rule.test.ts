/**
 * argocd-target-revision-mutable through the CLI (dist/: build first), and its fix argocd-revision-pin through the
 * fix engine with the commits the GitHub App looks up (FixSettings.argocdRevisions).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, type FixSettings } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { PROJECT_ROOT, runCli, scanJson } from "../cli/helpers.js";

const FIXTURE = join(PROJECT_ROOT, "test", "fixtures", "argocd", "app-of-apps");
const RULE = "argocd-target-revision-mutable";
const rules = activeRules(loadRules(), {}, [RULE]);
const CLI_REASON = "the CLI reports this; the GitHub App pins it to the commit the branch points at";
const CHART_REASON = "a Helm chart's version range is resolved among the chart repository's releases: set targetRevision to the exact version the cluster runs";
const SHA = "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d";

describe("argocd-target-revision-mutable in the CLI", () => {
  it("reports HEAD, a branch, a tag and a chart range, and leaves commits and exact chart versions alone", () => {
    const { status, report } = scanJson([FIXTURE, "--rule", RULE]);
    expect(status).toBe(0);
    expect(report.findings.map(({ file, line, column, message, resource, fixable }) => ({ file, line, column, message, resource, fixable }))).toEqual([
      {
        file: "apps/api.yaml",
        line: 10,
        column: 21,
        message: 'Application "api-staging" tracks HEAD of https://github.com/acme/gitops: each push deploys',
        resource: { kind: "Application", name: "api-staging", namespace: "argocd" },
        fixable: false,
      },
      {
        file: "apps/guestbook-set.yaml",
        line: 21,
        column: 25,
        message: 'ApplicationSet "guestbook" deploys the tag "v1.4.0" of https://github.com/acme/gitops.git: a tag can be moved to another commit, which then deploys',
        resource: { kind: "ApplicationSet", name: "guestbook", namespace: "argocd" },
        fixable: false,
      },
      {
        file: "apps/redis.yaml",
        line: 11,
        column: 21,
        message: 'Application "redis" tracks the versions "1.*" of the chart "redis" from https://charts.bitnami.com/bitnami: each matching release deploys',
        resource: { kind: "Application", name: "redis", namespace: "argocd" },
        fixable: false,
      },
      {
        file: "root.yaml",
        line: 12,
        column: 21,
        message: 'Application "root" tracks the branch "main" of https://github.com/acme/gitops.git: each push to it deploys',
        resource: { kind: "Application", name: "root", namespace: "argocd" },
        fixable: false,
      },
    ]);
    expect(report.findings.every((finding) => finding.rule === RULE && finding.severity === "medium")).toBe(true);
  });

  it("says why each finding is not fixed: the CLI does not ask GitHub, and a chart range needs a version", () => {
    const result = runCli(["scan", FIXTURE, "--rule", RULE, "--fix", "--dry-run"]);
    expect(result.status).toBe(0);
    const notFixed = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => line.startsWith("  ") && line.includes(RULE));
    expect(notFixed).toEqual([
      `  apps/api.yaml:10:21  ${RULE}  ${CLI_REASON}`,
      `  apps/guestbook-set.yaml:21:25  ${RULE}  ${CLI_REASON}`,
      `  apps/redis.yaml:11:21  ${RULE}  ${CHART_REASON}`,
      `  root.yaml:12:21  ${RULE}  ${CLI_REASON}`,
    ]);
  });
});

function scan(files: Record<string, string>, fixSettings: FixSettings = DEFAULT_FIX_SETTINGS) {
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  return scanFiles(workspace, { rules, fixSettings, now: new Date("2026-01-01T00:00:00Z") });
}

const MULTI = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  sources:
    - repoURL: https://charts.acme.dev
      chart: shop
      targetRevision: 2.4.1
      helm:
        valueFiles: [$values/values/shop.yaml]
    - repoURL: git@github.com:acme/gitops.git   # the values
      ref: values
  destination: {server: https://kubernetes.default.svc, namespace: shop}
`;

describe("argocd-target-revision-mutable on its own", () => {
  it("reports a missing targetRevision and a chart without a version, and not a templated revision", () => {
    const scanned = scan({
      "shop.yaml": MULTI,
      "set.yaml": `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: per-cluster}
spec:
  generators: [{list: {elements: [{cluster: a, revision: 0123456789abcdef0123456789abcdef01234567}]}}]
  template:
    metadata: {name: '{{cluster}}-app'}
    spec:
      source: {repoURL: https://github.com/acme/gitops, path: app, targetRevision: '{{revision}}'}
      destination: {name: '{{cluster}}', namespace: app}
`,
      "latest.yaml": `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: cache}
spec:
  source: {repoURL: oci://registry.acme.dev/charts, chart: cache}
  destination: {name: prod, namespace: cache}
`,
    });
    expect(scanned.findings.map(({ file, line, message, fixable, notFixableReason }) => ({ file, line, message, fixable, notFixableReason }))).toEqual([
      {
        file: "latest.yaml",
        line: 5,
        message: 'Application "cache" names no version of the chart "cache" from oci://registry.acme.dev/charts: each new release deploys',
        fixable: false,
        notFixableReason: "a Helm chart's version range is resolved among the chart repository's releases: set targetRevision to the exact version the cluster runs",
      },
      {
        file: "shop.yaml",
        line: 12,
        message: 'Application "shop" has no targetRevision for git@github.com:acme/gitops.git, so it tracks HEAD: each push deploys',
        fixable: false,
        notFixableReason: CLI_REASON,
      },
    ]);
  });
});

describe("argocd-revision-pin", () => {
  it("pins a missing targetRevision to the commit the app looked up, byte-exactly, keeping the comment", () => {
    const settings: FixSettings = { ...DEFAULT_FIX_SETTINGS, argocdRevisions: { "git@github.com:acme/gitops.git#HEAD": { ok: true, sha: SHA } } };
    const scanned = scan({ "shop.yaml": MULTI }, settings);
    expect(scanned.findings.map((finding) => [finding.rule, finding.fixable])).toEqual([[RULE, true]]);
    const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS, now: scanned.now });
    expect(changeset.skipped).toEqual([]);
    expect(changeset.files.map((file) => file.after)).toEqual([MULTI.replace("      ref: values\n", `      ref: values\n      targetRevision: ${SHA}\n`)]);
    expect(changeset.applied.map((fix) => [fix.explanation, fix.risky])).toEqual([
      [`Sets targetRevision of git@github.com:acme/gitops.git (sources[1]) to ${SHA}, the commit HEAD (no targetRevision was set) pointed at when Shipshape looked.`, false],
    ]);
  });

  it("pins a branch in place, and says why it cannot when the look-up failed", () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: https://github.com/acme/gitops
    path: web
    targetRevision: main # follows main
  destination: {server: https://kubernetes.default.svc, namespace: web}
`;
    const pinned = { ...DEFAULT_FIX_SETTINGS, argocdRevisions: { "https://github.com/acme/gitops#main": { ok: true as const, sha: SHA } } };
    const scanned = scan({ "web.yaml": text }, pinned);
    const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings: pinned, limits: DEFAULT_LIMITS, now: scanned.now });
    expect(changeset.files.map((file) => file.after)).toEqual([text.replace("targetRevision: main # follows main", `targetRevision: ${SHA} # follows main`)]);
    expect(changeset.applied[0]?.explanation).toBe(`Sets targetRevision of https://github.com/acme/gitops to ${SHA}, the commit the branch "main" pointed at when Shipshape looked.`);

    const failed = { ...DEFAULT_FIX_SETTINGS, argocdRevisions: { "https://github.com/acme/gitops#main": { ok: false as const, reason: "GitHub has no commit" } } };
    expect(scan({ "web.yaml": text }, failed).findings.map((finding) => [finding.fixable, finding.notFixableReason])).toEqual([[false, "GitHub has no commit"]]);
    const notAsked = { ...DEFAULT_FIX_SETTINGS, argocdRevisions: {} };
    expect(scan({ "web.yaml": text }, notAsked).findings.map((finding) => [finding.fixable, finding.notFixableReason])).toEqual([
      [false, 'the commit the branch "main" of https://github.com/acme/gitops points at was not looked up'],
    ]);
  });
});
