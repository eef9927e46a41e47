import type { Colors } from "picocolors/types.js";
import { SEVERITIES, type Rule, type Severity } from "../rules/types.js";
import type { Finding } from "../scan/finding.js";
import type { ScanResult } from "../scan/scan.js";
import { CHECKS } from "../checks/registry.js";
import { groupBy } from "../group-by.js";
import { checklistReference } from "./rule-text.js";
import type { Summary } from "./summary.js";
import { plural } from "./plural.js";

/** Findings grouped by file, one line each, then a summary line. */
export function formatText(result: ScanResult, summary: Summary, colors: Colors): string {
  const lines: string[] = [];
  const byFile = groupBy(result.findings, (finding) => finding.file);
  const locationWidth = Math.max(0, ...result.findings.map((finding) => `${finding.line}:${finding.column}`.length));
  const ruleWidth = Math.max(0, ...result.findings.map((finding) => finding.rule.length));
  for (const [file, findings] of byFile) {
    lines.push(colors.underline(file));
    for (const finding of findings) {
      const location = `${finding.line}:${finding.column}`.padEnd(locationWidth);
      const severity = paintSeverity(finding.severity, finding.severity.padEnd(8), colors);
      lines.push(`  ${colors.dim(location)}  ${severity}  ${finding.rule.padEnd(ruleWidth)}  ${finding.message}${subject(finding, colors)}`);
    }
    lines.push("");
  }
  lines.push(summaryLine(summary, byFile.size, colors));
  return `${lines.join("\n")}\n`;
}

function subject(finding: Finding, colors: Colors): string {
  if (!finding.resource) return "";
  const { kind, name, namespace } = finding.resource;
  return colors.dim(`  (${kind} ${namespace ? `${namespace}/` : ""}${name})`);
}

function summaryLine(summary: Summary, fileCount: number, colors: Colors): string {
  const scanned = `${summary.files} ${plural(summary.files, "file")} scanned, ${summary.resources} ${plural(summary.resources, "resource")}`;
  if (summary.findings === 0) return colors.green(`✔ No findings. ${scanned}.`);
  const counts = SEVERITIES.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => paintSeverity(severity, `${summary.bySeverity[severity]} ${severity}`, colors))
    .join(", ");
  const mark = summary.failed ? colors.red("✖") : colors.yellow("!");
  const threshold = summary.failOn === "none" ? "" : summary.failed ? ` — failing: findings at or above ${summary.failOn}` : ` — none at or above ${summary.failOn}`;
  return `${mark} ${summary.findings} ${plural(summary.findings, "finding")} (${counts}) in ${fileCount} ${plural(fileCount, "file")}. ${scanned}${threshold}.`;
}

function paintSeverity(severity: Severity, text: string, colors: Colors): string {
  switch (severity) {
    case "critical":
      return colors.bold(colors.red(text));
    case "high":
      return colors.red(text);
    case "medium":
      return colors.yellow(text);
    case "low":
      return colors.cyan(text);
  }
}


/** Categories in the order `shipshape rules` and the catalog page show them. */
export const CATEGORY_ORDER = ["reliability", "security", "network", "secrets", "supply-chain", "resources", "configuration"] as const;

/** The rules by category, in CATEGORY_ORDER (unknown categories last, by name), each category's rules by id. */
export function rulesByCategory(rules: readonly Rule[]): [string, Rule[]][] {
  const rank = (category: string) => {
    const index = (CATEGORY_ORDER as readonly string[]).indexOf(category);
    return index < 0 ? CATEGORY_ORDER.length : index;
  };
  const categories = [...new Set(rules.map((rule) => rule.category))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return categories.map((category) => [category, rules.filter((rule) => rule.category === category).sort((a, b) => (a.id < b.id ? -1 : 1))]);
}

/** `shipshape rules`: the rules grouped by category, one line each. */
export function formatRuleList(rules: readonly Rule[], colors: Colors): string {
  const idWidth = Math.max(...rules.map((rule) => rule.id.length));
  const groups = rulesByCategory(rules).map(([category, members]) =>
    [
      colors.bold(category),
      ...members.map((rule) => `  ${rule.id.padEnd(idWidth)}  ${paintSeverity(rule.severity, rule.severity.padEnd(8), colors)}  ${rule.title}${rule.fix ? colors.dim("  (fixable)") : ""}`),
    ].join("\n"),
  );
  return `${groups.join("\n\n")}\n`;
}

/** `shipshape explain <id>`: everything a person needs to judge a finding. */
export function formatRuleExplanation(rule: Rule, colors: Colors): string {
  const scope = [
    rule.appliesTo.kinds ? `kinds: ${rule.appliesTo.kinds.join(", ")}` : "all files",
    rule.appliesTo.containers ? `containers: ${rule.appliesTo.containers.join(", ")}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join("; ");
  // Image rules read every image reference; kinds and container lists narrow only the pod specs.
  const appliesTo = CHECKS.get(rule.check.name)?.scope === "image" ? `images in Helm values, Kustomize, Argo CD, Dockerfiles, Compose and workflows; in pod specs, ${scope}` : scope;
  const params = Object.keys(rule.check.params).length > 0 ? ` ${JSON.stringify(rule.check.params)}` : "";
  return [
    `${colors.bold(rule.id)} — ${rule.title}`,
    "",
    `Severity:   ${paintSeverity(rule.severity, rule.severity, colors)}`,
    `Category:   ${rule.category}`,
    `Applies to: ${appliesTo}`,
    `Check:      ${rule.check.name}${params}`,
    `Fix:        ${rule.fix ? rule.fix.name : "none yet (report only)"}`,
    `Checklist:  ${checklistReference(rule)}`,
    "",
    "Why it matters:",
    indent(rule.rationale),
    "",
    "How to fix:",
    indent(rule.remediation),
    "",
    ...(rule.ignoreWhen ? ["When to ignore it:", indent(rule.ignoreWhen), ""] : []),
    `Silence it for one object with the annotation shipshape.dev/ignore: "${rule.id}", or in .shipshape.yml under rules.${rule.id}.`,
    "",
  ].join("\n");
}

function indent(text: string): string {
  return `  ${text.trim()}`;
}
