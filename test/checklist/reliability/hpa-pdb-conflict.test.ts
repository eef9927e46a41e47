import { describe, expect, it } from "vitest";
import { autoscaler, disruptionBudget, run, workload } from "./helpers.js";

const RULE = ["hpa-pdb-conflict"];
const BLOCKS = "it allows no eviction, so node drains and cluster upgrades block on its pods";

describe("hpa-pdb-conflict", () => {
  it("reports maxUnavailable 0 and 0% whatever they select, at the field", () => {
    const { findings, changeset } = run(
      {
        "zero.yaml": disruptionBudget("zero", "maxUnavailable: 0", "{matchLabels: {app: nothing-here}}"),
        "zero-percent.yaml": disruptionBudget("zero-percent", 'maxUnavailable: "0%"', "{matchLabels: {app: web}}", "shop"),
      },
      RULE,
    );
    expect(findings).toEqual([
      { rule: "hpa-pdb-conflict", file: "zero-percent.yaml", line: 7, message: `PodDisruptionBudget "zero-percent" sets maxUnavailable: 0%: ${BLOCKS}`, fixable: false },
      { rule: "hpa-pdb-conflict", file: "zero.yaml", line: 6, message: `PodDisruptionBudget "zero" sets maxUnavailable: 0: ${BLOCKS}`, fixable: false },
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("reports a minAvailable that reaches the autoscaler's minimum, or without one the replicas, once per workload it selects", () => {
    const { findings, raw } = run(
      {
        "api.yaml": workload({ name: "api", replicas: "3" }),
        // The autoscaler, not replicas, decides how few pods run.
        "api-hpa.yaml": autoscaler("api", "2"),
        "api-pdb.yaml": disruptionBudget("api", "minAvailable: 2", "{matchLabels: {app: api}}"),
        "web.yaml": workload({ name: "web", replicas: "3", labels: "app: web, tier: front" }),
        "admin.yaml": workload({ name: "admin", replicas: "2", labels: "app: admin, tier: front" }),
        "front-pdb.yaml": disruptionBudget("front", "minAvailable: 3", "{matchLabels: {tier: front}}"),
        // 50% of the autoscaler's default minimum of 1, rounded up, is 1.
        "jobs.yaml": workload({ kind: "StatefulSet", name: "jobs", replicas: "4" }),
        "jobs-hpa.yaml": autoscaler("jobs", undefined, { kind: "StatefulSet" }),
        "jobs-pdb.yaml": disruptionBudget("jobs", "minAvailable: 50%", "{matchLabels: {app: jobs}}"),
      },
      RULE,
    );
    expect(findings).toEqual([
      {
        rule: "hpa-pdb-conflict",
        file: "api-pdb.yaml",
        line: 6,
        message: `PodDisruptionBudget "api" sets minAvailable: 2, but Deployment "api" may be scaled down to 2 replicas by HorizontalPodAutoscaler "api": ${BLOCKS}`,
        fixable: false,
      },
      {
        rule: "hpa-pdb-conflict",
        file: "front-pdb.yaml",
        line: 6,
        message: `PodDisruptionBudget "front" sets minAvailable: 3, but Deployment "admin" runs 2 replicas: ${BLOCKS}`,
        fixable: false,
      },
      {
        rule: "hpa-pdb-conflict",
        file: "front-pdb.yaml",
        line: 6,
        message: `PodDisruptionBudget "front" sets minAvailable: 3, but Deployment "web" runs 3 replicas: ${BLOCKS}`,
        fixable: false,
      },
      {
        rule: "hpa-pdb-conflict",
        file: "jobs-pdb.yaml",
        line: 6,
        message: `PodDisruptionBudget "jobs" sets minAvailable: 50%, but StatefulSet "jobs" may be scaled down to 1 replica by HorizontalPodAutoscaler "jobs": ${BLOCKS}`,
        fixable: false,
      },
    ]);
    // Two workloads under one budget keep two fingerprints.
    expect(new Set(raw.map((finding) => finding.fingerprint)).size).toBe(4);
  });

  it("leaves budgets that allow an eviction, and those that select no workload of their namespace", () => {
    const { findings } = run(
      {
        "web.yaml": workload({ name: "web", namespace: "shop", replicas: "3" }),
        "web-pdb.yaml": disruptionBudget("web", "minAvailable: 2", "{matchLabels: {app: web}}", "shop"),
        "web-max.yaml": disruptionBudget("web-max", "maxUnavailable: 1", "{matchLabels: {app: web}}", "shop"),
        "web-percent.yaml": disruptionBudget("web-percent", "minAvailable: 50%", "{matchLabels: {app: web}}", "shop"),
        "web-elsewhere.yaml": disruptionBudget("web-elsewhere", "minAvailable: 3", "{matchLabels: {app: web}}", "other"),
        // The autoscaler keeps 3 though replicas says 1.
        "api.yaml": workload({ name: "api", replicas: "1" }),
        "api-hpa.yaml": autoscaler("api", "3"),
        "api-pdb.yaml": disruptionBudget("api", "minAvailable: 2", "{matchLabels: {app: api}}"),
        // Switched off: no pods to evict.
        "idle.yaml": workload({ name: "idle", replicas: "0" }),
        "idle-pdb.yaml": disruptionBudget("idle", "minAvailable: 1", "{matchLabels: {app: idle}}"),
        "orphan-pdb.yaml": disruptionBudget("orphan", "minAvailable: 5", "{matchLabels: {app: gone}}"),
      },
      RULE,
    );
    expect(findings).toEqual([]);
  });
});
