import { readFileSync } from "node:fs";
import { join } from "node:path";
import { activeRules } from "../../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, type FixSettings } from "../../../src/config/types.js";
import { fixFindings } from "../../../src/fixes/engine.js";
import { loadRules } from "../../../src/rules/load.js";
import type { Finding } from "../../../src/scan/finding.js";
import { scanFiles } from "../../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../../src/workspace/load.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/checklist/api");

/** A fixture's text, byte for byte. */
export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), "utf8");
}

/** Scans the files with the given rules only, then fixes what it can. */
export function run(files: Record<string, string>, ruleIds: string[], settings: FixSettings = DEFAULT_FIX_SETTINGS) {
  const rules = activeRules(loadRules(), {}, ruleIds);
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: settings });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS });
  return { findings: scanned.findings, changeset, after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])) };
}

/** What a test asserts of each finding: where, what, and whether (or why not) it is fixable. */
export function rows(findings: readonly Finding[]) {
  return findings.map((finding) => [finding.file, finding.line, finding.severity, finding.message, finding.fixable, finding.notFixableReason]);
}
