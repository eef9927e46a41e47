import { describe, expect, it } from "vitest";
import { annotationBatches, annotationLevel, annotationOf, ANNOTATIONS_PER_REQUEST, batches, MAX_ANNOTATIONS } from "../../src/github/check-annotations.js";
import { loadRules } from "../../src/rules/load.js";
import type { Severity } from "../../src/rules/types.js";
import type { Finding } from "../../src/scan/finding.js";

const RULES = loadRules();
const readiness = RULES.find((rule) => rule.id === "readiness-probe-missing");

function finding(line: number, fields: Partial<Finding> = {}): Finding {
  return {
    rule: "readiness-probe-missing",
    severity: "high",
    file: "apps/web/deployment.yaml",
    line,
    column: 11,
    message: 'container "web" has no readinessProbe',
    resource: { kind: "Deployment", name: "web", namespace: "shop" },
    container: "web",
    fixable: true,
    fingerprint: `fingerprint-${line}`,
    ...fields,
  };
}

describe("check annotations", () => {
  it("maps severities to annotation levels: critical and high fail, medium warns, low notes", () => {
    const levels = (["critical", "high", "medium", "low"] as Severity[]).map(annotationLevel);
    expect(levels).toEqual(["failure", "failure", "warning", "notice"]);
  });

  it("annotates a finding's line with the rule id and title, the finding with its resource, and the remediation", () => {
    expect(annotationOf(finding(20), readiness)).toEqual({
      path: "apps/web/deployment.yaml",
      start_line: 20,
      end_line: 20,
      annotation_level: "failure",
      title: "readiness-probe-missing: Container has no readiness probe",
      message:
        'container "web" has no readinessProbe (Deployment shop/web)\n\nAdd a readinessProbe that checks the service can answer requests (an httpGet on a readiness endpoint, or a tcpSocket on the serving port).',
    });
  });

  it("annotates a finding without a resource (a file that does not parse) and a rule it does not know", () => {
    const parseError = finding(3, { rule: "custom-rule", severity: "low", resource: undefined, container: undefined, message: "not YAML" });
    expect(annotationOf(parseError, undefined)).toEqual({
      path: "apps/web/deployment.yaml",
      start_line: 3,
      end_line: 3,
      annotation_level: "notice",
      title: "custom-rule: custom-rule",
      message: "not YAML",
    });
  });

  it("keeps titles within GitHub's 255 characters", () => {
    const long = { ...(readiness as NonNullable<typeof readiness>), title: "x".repeat(300) };
    const title = annotationOf(finding(1), long).title;
    expect(title).toHaveLength(255);
    expect(title.endsWith("x…")).toBe(true);
  });

  it("sends 60 annotations as a batch of 50 and a batch of 10, in the order given", () => {
    const findings = Array.from({ length: 60 }, (_, index) => finding(index + 1));
    const sent = annotationBatches(findings, RULES);
    expect(ANNOTATIONS_PER_REQUEST).toBe(50);
    expect(sent.map((batch) => batch.length)).toEqual([50, 10]);
    expect(sent.flat().map((annotation) => annotation.start_line)).toEqual(findings.map((item) => item.line));
  });

  it("sends at most 1000 annotations (20 updates) and nothing for no findings", () => {
    const findings = Array.from({ length: 1234 }, (_, index) => finding(index + 1));
    const sent = annotationBatches(findings, RULES);
    expect(MAX_ANNOTATIONS).toBe(1000);
    expect(sent).toHaveLength(20);
    expect(sent.at(-1)?.at(-1)?.start_line).toBe(1000);
    expect(annotationBatches([], RULES)).toEqual([]);
  });

  it("batches exactly: a full last batch stays full", () => {
    expect(batches([1, 2, 3, 4], 2)).toEqual([[1, 2], [3, 4]]);
    expect(batches([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });
});
