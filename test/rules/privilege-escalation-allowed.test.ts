import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "privilege-escalation-allowed";
const only = { rules: [RULE] };
const notSet = (container: string) => `container "${container}" does not set allowPrivilegeEscalation: false`;
const setsTrue = (container: string) => `container "${container}" sets allowPrivilegeEscalation: true`;
const privileged = (container: string) => `container "${container}" is privileged, which always allows privilege escalation`;

describe(RULE, () => {
  it("reports main, init and ephemeral containers of every workload kind", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 11, 7, notSet("pod-main")],
      [RULE, "workloads.yaml", 14, 7, notSet("pod-init")],
      [RULE, "workloads.yaml", 17, 7, notSet("pod-debug")],
      [RULE, "workloads.yaml", 28, 11, notSet("deployment-main")],
      [RULE, "workloads.yaml", 31, 11, notSet("deployment-init")],
      [RULE, "workloads.yaml", 42, 11, notSet("statefulset-main")],
      [RULE, "workloads.yaml", 53, 11, notSet("daemonset-main")],
      [RULE, "workloads.yaml", 64, 11, notSet("replicaset-main")],
      [RULE, "workloads.yaml", 75, 11, notSet("rc-main")],
      [RULE, "workloads.yaml", 86, 11, notSet("job-main")],
      [RULE, "workloads.yaml", 89, 11, notSet("job-init")],
      [RULE, "workloads.yaml", 103, 15, notSet("cronjob-main")],
      [RULE, "workloads.yaml", 114, 11, notSet("rollout-main")],
    ]);
    expect(findings.every((f) => f.severity === "high")).toBe(true);
  });

  it("reports a missing field at `- name:` or `securityContext:`, and true or privileged at the value", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.resource?.kind === "Pod");
    expect(rows(findings)).toEqual([
      // The pod-level allowPrivilegeEscalation (line 8) is not inherited.
      [RULE, "escalation.yaml", 10, 7, notSet("missing")],
      [RULE, "escalation.yaml", 13, 7, notSet("context-without-field")],
      [RULE, "escalation.yaml", 17, 35, setsTrue("explicit-true")],
      // explicit-false: nothing. A null value counts as not set.
      [RULE, "escalation.yaml", 22, 7, notSet("null-value")],
      [RULE, "escalation.yaml", 26, 21, privileged("privileged")],
      // privileged wins over allowPrivilegeEscalation: false.
      [RULE, "escalation.yaml", 30, 21, privileged("privileged-and-false")],
      // not-privileged-and-false: nothing.
    ]);
  });

  it("reads a securityContext supplied through a merge key where the anchor writes it", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.resource?.kind === "Deployment");
    expect(rows(findings)).toEqual([
      [RULE, "escalation.yaml", 45, 11, notSet("defaults")],
      [RULE, "escalation.yaml", 45, 11, notSet("merged")],
      // merged-and-fixed overrides the merged securityContext with a compliant one.
    ]);
    expect(subjects(findings)).toEqual(["Deployment/merged defaults", "Deployment/merged merged"]);
  });

  // Bug (src/checks/privilege-escalation.ts): a quoted "false" is a string, which the API server rejects for a
  // boolean field; the finding is right but says `sets allowPrivilegeEscalation: false`, which reads as compliant.
  it("shows a quoted, non-boolean allowPrivilegeEscalation as the string it is", () => {
    const root = tempTree({
      "pod.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: p}",
        "spec:",
        "  containers:",
        "    - name: a",
        '      securityContext: {allowPrivilegeEscalation: "false"}',
      ),
    });
    const findings = scan(root, only);
    expect(findings.map((f) => [f.line, f.column])).toEqual([[7, 52]]);
    expect(findings[0]?.message).toContain('"false"');
  });
});
