import { describe, expect, it } from "vitest";
import { activeRules, type ActiveRule } from "../../../src/config/resolve.js";
import { loadRules } from "../../../src/rules/load.js";
import { run, workload } from "./helpers.js";

const RULE = ["startup-probe-advised"];
const liveness = (delay: string, extra = "") => `          livenessProbe:\n            httpGet: {path: /healthz, port: 8080}\n            initialDelaySeconds: ${delay}${extra}`;

describe("startup-probe-advised", () => {
  it("reports a liveness probe delayed by 60s or more with no startupProbe, at the delay", () => {
    const { findings, changeset } = run(
      {
        "web.yaml": workload({ name: "web", replicas: "2", pod: liveness("90") }),
        "edge.yaml": workload({ name: "edge", replicas: "2", pod: liveness("60") }),
        "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n    - name: solo\n      image: ghcr.io/acme/solo:1.0\n      livenessProbe: {tcpSocket: {port: 9000}, initialDelaySeconds: 120}\n",
      },
      RULE,
    );
    expect(findings).toEqual([
      {
        rule: "startup-probe-advised",
        file: "edge.yaml",
        line: 18,
        message: 'container "edge" delays its liveness probe by 60s (initialDelaySeconds) and has no startupProbe: a slower start gets it restarted in a loop, and a faster one goes unwatched for 60s',
        fixable: false,
      },
      {
        rule: "startup-probe-advised",
        file: "pod.yaml",
        line: 9,
        message: 'container "solo" delays its liveness probe by 120s (initialDelaySeconds) and has no startupProbe: a slower start gets it restarted in a loop, and a faster one goes unwatched for 120s',
        fixable: false,
      },
      {
        rule: "startup-probe-advised",
        file: "web.yaml",
        line: 18,
        message: 'container "web" delays its liveness probe by 90s (initialDelaySeconds) and has no startupProbe: a slower start gets it restarted in a loop, and a faster one goes unwatched for 90s',
        fixable: false,
      },
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("leaves short delays, containers with a startupProbe, no liveness probe, templated delays, and init containers", () => {
    const { findings } = run(
      {
        "short.yaml": workload({ name: "short", pod: liveness("59") }),
        "started.yaml": workload({ name: "started", pod: `${liveness("90")}\n          startupProbe: {httpGet: {path: /healthz, port: 8080}, failureThreshold: 30}` }),
        "none.yaml": workload({ name: "none" }),
        "templated.yaml": workload({ name: "templated", pod: liveness('"{{ .Values.delay }}"') }),
        "init.yaml": workload({ name: "init", pod: `      initContainers:\n        - name: migrate\n          image: ghcr.io/acme/migrate:1.0\n${liveness("90")}` }),
      },
      RULE,
    );
    expect(findings).toEqual([]);
  });

  it("takes its threshold from check.params.minDelaySeconds (60 in the rule)", () => {
    expect(activeRules(loadRules(), {}, RULE)[0]?.rule.check.params).toEqual({ minDelaySeconds: 60 });
    const threshold = (minDelaySeconds: number) => (rules: ActiveRule[]) =>
      rules.map((active) => ({ ...active, rule: { ...active.rule, check: { ...active.rule.check, params: { minDelaySeconds } } } }));
    const files = { "web.yaml": workload({ name: "web", pod: liveness("30") }) };
    expect(run(files, RULE, threshold(30)).findings.map((finding) => [finding.line, finding.message])).toEqual([
      [17, 'container "web" delays its liveness probe by 30s (initialDelaySeconds) and has no startupProbe: a slower start gets it restarted in a loop, and a faster one goes unwatched for 30s'],
    ]);
    expect(run(files, RULE, threshold(31)).findings).toEqual([]);
  });
});
