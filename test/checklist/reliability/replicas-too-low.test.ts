import { describe, expect, it } from "vitest";
import { autoscaler, run, workload } from "./helpers.js";

const RULE = ["replicas-too-low"];

describe("replicas-too-low", () => {
  it("reports a Deployment of one replica at its replicas, and one with none written at spec", () => {
    const { findings, changeset } = run(
      {
        "one.yaml": workload({ name: "one", replicas: "1" }),
        "unset.yaml": workload({ name: "unset" }),
        "set.yaml": workload({ kind: "StatefulSet", name: "db", replicas: "1" }),
      },
      RULE,
    );
    expect(findings).toEqual([
      {
        rule: "replicas-too-low",
        file: "one.yaml",
        line: 6,
        message: 'Deployment "one" runs 1 replica and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving',
        fixable: false,
      },
      {
        rule: "replicas-too-low",
        file: "set.yaml",
        line: 6,
        message: 'StatefulSet "db" runs 1 replica and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving',
        fixable: false,
      },
      {
        rule: "replicas-too-low",
        file: "unset.yaml",
        line: 5,
        message: 'Deployment "unset" sets no replicas, so it runs 1, and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving',
        fixable: false,
      },
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("does not report two replicas or more, zero, a templated count, other kinds, or a patch file", () => {
    const { findings } = run(
      {
        "two.yaml": workload({ name: "two", replicas: "2" }),
        "zero.yaml": workload({ name: "zero", replicas: "0" }),
        "templated.yaml": workload({ name: "templated", replicas: '"${REPLICAS}"' }),
        "daemon.yaml": workload({ kind: "DaemonSet", name: "agent" }),
        "overlay/kustomization.yaml": "resources:\n  - ../two.yaml\npatches:\n  - path: patch.yaml\n",
        "overlay/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: two\nspec:\n  replicas: 1\n",
      },
      RULE,
    );
    expect(findings).toEqual([]);
  });

  it("leaves a workload that a HorizontalPodAutoscaler of its namespace scales to it, matched by kind and name", () => {
    const { findings } = run(
      {
        "web.yaml": workload({ name: "web", namespace: "shop" }),
        "web-hpa.yaml": autoscaler("web", "2", { namespace: "shop" }),
        "api.yaml": workload({ name: "api", namespace: "shop", replicas: "1" }),
        // Another namespace, and another kind of the same name, do not count.
        "api-hpa.yaml": `${autoscaler("api", "2", { namespace: "other" })}---\n${autoscaler("api", "2", { namespace: "shop", kind: "StatefulSet" })}`,
        // Without a namespace, the autoscaler is taken to be the workload's (kustomize or Argo CD sets it).
        "db.yaml": workload({ kind: "StatefulSet", name: "db", namespace: "shop", replicas: "1" }),
        "db-hpa.yaml": autoscaler("db", undefined, { kind: "StatefulSet" }),
      },
      RULE,
    );
    expect(findings.map((finding) => [finding.file, finding.line, finding.message])).toEqual([
      ["api.yaml", 7, 'Deployment "api" runs 1 replica and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving'],
    ]);
  });

  it("is silenced by the ignore annotation on the workload", () => {
    const annotated = workload({ name: "one", replicas: "1" }).replace("  name: one\n", "  name: one\n  annotations:\n    shipshape.dev/ignore: replicas-too-low\n");
    expect(run({ "one.yaml": annotated }, RULE).findings).toEqual([]);
  });
});
