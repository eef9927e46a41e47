import { describe, expect, it } from "vitest";
import { DEFAULT_FIX_SETTINGS } from "../../../src/config/types.js";
import { fixture, rows, run } from "./helpers.js";

const RULE = ["deprecated-api-version"];

describe("deprecated-api-version", () => {
  it("reports removed API versions at the apiVersion line, with the replacement and why a rename is not enough", () => {
    const { findings, changeset } = run({ "deploy/removed.yaml": fixture("removed.yaml") }, RULE);
    expect(rows(findings)).toEqual([
      [
        "deploy/removed.yaml",
        1,
        "high",
        'Deployment "web" uses extensions/v1beta1, removed in Kubernetes 1.16: use apps/v1',
        false,
        "extensions/v1beta1 → apps/v1 is not a rename, the fields change: spec.selector is required (use the template's labels) and immutable; spec.rollbackTo is gone; progressDeadlineSeconds, revisionHistoryLimit, maxSurge and maxUnavailable get new defaults; rewrite the object for apps/v1 (kubectl convert helps)",
      ],
      [
        "deploy/removed.yaml",
        12,
        "high",
        'Ingress "web" uses networking.k8s.io/v1beta1, removed in Kubernetes 1.22: use networking.k8s.io/v1',
        false,
        "networking.k8s.io/v1beta1 → networking.k8s.io/v1 is not a rename, the fields change: spec.backend is renamed to defaultBackend, backend serviceName to service.name and servicePort to service.port.number or service.port.name, and every path needs a pathType; rewrite the object for networking.k8s.io/v1 (kubectl convert helps)",
      ],
      [
        "deploy/removed.yaml",
        21,
        "high",
        'PodSecurityPolicy "restricted" uses policy/v1beta1, removed in Kubernetes 1.25: use Pod Security Admission (pod-security.kubernetes.io labels on namespaces)',
        false,
        "PodSecurityPolicy policy/v1beta1 has no replacement to rename to: PodSecurityPolicy was removed without a replacement API",
      ],
      [
        "deploy/removed.yaml",
        27,
        "medium",
        'FlowSchema "batch" uses flowcontrol.apiserver.k8s.io/v1beta3, deprecated since Kubernetes 1.29 and removed in 1.32: use flowcontrol.apiserver.k8s.io/v1',
        false,
        "flowcontrol.apiserver.k8s.io/v1beta3 → flowcontrol.apiserver.k8s.io/v1 is not a rename, the fields change: an explicit PriorityLevelConfiguration spec.limited.nominalConcurrencyShares of 0 is no longer changed to 30; rewrite the object for flowcontrol.apiserver.k8s.io/v1 (kubectl convert helps)",
      ],
      [
        "deploy/removed.yaml",
        33,
        "high",
        'PriorityLevelConfiguration "batch" uses flowcontrol.apiserver.k8s.io/v1beta1, removed in Kubernetes 1.26: use flowcontrol.apiserver.k8s.io/v1',
        false,
        "flowcontrol.apiserver.k8s.io/v1beta1 → flowcontrol.apiserver.k8s.io/v1 is not a rename, the fields change: PriorityLevelConfiguration spec.limited.assuredConcurrencyShares is renamed to nominalConcurrencyShares; rewrite the object for flowcontrol.apiserver.k8s.io/v1 (kubectl convert helps)",
      ],
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("finds nothing in current API versions, nor in another group's kind of the same name", () => {
    expect(run({ "deploy/current.yaml": fixture("current.yaml") }, RULE).findings).toEqual([]);
  });

  it("judges against kubernetes.version: an older target reports later removals as deprecated, or not at all", () => {
    const settings = { ...DEFAULT_FIX_SETTINGS, kubernetes: { version: "1.24" } };
    const { findings } = run({ "deploy/removed.yaml": fixture("removed.yaml") }, RULE, settings);
    expect(findings.map((finding) => [finding.line, finding.severity, finding.message])).toEqual([
      [1, "high", 'Deployment "web" uses extensions/v1beta1, removed in Kubernetes 1.16: use apps/v1'],
      [12, "high", 'Ingress "web" uses networking.k8s.io/v1beta1, removed in Kubernetes 1.22: use networking.k8s.io/v1'],
      [21, "medium", 'PodSecurityPolicy "restricted" uses policy/v1beta1, deprecated since Kubernetes 1.21 and removed in 1.25: use Pod Security Admission (pod-security.kubernetes.io labels on namespaces)'],
      // flowcontrol v1: not served yet on 1.24, so the stable-most served replacement is named.
      [33, "medium", 'PriorityLevelConfiguration "batch" uses flowcontrol.apiserver.k8s.io/v1beta1, deprecated since Kubernetes 1.23 and removed in 1.26: use flowcontrol.apiserver.k8s.io/v1beta2'],
    ]);
  });

  it("renames pure renames byte-exactly: comments, quoting and the other documents kept", () => {
    const { findings, after, changeset } = run({ "deploy/pdb.yaml": fixture("rename/pdb.yaml") }, RULE);
    expect(rows(findings)).toEqual([
      ["deploy/pdb.yaml", 2, "high", 'PodDisruptionBudget "web" uses policy/v1beta1, removed in Kubernetes 1.25: use policy/v1', true, undefined],
      ["deploy/pdb.yaml", 11, "high", 'CronJob "nightly" uses batch/v1beta1, removed in Kubernetes 1.25: use batch/v1', true, undefined],
    ]);
    expect(after).toEqual({ "deploy/pdb.yaml": fixture("rename/pdb.golden.yaml") });
    expect(changeset.skipped).toEqual([]);
    expect(changeset.applied.map((fix) => [fix.rule, fix.risky, fix.risk])).toEqual([
      [
        "deprecated-api-version",
        false,
        "policy/v1 reads the same fields as policy/v1beta1, with one change in behaviour: In policy/v1 an empty spec.selector ({}) selects every pod in the namespace, where policy/v1beta1 selected none; check the selector before merging.",
      ],
      ["deprecated-api-version", false, "None expected: batch/v1 serves the same CronJob fields as batch/v1beta1, and the objects already in the cluster are served by both."],
    ]);
  });

  it("renames in CRLF files and inside a List", () => {
    const { findings, after } = run({ "deploy/hpa.yaml": fixture("rename/hpa-crlf.yaml") }, RULE);
    expect(findings.map((finding) => [finding.line, finding.message, finding.fixable])).toEqual([
      [1, 'HorizontalPodAutoscaler "web" uses autoscaling/v2beta2, removed in Kubernetes 1.26: use autoscaling/v2', true],
      [13, 'PriorityClass "critical" uses scheduling.k8s.io/v1beta1, removed in Kubernetes 1.22: use scheduling.k8s.io/v1', true],
      [17, 'Lease "leader" uses coordination.k8s.io/v1beta1, removed in Kubernetes 1.22: use coordination.k8s.io/v1', true],
    ]);
    expect(after).toEqual({ "deploy/hpa.yaml": fixture("rename/hpa-crlf.golden.yaml") });
  });

  it("opens a PodDisruptionBudget with an empty selector as a draft", () => {
    const { after, changeset } = run({ "pdb.yaml": fixture("rename/empty-selector.yaml") }, RULE);
    expect(after).toEqual({ "pdb.yaml": fixture("rename/empty-selector.yaml").replace("policy/v1beta1", "policy/v1") });
    expect(changeset.applied.map((fix) => fix.risky)).toEqual([true]);
  });

  it("keeps the ignore annotation of the object", () => {
    const text = fixture("rename/empty-selector.yaml").replace("  name: all\n", "  name: all\n  annotations:\n    shipshape.dev/ignore: deprecated-api-version\n");
    expect(run({ "pdb.yaml": text }, RULE).findings).toEqual([]);
  });
});

describe("api-version-rename explanation", () => {
  it("says what it writes", () => {
    const { changeset } = run({ "pdb.yaml": fixture("rename/empty-selector.yaml") }, RULE);
    expect(changeset.applied.map((fix) => fix.explanation)).toEqual([
      'Sets apiVersion of PodDisruptionBudget "all" to policy/v1: policy/v1beta1 is removed in Kubernetes 1.25, and policy/v1 reads the same fields, so nothing else changes.',
    ]);
  });
});
