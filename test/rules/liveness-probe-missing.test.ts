import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, rows, scan, scanFixture, subjects, tempTree } from "./helpers.js";

const RULE = "liveness-probe-missing";
const only = { rules: [RULE] };
const missing = (container: string) => `container "${container}" has no livenessProbe`;

describe(RULE, () => {
  it("reports the main containers of every long-running workload kind, and no Job, CronJob, init or ephemeral container", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 11, 7, missing("pod-main")],
      [RULE, "workloads.yaml", 28, 11, missing("deployment-main")],
      [RULE, "workloads.yaml", 42, 11, missing("statefulset-main")],
      [RULE, "workloads.yaml", 53, 11, missing("daemonset-main")],
      [RULE, "workloads.yaml", 64, 11, missing("replicaset-main")],
      [RULE, "workloads.yaml", 75, 11, missing("rc-main")],
      [RULE, "workloads.yaml", 114, 11, missing("rollout-main")],
    ]);
    expect(subjects(findings)).toEqual([
      "Pod/pod pod-main",
      "Deployment/deployment deployment-main",
      "StatefulSet/statefulset statefulset-main",
      "DaemonSet/daemonset daemonset-main",
      "ReplicaSet/replicaset replicaset-main",
      "ReplicationController/rc rc-main",
      "Rollout/rollout rollout-main",
    ]);
    expect(findings.every((f) => f.severity === "medium" && !f.fixable)).toBe(true);
  });

  it("points at the container's first key when the probe is missing, and at `livenessProbe:` when it is null", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "probes.yaml");
    expect(rows(findings)).toEqual([
      // with-probe (line 13) has one; migrate is an init container; the Job's task is never checked.
      [RULE, "probes.yaml", 19, 11, missing("no-probe")],
      // `name` is not the first key here: the container starts at `- image:`.
      [RULE, "probes.yaml", 24, 11, missing("name-second")],
      [RULE, "probes.yaml", 28, 11, missing("null-probe")],
      // A container without a name is called by its position in the list.
      [RULE, "probes.yaml", 29, 11, missing("#5")],
    ]);
  });

  it("points at the `{` of flow-style containers", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "flow.yaml");
    expect(rows(findings)).toEqual([
      [RULE, "flow.yaml", 5, 16, missing("a")],
      [RULE, "flow.yaml", 12, 5, missing("c")],
      [RULE, "flow.yaml", 13, 5, missing("d")],
    ]);
  });

  it("gives the same lines and columns for a file with CRLF line endings", () => {
    const lf = readFileSync(join(FIXTURES, RULE, "probes.yaml"), "utf8");
    const root = tempTree({ "crlf.yaml": lf.replace(/\n/g, "\r\n") });
    expect(rows(scan(root, only))).toEqual([
      [RULE, "crlf.yaml", 19, 11, missing("no-probe")],
      [RULE, "crlf.yaml", 24, 11, missing("name-second")],
      [RULE, "crlf.yaml", 28, 11, missing("null-probe")],
      [RULE, "crlf.yaml", 29, 11, missing("#5")],
    ]);
  });

  it("accepts any kind of probe handler and reports nothing for a fully probed pod", () => {
    const root = tempTree({
      "pod.yaml": [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: probed",
        "spec:",
        "  containers:",
        "    - name: http",
        "      livenessProbe: {httpGet: {path: /, port: 80}}",
        "    - name: exec",
        "      livenessProbe:",
        "        exec:",
        "          command: [cat, /tmp/healthy]",
        "    - name: grpc",
        "      livenessProbe: {grpc: {port: 9090}}",
        "",
      ].join("\n"),
    });
    expect(rows(scan(root, only))).toEqual([]);
  });

  it("leaves a Pod alone whose apiVersion is not v1 (not a core Pod)", () => {
    const root = tempTree({
      "pod.yaml": "apiVersion: example.com/v1\nkind: Pod\nmetadata:\n  name: fake\nspec:\n  containers:\n    - name: app\n",
    });
    expect(rows(scan(root, only))).toEqual([]);
  });
});
