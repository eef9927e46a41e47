import { describe, expect, it } from "vitest";
import { autoscaler, disruptionBudget, run, workload } from "./helpers.js";

const RULE = ["pdb-missing"];
const TAIL = "and no PodDisruptionBudget selects its pods: a node drain or cluster upgrade may evict them all at once";

describe("pdb-missing", () => {
  it("reports replicated workloads that no budget selects, at their name, with the count", () => {
    const { findings, changeset } = run(
      {
        "web.yaml": workload({ name: "web", replicas: "3" }),
        "db.yaml": workload({ kind: "StatefulSet", name: "db", replicas: "2" }),
        // The autoscaler keeps at least 2 though replicas is not written.
        "api.yaml": workload({ name: "api" }),
        "api-hpa.yaml": autoscaler("api", "2"),
        // A budget for other pods does not count.
        "other-pdb.yaml": disruptionBudget("other", "maxUnavailable: 1", "{matchLabels: {app: other}}"),
      },
      RULE,
    );
    expect(findings).toEqual([
      { rule: "pdb-missing", file: "api.yaml", line: 4, message: `Deployment "api" keeps at least 2 replicas through its HorizontalPodAutoscaler ${TAIL}`, fixable: true },
      { rule: "pdb-missing", file: "db.yaml", line: 4, message: `StatefulSet "db" runs 2 replicas ${TAIL}`, fixable: true },
      { rule: "pdb-missing", file: "web.yaml", line: 4, message: `Deployment "web" runs 3 replicas ${TAIL}`, fixable: true },
    ]);
    // The fix adds a PodDisruptionBudget beside each (test/fixes/pdb-create.test.ts has its bytes).
    expect(changeset.files.map((file) => [file.path, file.created])).toEqual([
      ["api-pdb.yaml", true],
      ["db-pdb.yaml", true],
      ["web-pdb.yaml", true],
    ]);
  });

  it("leaves single replicas, and workloads a budget of their namespace selects by matchLabels or matchExpressions", () => {
    const { findings } = run(
      {
        "single.yaml": workload({ name: "single", replicas: "1" }),
        "single-hpa.yaml": autoscaler("single", "1"),
        "web.yaml": workload({ name: "web", namespace: "shop", replicas: "3", labels: "app: web, tier: front" }),
        "web-pdb.yaml": disruptionBudget("web", "maxUnavailable: 1", "{matchLabels: {app: web}}", "shop"),
        "api.yaml": workload({ name: "api", namespace: "shop", replicas: "3", labels: "app: api, tier: back" }),
        "api-pdb.yaml": disruptionBudget(
          "back",
          "minAvailable: 1",
          "{matchExpressions: [{key: tier, operator: In, values: [back, batch]}, {key: canary, operator: DoesNotExist}, {key: app, operator: Exists}, {key: app, operator: NotIn, values: [web]}]}",
        ),
        "all.yaml": workload({ name: "all", namespace: "ops", replicas: "2" }),
        "all-pdb.yaml": disruptionBudget("everything", "maxUnavailable: 1", "{}", "ops"),
      },
      RULE,
    );
    expect(findings).toEqual([]);
  });

  it("reports when the only budget is in another namespace, has no selector, or its selector does not match", () => {
    const { findings } = run(
      {
        "web.yaml": workload({ name: "web", namespace: "shop", replicas: "2", labels: "app: web, tier: front" }),
        "pdbs.yaml": [
          disruptionBudget("elsewhere", "maxUnavailable: 1", "{matchLabels: {app: web}}", "other"),
          "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: none\nspec:\n  maxUnavailable: 1\n",
          disruptionBudget("not-front", "maxUnavailable: 1", "{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}"),
          disruptionBudget("bad-operator", "maxUnavailable: 1", "{matchExpressions: [{key: app, operator: Equals, values: [web]}]}"),
        ].join("---\n"),
      },
      RULE,
    );
    expect(findings.map((finding) => [finding.file, finding.line, finding.message])).toEqual([["web.yaml", 4, `Deployment "web" runs 2 replicas ${TAIL}`]]);
  });
});
