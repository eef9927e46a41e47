import type { Rule, Severity } from "../rules/types.js";
import type { ScanResult } from "../scan/scan.js";
import { checklistReference } from "./rule-text.js";

const LEVELS: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub ranks security alerts by this score (CVSS-like, 0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const SECURITY_CATEGORIES = new Set(["security", "network", "secrets", "supply-chain"]);
export const FINGERPRINT_KEY = "shipshape/v1";

/** SARIF 2.1.0 as GitHub code scanning accepts it: rules with help, results with line and column, stable fingerprints. */
export function formatSarif(result: ScanResult, rules: readonly Rule[], version: string): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Shipshape", semanticVersion: version, version, rules: rules.map(sarifRule) } },
        columnKind: "utf16CodeUnits",
        results: result.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule) ?? -1,
          level: LEVELS[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(finding.file), uriBaseId: "%SRCROOT%" },
                region: { startLine: finding.line, startColumn: finding.column },
              },
            },
          ],
          partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
          properties: { severity: finding.severity },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function sarifRule(rule: Rule) {
  const security = SECURITY_CATEGORIES.has(rule.category);
  const source = checklistReference(rule);
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_match, _dash, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${rule.rationale}\n\nHow to fix: ${rule.remediation}\n\nChecklist: ${source}`,
      markdown: `${rule.rationale}\n\n**How to fix:** ${rule.remediation}\n\n**Checklist:** ${source}`,
    },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: {
      tags: [...new Set(security ? ["shipshape", rule.category, "security"] : ["shipshape", rule.category])],
      precision: "high",
      ...(security ? { "security-severity": SECURITY_SEVERITY[rule.severity] } : {}),
    },
  };
}

/** A relative URI reference: each segment percent-encoded, so `#` and `?` stay part of the name. */
function relativeUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
