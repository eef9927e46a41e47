import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, tempTree, yaml } from "./helpers.js";

const RULE = "memory-limit-missing";
const only = { rules: [RULE] };
const missing = (container: string) => `container "${container}" has no resources.limits.memory`;

describe(RULE, () => {
  it("reports main and init containers of every workload kind, but not ephemeral ones", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 11, 7, missing("pod-main")],
      [RULE, "workloads.yaml", 14, 7, missing("pod-init")],
      [RULE, "workloads.yaml", 28, 11, missing("deployment-main")],
      [RULE, "workloads.yaml", 31, 11, missing("deployment-init")],
      [RULE, "workloads.yaml", 42, 11, missing("statefulset-main")],
      [RULE, "workloads.yaml", 53, 11, missing("daemonset-main")],
      [RULE, "workloads.yaml", 64, 11, missing("replicaset-main")],
      [RULE, "workloads.yaml", 75, 11, missing("rc-main")],
      [RULE, "workloads.yaml", 86, 11, missing("job-main")],
      [RULE, "workloads.yaml", 89, 11, missing("job-init")],
      [RULE, "workloads.yaml", 103, 15, missing("cronjob-main")],
      [RULE, "workloads.yaml", 114, 11, missing("rollout-main")],
    ]);
    expect(findings.every((f) => f.severity === "medium")).toBe(true);
  });

  it("points at `- name:`, `resources:` or `limits:`, whichever is the deepest that exists, and honours merge keys", () => {
    expect(rows(scanFixture(RULE, only))).toEqual([
      [RULE, "limits.yaml", 9, 11, missing("init-no-limit")],
      [RULE, "limits.yaml", 14, 13, missing("cpu-limit-only")],
      [RULE, "limits.yaml", 17, 11, missing("requests-only")],
      [RULE, "limits.yaml", 21, 13, missing("null-limits")],
      // complete and debug: nothing. defaults and inherits-limits (merged from *defaults): nothing.
      // overrides-resources replaces the merged resources with its own, which have no limits.
      [RULE, "limits.yaml", 47, 11, missing("overrides-resources")],
    ]);
  });

  it("is satisfied by a memory limit alone, whatever its notation", () => {
    const root = tempTree({
      "pod.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: p}",
        "spec:",
        "  containers:",
        "    - {name: a, resources: {limits: {memory: 512Mi}}}",
        "    - {name: b, resources: {limits: {memory: 536870912}}}",
        "    - {name: c, resources: {limits: {memory: '1G'}}}",
        "    - {name: d, resources: {limits: {cpu: 1}}}",
      ),
    });
    expect(rows(scan(root, only))).toEqual([[RULE, "pod.yaml", 9, 29, missing("d")]]);
  });
});
