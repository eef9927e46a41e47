import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS } from "../../src/config/types.js";
import { branchKey, groupFixableFindings, type FixGroup } from "../../src/github/groups.js";
import { loadRules } from "../../src/rules/load.js";
import type { Finding } from "../../src/scan/finding.js";
import { scanDirectory } from "../../src/scan/scan.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A finding with only what grouping reads filled in for real. */
function finding(rule: string, file: string, fixable = true, container = "app"): Finding {
  return {
    rule,
    severity: "medium",
    file,
    line: 1,
    column: 1,
    message: `${rule} in ${file}`,
    resource: { kind: "Deployment", name: "app", namespace: undefined },
    container,
    fixable,
    fingerprint: `${rule}|${file}|${container}`,
  };
}

const summary = (groups: FixGroup[]) => groups.map((group) => [group.key, group.branch, group.findings.map((item) => item.fingerprint)]);
const hash8 = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 8);

/** Asks git itself whether a branch name is valid. */
function gitAcceptsBranch(branch: string): boolean {
  try {
    execFileSync("git", ["check-ref-format", "--branch", branch], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

const FINDINGS: Finding[] = [
  finding("readiness-probe-missing", "apps/storefront/deployment.yaml"),
  finding("liveness-probe-missing", "apps/storefront/deployment.yaml"),
  finding("image-tag-mutable", "apps/storefront/deployment.yaml", false),
  finding("liveness-probe-missing", "namespace.yaml"),
  finding("liveness-probe-missing", "apps/api/deployment.yaml"),
  finding("readiness-probe-missing", "apps/storefront/deployment.yaml", true, "sidecar"),
  finding("memory-limit-missing", "apps/api/base/deployment.yaml", false),
];

describe("groupFixableFindings", () => {
  it("groups by rule: one group per rule with fixable findings, sorted by key, findings in their given order", () => {
    const groups = groupFixableFindings(FINDINGS, "rule");
    expect(summary(groups)).toEqual([
      [
        "liveness-probe-missing",
        "shipshape/liveness-probe-missing",
        [
          "liveness-probe-missing|apps/storefront/deployment.yaml|app",
          "liveness-probe-missing|namespace.yaml|app",
          "liveness-probe-missing|apps/api/deployment.yaml|app",
        ],
      ],
      [
        "readiness-probe-missing",
        "shipshape/readiness-probe-missing",
        ["readiness-probe-missing|apps/storefront/deployment.yaml|app", "readiness-probe-missing|apps/storefront/deployment.yaml|sidecar"],
      ],
    ]);
    expect(groups.map((group) => group.groupBy)).toEqual(["rule", "rule"]);
  });

  it("groups by directory: the file's folder, `root` for files at the top", () => {
    const groups = groupFixableFindings(FINDINGS, "directory");
    expect(summary(groups)).toEqual([
      ["apps/api", `shipshape/apps-api-${hash8("apps/api")}`, ["liveness-probe-missing|apps/api/deployment.yaml|app"]],
      [
        "apps/storefront",
        `shipshape/apps-storefront-${hash8("apps/storefront")}`,
        [
          "readiness-probe-missing|apps/storefront/deployment.yaml|app",
          "liveness-probe-missing|apps/storefront/deployment.yaml|app",
          "readiness-probe-missing|apps/storefront/deployment.yaml|sidecar",
        ],
      ],
      ["root", "shipshape/root", ["liveness-probe-missing|namespace.yaml|app"]],
    ]);
    // The hash is part of the name people see: pin it.
    expect(groups[1]?.branch).toBe("shipshape/apps-storefront-97d15921");
    expect(groups.map((group) => group.groupBy)).toEqual(["directory", "directory", "directory"]);
  });

  it("groups everything into `all`", () => {
    const groups = groupFixableFindings(FINDINGS, "all");
    expect(summary(groups)).toEqual([
      [
        "all",
        "shipshape/all",
        [
          "readiness-probe-missing|apps/storefront/deployment.yaml|app",
          "liveness-probe-missing|apps/storefront/deployment.yaml|app",
          "liveness-probe-missing|namespace.yaml|app",
          "liveness-probe-missing|apps/api/deployment.yaml|app",
          "readiness-probe-missing|apps/storefront/deployment.yaml|sidecar",
        ],
      ],
    ]);
  });

  it("gives no groups when nothing is fixable", () => {
    const unfixable = FINDINGS.map((item) => ({ ...item, fixable: false }));
    expect(groupFixableFindings(unfixable, "rule")).toEqual([]);
    expect(groupFixableFindings(unfixable, "directory")).toEqual([]);
    expect(groupFixableFindings(unfixable, "all")).toEqual([]);
    expect(groupFixableFindings([], "all")).toEqual([]);
  });

  it("orders groups by key whatever the order of the findings", () => {
    for (const by of ["rule", "directory"] as const) {
      const forwards = groupFixableFindings(FINDINGS, by).map((group) => [group.key, group.branch]);
      const backwards = groupFixableFindings([...FINDINGS].reverse(), by).map((group) => [group.key, group.branch]);
      expect(backwards).toEqual(forwards);
    }
    // Code-unit order, not locale order: uppercase sorts before lowercase.
    const keys = groupFixableFindings([finding("x", "b/f.yaml"), finding("x", "B/f.yaml"), finding("x", "a/f.yaml")], "directory").map((group) => group.key);
    expect(keys).toEqual(["B", "a", "b"]);
  });

  it("groups the findings of a real scan, leaving out the ones no fix applies to", () => {
    const root = mkdtempSync(join(tmpdir(), "shipshape-groups-"));
    roots.push(root);
    const files: Record<string, string> = {
      "apps/web/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
        - name: web
          image: nginx:latest
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
          securityContext: {allowPrivilegeEscalation: false}
`,
      "pod.yaml": `apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: shell
      image: busybox:1.36@sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}
`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const scanned = scanDirectory({ root, rules: activeRules(loadRules(), {}), fixSettings: DEFAULT_FIX_SETTINGS });
    // The pod has no port and no probe to copy, so its probe findings are not fixable; the image tag is pinned once its digest is looked up.
    // No fix applies to replicas-too-low or read-only-root-filesystem-missing: the pod, with only such findings, gets no group.
    expect(scanned.findings.map((item) => [item.rule, item.file, item.fixable])).toEqual([
      ["network-policy-missing", "apps/web/deployment.yaml", true],
      ["replicas-too-low", "apps/web/deployment.yaml", false],
      ["liveness-probe-missing", "apps/web/deployment.yaml", true],
      ["readiness-probe-missing", "apps/web/deployment.yaml", true],
      ["image-tag-mutable", "apps/web/deployment.yaml", true],
      ["capabilities-not-dropped", "apps/web/deployment.yaml", true],
      ["read-only-root-filesystem-missing", "apps/web/deployment.yaml", false],
      ["seccomp-profile-missing", "apps/web/deployment.yaml", true],
      ["liveness-probe-missing", "pod.yaml", false],
      ["readiness-probe-missing", "pod.yaml", false],
      ["read-only-root-filesystem-missing", "pod.yaml", false],
    ]);
    expect(groupFixableFindings(scanned.findings, "directory").map((group) => [group.key, group.branch, group.findings.map((item) => item.rule)])).toEqual([
      [
        "apps/web",
        `shipshape/apps-web-${hash8("apps/web")}`,
        ["network-policy-missing", "liveness-probe-missing", "readiness-probe-missing", "image-tag-mutable", "capabilities-not-dropped", "seccomp-profile-missing"],
      ],
    ]);
  });
});

describe("branchKey: keys as git branch names", () => {
  it("keeps a key that is already a safe name", () => {
    for (const key of ["all", "root", "liveness-probe-missing", "a", "v1.2_x", "0day", "x".repeat(60)]) expect(branchKey(key)).toBe(key);
  });

  it("cleans up any other key and adds a hash of the original", () => {
    const cases: [string, string][] = [
      ["apps/storefront", "apps-storefront"],
      ["Apps/StoreFront", "apps-storefront"],
      ["apps/my app (eu)", "apps-my-app-eu"],
      ["apps//ünïcode/@{x}", "apps-n-code-x"],
      ["a..b/../c", "a.b-.-c"],
      ["-leading/dash", "leading-dash"],
      [".hidden/apps", "hidden-apps"],
      ["trailing.", "trailing"],
      ["apps/cache.lock", "apps-cache.lock"],
      ["x".repeat(61), "x".repeat(51)],
    ];
    for (const [key, cleaned] of cases) expect([key, branchKey(key)]).toEqual([key, `${cleaned}-${hash8(key)}`]);
  });

  it("uses the hash alone when nothing of the key survives", () => {
    expect(branchKey("日本/中文")).toBe(hash8("日本/中文"));
    expect(branchKey("...")).toBe(hash8("..."));
  });

  it("shortens long folders to 60 characters, and keeps folders that differ only at the end apart", () => {
    const base = `clusters/production-eu-west-1/namespaces/${"storefront-".repeat(6)}`;
    const a = branchKey(`${base}frontend`);
    const b = branchKey(`${base}backend`);
    expect(a).toBe(`clusters-production-eu-west-1-namespaces-storefront-${hash8(`${base}frontend`)}`);
    expect(a.length).toBe(60);
    expect(b).not.toBe(a);
    expect(b.length).toBeLessThanOrEqual(60);
  });

  it("gives different keys different branches, even when they clean up the same", () => {
    const keys = ["apps/web", "apps-web", "Apps/Web", "apps web", "apps/web/"];
    const branches = keys.map(branchKey);
    expect(new Set(branches).size).toBe(keys.length);
    expect(branches[1]).toBe("apps-web");
  });

  it("is stable: the same key always gives the same name", () => {
    expect(branchKey("apps/storefront")).toBe("apps-storefront-97d15921");
    expect(branchKey("clusters/Prod EU")).toBe(branchKey("clusters/Prod EU"));
  });

  it("makes names git accepts, for awkward folders", () => {
    const keys = [
      "apps/storefront",
      "a..b",
      "x.lock",
      "-x",
      ".x",
      "x.",
      "with space/and~tilde^caret:colon?q*[b]\\",
      "@{upstream}",
      "@",
      "a/.b/c.lock/d",
      "\u0000ctl\u007f",
      "日本",
      "x".repeat(300),
      "apps/../etc",
    ];
    for (const key of keys) {
      const branch = `shipshape/${branchKey(key)}`;
      expect([key, gitAcceptsBranch(branch)]).toEqual([key, true]);
    }
    // The check itself can fail.
    expect(gitAcceptsBranch("shipshape/a..b")).toBe(false);
  });

  it("always makes a short, safe, hash-suffixed name for keys it changes (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (key) => {
        const name = branchKey(key);
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(60);
        expect(name).toMatch(/^[a-z0-9_][a-z0-9._-]*$/);
        expect(name).not.toContain("..");
        expect(name.endsWith(".lock") || name.endsWith(".")).toBe(false);
        if (name !== key) expect(name.endsWith(hash8(key))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
