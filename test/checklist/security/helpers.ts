import { activeRules } from "../../../src/config/resolve.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanAndFix } from "../scan-and-fix.js";

/** Scans files in memory with only `ruleIds` on, and fixes what it finds. */
export function run(files: Record<string, string>, ruleIds: string[]) {
  const { scanned, changeset, after } = scanAndFix(files, activeRules(loadRules(), {}, ruleIds));
  return {
    findings: scanned.findings,
    /** file, line, message, fixable, and why not. */
    found: scanned.findings.map((finding) => [finding.file, finding.line, finding.message, finding.fixable, finding.notFixableReason]),
    changeset,
    after,
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
