/** Scans and fixes in-memory files with the data rules, as test/pins/kustomize-owner.test.ts does. */
import { activeRules } from "../../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../../src/config/types.js";
import { fixFindings } from "../../../src/fixes/engine.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanFiles } from "../../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../../src/workspace/load.js";

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
    /** file, line, message, fixable, reason: what people see. */
    seen: scanned.findings.map((finding) => [finding.file, finding.line, finding.message, finding.fixable, finding.notFixableReason]),
    changeset,
    after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])),
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
