/** Scans and fixes in-memory files with the data rules, as test/pins/kustomize-owner.test.ts does. */
import { activeRules } from "../../../src/config/resolve.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanAndFix } from "../scan-and-fix.js";

export function run(files: Record<string, string>, ruleIds: string[]) {
  const { scanned, changeset, after } = scanAndFix(files, activeRules(loadRules(), {}, ruleIds));
  return {
    findings: scanned.findings,
    /** file, line, message, fixable, reason: what people see. */
    seen: scanned.findings.map((finding) => [finding.file, finding.line, finding.message, finding.fixable, finding.notFixableReason]),
    changeset,
    after,
  };
}

export const deployment = (name: string, namespace: string | undefined, containerExtra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace === undefined ? "" : `  namespace: ${namespace}\n`}spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/acme/${name}:1.0
${containerExtra}`;
