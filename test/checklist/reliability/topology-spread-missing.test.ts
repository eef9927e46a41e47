import { describe, expect, it } from "vitest";
import { run, workload } from "./helpers.js";

const RULE = ["topology-spread-missing"];

describe("topology-spread-missing", () => {
  it("reports replicated workloads without spread at their pod spec", () => {
    const { findings } = run(
      {
        "web.yaml": workload({ name: "web", replicas: "3" }),
        "db.yaml": workload({ kind: "StatefulSet", name: "db", replicas: "2", pod: "      affinity:\n        nodeAffinity: {}" }),
        "empty.yaml": workload({ name: "empty", replicas: "2", pod: "      topologySpreadConstraints: []" }),
      },
      RULE,
    );
    expect(findings).toEqual([
      {
        rule: "topology-spread-missing",
        file: "db.yaml",
        line: 12,
        message: 'StatefulSet "db" runs 2 replicas with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node',
        fixable: true,
      },
      {
        rule: "topology-spread-missing",
        file: "empty.yaml",
        line: 12,
        message: 'Deployment "empty" runs 2 replicas with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node',
        fixable: false,
        reason: 'Deployment "empty" writes topologySpreadConstraints empty; fill in the constraint by hand',
      },
      {
        rule: "topology-spread-missing",
        file: "web.yaml",
        line: 12,
        message: 'Deployment "web" runs 3 replicas with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node',
        fixable: true,
      },
    ]);
  });

  it("leaves one replica, podAntiAffinity, topologySpreadConstraints, and DaemonSets", () => {
    const { findings } = run(
      {
        "one.yaml": workload({ name: "one", replicas: "1" }),
        "unset.yaml": workload({ name: "unset" }),
        "anti.yaml": workload({
          name: "anti",
          replicas: "3",
          pod: "      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution: []",
        }),
        "spread.yaml": workload({
          name: "spread",
          replicas: "3",
          pod: "      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: spread}}}",
        }),
        "agent.yaml": workload({ kind: "DaemonSet", name: "agent" }),
      },
      RULE,
    );
    expect(findings).toEqual([]);
  });

  it("says why a workload without labels cannot be fixed", () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: StatefulSet",
      "metadata:",
      "  name: bare",
      "spec:",
      "  replicas: 2",
      "  selector:",
      "    matchExpressions: [{key: app, operator: Exists}]",
      "  template:",
      "    spec:",
      "      containers: [{name: bare, image: 'ghcr.io/acme/bare:1.0'}]",
      "",
    ].join("\n");
    const { findings, changeset } = run({ "bare.yaml": text }, RULE);
    expect(findings).toEqual([
      {
        rule: "topology-spread-missing",
        file: "bare.yaml",
        line: 10,
        message: 'StatefulSet "bare" runs 2 replicas with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node',
        fixable: false,
        reason: 'StatefulSet "bare" has neither pod template labels nor selector.matchLabels, so a spread constraint has no labels to count its pods by; label its pods, then add topologySpreadConstraints',
      },
    ]);
    expect(changeset.files).toEqual([]);
  });
});
