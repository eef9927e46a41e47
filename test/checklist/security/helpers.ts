import { activeRules } from "../../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../../src/config/types.js";
import { fixFindings } from "../../../src/fixes/engine.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanFiles } from "../../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../../src/workspace/load.js";

/** Scans files in memory with only `ruleIds` on, and fixes what it finds. */
export function run(files: Record<string, string>, ruleIds: string[]) {
  const rules = activeRules(loadRules(), {}, ruleIds);
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: DEFAULT_FIX_SETTINGS });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS });
  return {
    findings: scanned.findings,
    /** file, line, message, fixable, and why not. */
    found: scanned.findings.map((finding) => [finding.file, finding.line, finding.message, finding.fixable, finding.notFixableReason]),
    changeset,
    after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])),
  };
}

/** A Deployment whose single pod template spec is `podSpec` (indented as written under `spec:` of the template). */
export const deployment = (name: string, podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
${podSpec}`;
