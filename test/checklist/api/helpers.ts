import { readFileSync } from "node:fs";
import { join } from "node:path";
import { activeRules } from "../../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, type FixSettings } from "../../../src/config/types.js";
import { loadRules } from "../../../src/rules/load.js";
import type { Finding } from "../../../src/scan/finding.js";
import { scanAndFix } from "../scan-and-fix.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/checklist/api");

/** A fixture's text, byte for byte. */
export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), "utf8");
}

/** Scans the files with the given rules only, then fixes what it can. */
export function run(files: Record<string, string>, ruleIds: string[], settings: FixSettings = DEFAULT_FIX_SETTINGS) {
  const { scanned, changeset, after } = scanAndFix(files, activeRules(loadRules(), {}, ruleIds), settings);
  return { findings: scanned.findings, changeset, after };
}

/** What a test asserts of each finding: where, what, and whether (or why not) it is fixable. */
export function rows(findings: readonly Finding[]) {
  return findings.map((finding) => [finding.file, finding.line, finding.severity, finding.message, finding.fixable, finding.notFixableReason]);
}
