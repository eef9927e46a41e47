import type { ScanResult } from "../scan/scan.js";
import type { Summary } from "./summary.js";

/** The stable machine-readable format (`--format json`), version 1. */
export function formatJson(result: ScanResult, summary: Summary): string {
  const findings = result.findings.map((finding) => ({
    rule: finding.rule,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    message: finding.message,
    resource: finding.resource ? { kind: finding.resource.kind, name: finding.resource.name, namespace: finding.resource.namespace ?? null } : null,
    ...(finding.container === undefined ? {} : { container: finding.container }),
    fixable: finding.fixable,
  }));
  return `${JSON.stringify({ version: 1, findings, summary }, null, 2)}\n`;
}
