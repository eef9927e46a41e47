import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "run-as-non-root-missing";
const only = { rules: [RULE] };
const mayRunAsRoot = (container: string) =>
  `container "${container}" may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser`;
const setsFalse = (container: string) => `container "${container}" sets runAsNonRoot: false`;
const setsRoot = (container: string) => `container "${container}" sets runAsUser: 0 (root)`;

describe(RULE, () => {
  it("reports main and init containers of every workload kind, but not ephemeral ones", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 11, 7, mayRunAsRoot("pod-main")],
      [RULE, "workloads.yaml", 14, 7, mayRunAsRoot("pod-init")],
      [RULE, "workloads.yaml", 28, 11, mayRunAsRoot("deployment-main")],
      [RULE, "workloads.yaml", 31, 11, mayRunAsRoot("deployment-init")],
      [RULE, "workloads.yaml", 42, 11, mayRunAsRoot("statefulset-main")],
      [RULE, "workloads.yaml", 53, 11, mayRunAsRoot("daemonset-main")],
      [RULE, "workloads.yaml", 64, 11, mayRunAsRoot("replicaset-main")],
      [RULE, "workloads.yaml", 75, 11, mayRunAsRoot("rc-main")],
      [RULE, "workloads.yaml", 86, 11, mayRunAsRoot("job-main")],
      [RULE, "workloads.yaml", 89, 11, mayRunAsRoot("job-init")],
      [RULE, "workloads.yaml", 103, 15, mayRunAsRoot("cronjob-main")],
      [RULE, "workloads.yaml", 114, 11, mayRunAsRoot("rollout-main")],
    ]);
    expect(findings.every((f) => f.severity === "medium")).toBe(true);
  });

  it("lets containers inherit the pod's securityContext, and lets their own settings override it", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "pod-level.yaml");
    expect(rows(findings)).toEqual([
      // init-inherits and inherits: covered by the pod's runAsNonRoot: true.
      [RULE, "pod-level.yaml", 19, 27, setsFalse("overrides-false")],
      [RULE, "pod-level.yaml", 23, 24, setsRoot("root-user")],
      // own-user's runAsUser: 1000 beats the pod's 0; inherits-root is reported at the pod's value.
      [RULE, "pod-level.yaml", 31, 16, setsRoot("inherits-root")],
    ]);
    expect(subjects(findings)).toEqual([
      "Deployment/pod-level overrides-false",
      "Deployment/pod-level root-user",
      "Pod/pod-root-user inherits-root",
    ]);
  });

  it("accepts runAsNonRoot: true or a non-zero runAsUser, and points at `- name:` or `securityContext:` otherwise", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "container-level.yaml");
    expect(rows(findings)).toEqual([
      // non-root-true and user-1000: nothing.
      [RULE, "container-level.yaml", 15, 11, mayRunAsRoot("no-context")],
      [RULE, "container-level.yaml", 18, 11, mayRunAsRoot("empty-context")],
      [RULE, "container-level.yaml", 20, 11, mayRunAsRoot("other-fields")],
      [RULE, "container-level.yaml", 23, 11, mayRunAsRoot("null-non-root")],
      // false-but-user-1000 runs as UID 1000: nothing. runAsUser: 0 wins over runAsNonRoot: true.
      [RULE, "container-level.yaml", 32, 24, setsRoot("true-but-user-0")],
      // Second document: defaults and merged (securityContext from `<<: *defaults`) are fine.
      [RULE, "container-level.yaml", 52, 27, setsFalse("merged-then-overridden")],
    ]);
  });

  // Bug (src/checks/run-as-non-root.ts): a quoted "true" is a string, which the API server rejects for a boolean
  // field, so reporting it is right; but the message says `sets runAsNonRoot: true`, as if true were the problem.
  it("shows a quoted, non-boolean runAsNonRoot as the string it is", () => {
    const root = tempTree({
      "pod.yaml": yaml("apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:", "  containers:", "    - name: a", '      securityContext: {runAsNonRoot: "true"}'),
    });
    const findings = scan(root, only);
    expect(findings.map((f) => [f.line, f.column])).toEqual([[7, 40]]);
    expect(findings[0]?.message).toContain('"true"');
  });
});
