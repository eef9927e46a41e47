import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, tempTree, yaml } from "./helpers.js";

const PROBES = ["liveness-probe-missing", "readiness-probe-missing"];
const rules = { rules: [...PROBES, "image-digest-missing", "parse-error"] };
const noLiveness = 'container "app" has no livenessProbe';
const noReadiness = 'container "app" has no readinessProbe';
const unpinned = 'container "app" image "app:1.0" is not pinned by digest';

describe("shipshape.dev/ignore", () => {
  it("suppresses exactly the listed rules, from the object's or the pod template's annotations", () => {
    const findings = scanFixture("suppression", rules);
    expect(findings.map((f) => [f.resource?.name, f.rule, f.line, f.column, f.message])).toEqual([
      ["not-annotated", "liveness-probe-missing", 10, 11, noLiveness],
      ["not-annotated", "readiness-probe-missing", 10, 11, noReadiness],
      ["not-annotated", "image-digest-missing", 11, 18, unpinned],
      // object-two-rules: both probe rules ignored on metadata.annotations.
      ["object-two-rules", "image-digest-missing", 24, 18, unpinned],
      // template-one-rule: ignored on spec.template.metadata.annotations.
      ["template-one-rule", "liveness-probe-missing", 37, 11, noLiveness],
      ["template-one-rule", "readiness-probe-missing", 37, 11, noReadiness],
      // object-star and template-star: "*" ignores every rule.
      // Ids are trimmed; empty and unknown ids are harmless.
      ["spaces-and-unknown-ids", "liveness-probe-missing", 76, 11, noLiveness],
      ["spaces-and-unknown-ids", "image-digest-missing", 77, 18, unpinned],
      // A label, or an annotation with another name, ignores nothing.
      ["label-is-not-an-annotation", "liveness-probe-missing", 92, 11, noLiveness],
      ["label-is-not-an-annotation", "readiness-probe-missing", 92, 11, noReadiness],
      ["label-is-not-an-annotation", "image-digest-missing", 93, 18, unpinned],
    ]);
  });

  it("works on a bare Pod and on a CronJob's pod template", () => {
    const root = tempTree({
      "pod.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: pod",
        "  annotations: {shipshape.dev/ignore: image-digest-missing}",
        "spec:",
        "  containers:",
        "    - name: app",
        "      image: app:1.0",
      ),
      "cronjob.yaml": yaml(
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: cron}",
        "spec:",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        metadata:",
        "          annotations: {shipshape.dev/ignore: image-digest-missing}",
        "        spec:",
        "          containers: [{name: app, image: app:1.0}]",
        "---",
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: cron-not-annotated}",
        "spec:",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers: [{name: app, image: app:1.0}]",
      ),
    });
    expect(rows(scan(root, rules))).toEqual([
      ["image-digest-missing", "cronjob.yaml", 21, 43, unpinned],
      ["liveness-probe-missing", "pod.yaml", 8, 7, noLiveness],
      ["readiness-probe-missing", "pod.yaml", 8, 7, noReadiness],
    ]);
  });

  it("does not suppress parse-error, which is about the file", () => {
    const root = tempTree({
      "dup.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: pod",
        '  annotations: {shipshape.dev/ignore: "*"}',
        "spec:",
        "  containers: [{name: app, image: app:1.0}]",
        "  containers: [{name: app, image: app:1.0}]",
      ),
    });
    expect(rows(scan(root, rules))).toEqual([
      [
        "parse-error",
        "dup.yaml",
        8,
        3,
        'duplicate key "containers" (also defined on line 7); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last',
      ],
    ]);
  });
});
