import { SEVERITIES, severityRank, type Severity } from "../rules/types.js";
import type { Finding } from "../scan/finding.js";
import type { ScanResult } from "../scan/scan.js";

export type FailOn = Severity | "none";

export interface Summary {
  files: number;
  resources: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  fixable: number;
  failOn: FailOn;
  failed: boolean;
}

export function isAtOrAbove(finding: Finding, failOn: FailOn): boolean {
  return failOn !== "none" && severityRank(finding.severity) >= severityRank(failOn);
}

export function summarise(result: ScanResult, failOn: FailOn): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of result.findings) bySeverity[finding.severity] += 1;
  return {
    files: result.stats.files,
    resources: result.stats.resources,
    findings: result.findings.length,
    bySeverity,
    fixable: result.findings.filter((finding) => finding.fixable).length,
    failOn,
    failed: result.findings.some((finding) => isAtOrAbove(finding, failOn)),
  };
}
