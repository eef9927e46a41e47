/** Scans files held in memory with the given rules and fixes what is found, as a CLI run with --fix would. */
import type { ActiveRule } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, type FixSettings } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { NO_LOCKFILE_LOOKUPS } from "../../src/lockfiles/lookups.js";
import type { DigestTable } from "../../src/pins/lookup.js";
import type { Finding } from "../../src/scan/finding.js";
import { rescanWithLookups, scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles, type WorkspaceFile } from "../../src/workspace/load.js";
import { withChanges } from "../../src/workspace/with-changes.js";

/** Files held in memory, by path, read as a folder holding them would be. */
function loadInMemory(files: Record<string, string>): WorkspaceFile[] {
  return loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
}

export function scanAndFix(files: Record<string, string>, rules: readonly ActiveRule[], settings: FixSettings = DEFAULT_FIX_SETTINGS) {
  const workspace = loadInMemory(files);
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: settings });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS });
  return { scanned, changeset, after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])) };
}

/**
 * What a new scan finds once the changeset is written, as the report after `--fix` does: its changed and created
 * files with the ones it left alone (rules that read other files see them all), judged with the digests the fix had.
 */
export function rescanWritten(
  files: Record<string, string>,
  changeset: Changeset,
  rules: readonly ActiveRule[],
  options: { settings?: FixSettings; digests?: DigestTable } = {},
): Finding[] {
  const settings = options.settings ?? DEFAULT_FIX_SETTINGS;
  const scanned = scanFiles(withChanges(loadInMemory(files), changeset), { rules, limits: DEFAULT_LIMITS, fixSettings: settings });
  return options.digests ? rescanWithLookups(scanned, rules, settings, { digests: options.digests, lockfiles: NO_LOCKFILE_LOOKUPS }).findings : scanned.findings;
}
