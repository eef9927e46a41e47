import { activeRules } from "../../src/config/resolve.js";
import { fixSettingsOf, type ConfigFile } from "../../src/config/types.js";
import type { Finding } from "../../src/scan/finding.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { catalog } from "../rules/helpers.js";

export { tempTree, yaml } from "../rules/helpers.js";

/** The certificate rules. */
export const CERTIFICATE_RULES = [
  "certificate-expired",
  "certificate-expiring",
  "certificate-invalid",
  "certificate-lifetime-too-long",
  "private-key-committed",
  "spki-pin-mismatch",
] as const;

/** The time these tests judge certificates at. */
export const NOW = new Date("2026-01-01T00:00:00Z");

export interface CertificateScan {
  rules?: readonly string[];
  config?: ConfigFile;
  now?: Date;
}

/** Scans a folder with the certificate rules (or those given), the config's certificate settings, at NOW. */
export function scanCertificates(root: string, { rules = CERTIFICATE_RULES, config = {}, now = NOW }: CertificateScan = {}): Finding[] {
  return scanDirectory({ root, rules: activeRules(catalog, config, rules), fixSettings: fixSettingsOf(config), now }).findings;
}

/** What these tests assert about a finding. */
export type CertificateRow = [rule: string, file: string, line: number, column: number, severity: string, message: string];

export function certificateRows(findings: readonly Finding[]): CertificateRow[] {
  return findings.map((f) => [f.rule, f.file, f.line, f.column, f.severity, f.message]);
}

/** 1-based line of the n-th (1-based) occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string, nth = 1): number {
  let at = -1;
  for (let count = 0; count < nth; count += 1) at = text.indexOf(needle, at + 1);
  if (at === -1) throw new Error(`"${needle}" #${nth} not found`);
  return text.slice(0, at).split("\n").length;
}
