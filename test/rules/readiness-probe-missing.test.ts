import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "readiness-probe-missing";
const only = { rules: [RULE] };
const missing = (container: string) => `container "${container}" has no readinessProbe`;
const duplicate = (key: string, line: number) =>
  `duplicate key "${key}" (also defined on line ${line}); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last`;

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
    expect(findings.map((f) => f.resource?.kind)).toEqual(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Rollout"]);
    expect(findings.every((f) => f.severity === "high")).toBe(true);
  });

  it("scans every document of a multi-document file: comments, empty documents, a CRD and a List", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "multi-doc.yaml");
    expect(rows(findings)).toEqual([
      [RULE, "multi-doc.yaml", 37, 11, missing("sidecar")],
      [RULE, "multi-doc.yaml", 57, 15, missing("exporter")],
    ]);
    expect(subjects(findings)).toEqual(["Deployment/api sidecar", "StatefulSet/db exporter"]);
  });

  it("uses the last of duplicate keys, and parse-error reports the duplicate", () => {
    const findings = scanFixture(RULE, { rules: [RULE, "parse-error"] }).filter((f) => f.file === "duplicate-keys.yaml");
    expect(rows(findings)).toEqual([
      ["parse-error", "duplicate-keys.yaml", 14, 11, duplicate("readinessProbe", 12)],
      [RULE, "duplicate-keys.yaml", 14, 11, missing("last-is-null")],
      ["parse-error", "duplicate-keys.yaml", 19, 11, duplicate("readinessProbe", 18)],
    ]);
  });

  it("does not check a Job, a CronJob or a workload that has probes everywhere", () => {
    const root = tempTree({
      "batch.yaml": yaml(
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: nightly}",
        "spec:",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers: [{name: backup, image: backup:1.0}]",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: ok}",
        "spec:",
        "  template:",
        "    spec:",
        "      initContainers: [{name: init, image: init:1.0}]",
        "      containers: [{name: app, image: app:1.0, readinessProbe: {tcpSocket: {port: 80}}}]",
      ),
    });
    expect(rows(scan(root, only))).toEqual([]);
  });

  it("has nothing to check in a pod template without containers", () => {
    const root = tempTree({
      "empty.yaml": yaml("apiVersion: apps/v1", "kind: Deployment", "metadata: {name: empty}", "spec:", "  template:", "    spec: {}"),
    });
    expect(rows(scan(root, only))).toEqual([]);
  });
});
