import type { Rule, Severity } from "../rules/types.js";
import type { Finding } from "../scan/finding.js";
import { fillText } from "../fixes/templates.js";
import { checkTexts, shorten } from "./check-texts.js";

/** One annotation of a check run, as `output.annotations` takes it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

/** GitHub takes at most 50 annotations per create or update request; each update appends its batch. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Annotations sent for one check run at most (20 updates); the summary counts every finding. */
export const MAX_ANNOTATIONS = 1000;
/** GitHub's limits on an annotation's fields. */
const MAX_TITLE = 255;
const MAX_MESSAGE = 64 * 1024;

export function annotationLevel(severity: Severity): CheckAnnotation["annotation_level"] {
  switch (severity) {
    case "critical":
    case "high":
      return "failure";
    case "medium":
      return "warning";
    case "low":
      return "notice";
  }
}

/** A finding as an annotation on its line of the head commit: the rule's id and title, the finding, and how to fix it. */
export function annotationOf(finding: Finding, rule: Rule | undefined): CheckAnnotation {
  const texts = checkTexts().annotation;
  const resource = finding.resource ? ` (${finding.resource.kind} ${finding.resource.namespace ? `${finding.resource.namespace}/` : ""}${finding.resource.name})` : "";
  const message = fillText(texts.message, { message: finding.message, resource, remediation: rule?.remediation.trim() ?? "" }).trim();
  return {
    path: finding.file,
    start_line: Math.max(1, finding.line),
    end_line: Math.max(1, finding.line),
    annotation_level: annotationLevel(finding.severity),
    title: shorten(fillText(texts.title, { rule: finding.rule, title: rule?.title ?? finding.rule }), MAX_TITLE),
    message: shorten(message, MAX_MESSAGE),
  };
}

/** The annotations of findings (in the order given, up to MAX_ANNOTATIONS), in batches of ANNOTATIONS_PER_REQUEST. */
export function annotationBatches(findings: readonly Finding[], rules: readonly Rule[]): CheckAnnotation[][] {
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  const annotations = findings.slice(0, MAX_ANNOTATIONS).map((finding) => annotationOf(finding, rulesById.get(finding.rule)));
  return batches(annotations, ANNOTATIONS_PER_REQUEST);
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
