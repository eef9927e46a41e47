import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "resource-requests-missing";
const only = { rules: [RULE] };
const CPU = "resources.requests.cpu";
const MEMORY = "resources.requests.memory";
const BOTH = `${CPU} or ${MEMORY}`;
const missing = (container: string, what: string) => `container "${container}" has no ${what}`;

describe(RULE, () => {
  it("reports main and init containers of every workload kind, Jobs and CronJobs included, but not ephemeral ones", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 11, 7, missing("pod-main", BOTH)],
      [RULE, "workloads.yaml", 14, 7, missing("pod-init", BOTH)],
      [RULE, "workloads.yaml", 28, 11, missing("deployment-main", BOTH)],
      [RULE, "workloads.yaml", 31, 11, missing("deployment-init", BOTH)],
      [RULE, "workloads.yaml", 42, 11, missing("statefulset-main", BOTH)],
      [RULE, "workloads.yaml", 53, 11, missing("daemonset-main", BOTH)],
      [RULE, "workloads.yaml", 64, 11, missing("replicaset-main", BOTH)],
      [RULE, "workloads.yaml", 75, 11, missing("rc-main", BOTH)],
      [RULE, "workloads.yaml", 86, 11, missing("job-main", BOTH)],
      [RULE, "workloads.yaml", 89, 11, missing("job-init", BOTH)],
      [RULE, "workloads.yaml", 103, 15, missing("cronjob-main", BOTH)],
      [RULE, "workloads.yaml", 114, 11, missing("rollout-main", BOTH)],
    ]);
    expect(subjects(findings).filter((s) => s.startsWith("CronJob") || s.startsWith("Job"))).toEqual([
      "Job/job job-main",
      "Job/job job-init",
      "CronJob/cronjob cronjob-main",
    ]);
  });

  it("names only what is missing and points at the deepest key that exists", () => {
    expect(rows(scanFixture(RULE, only))).toEqual([
      // complete (line 9) has both.
      [RULE, "requests.yaml", 14, 13, missing("no-cpu", CPU)],
      [RULE, "requests.yaml", 18, 13, missing("no-memory", MEMORY)],
      [RULE, "requests.yaml", 21, 11, missing("limits-only", BOTH)],
      // A null `requests:` is as good as missing, and is pointed at.
      [RULE, "requests.yaml", 25, 13, missing("null-requests", BOTH)],
      [RULE, "requests.yaml", 27, 11, missing("empty-resources", BOTH)],
      [RULE, "requests.yaml", 32, 15, missing("null-memory", MEMORY)],
      [RULE, "requests.yaml", 34, 11, missing("scalar-resources", BOTH)],
      // `resources: *shared` is the anchored mapping of line 36: both point into it.
      [RULE, "requests.yaml", 37, 13, missing("reuses-shared", MEMORY)],
      [RULE, "requests.yaml", 37, 13, missing("shared", MEMORY)],
    ]);
  });

  it("points at the container's `- name:` line when resources is missing altogether", () => {
    const root = tempTree({
      "job.yaml": yaml(
        "apiVersion: batch/v1",
        "kind: Job",
        "metadata:",
        "  name: migrate",
        "spec:",
        "  template:",
        "    spec:",
        "      restartPolicy: Never",
        "      containers:",
        "      - name: migrate",
        "        image: migrate:1.0",
        "      - name: fine",
        "        resources: {requests: {cpu: 1, memory: 1Gi}}",
      ),
    });
    expect(rows(scan(root, only))).toEqual([[RULE, "job.yaml", 10, 9, missing("migrate", BOTH)]]);
  });
});
