/** Scans files held in memory with the given rules and fixes what is found, as a CLI run with --fix would. */
import type { ActiveRule } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, type FixSettings } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";

export function scanAndFix(files: Record<string, string>, rules: readonly ActiveRule[], settings: FixSettings = DEFAULT_FIX_SETTINGS) {
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: settings });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS });
  return { scanned, changeset, after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])) };
}
