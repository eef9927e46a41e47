import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import { ACTION_PIN, actionOf, actionRevisionKey, usesAt } from "../fixes/action-pin.js";
import type { LockfileLookups } from "../lockfiles/lookups.js";
import type { DigestTable } from "../pins/lookup.js";
import { rescanWithLookups, type ScanResult } from "../scan/scan.js";
import { commitTable, type CommitQuestion } from "./commit-of.js";
import type { GitHubClient } from "./octokit.js";

export interface ActionRevisionOptions {
  rules: readonly ActiveRule[];
  fixSettings: FixSettings;
  /** What the look-up step found, for the rescan. */
  digests: DigestTable;
  lockfiles: LockfileLookups;
}

/**
 * For action-pin: asks GitHub which commit the ref of each workflow `uses:` that a finding reports points at
 * (`GET /repos/{owner}/{repo}/commits/{ref}`, once per distinct repository and ref, in the order of their keys),
 * puts the answers (or why there is none) into the fix settings, and rescans so that those findings say whether
 * they can be fixed. `owner/repo/path@ref` is asked of owner/repo. Without such findings nothing is asked and the
 * scan comes back as it was.
 */
export async function withActionRevisions(octokit: GitHubClient, scanned: ScanResult, options: ActionRevisionOptions): Promise<{ scanned: ScanResult; fixSettings: FixSettings }> {
  const wanted = actionRevisionsWanted(scanned, options.rules);
  if (wanted.size === 0) return { scanned, fixSettings: options.fixSettings };
  const fixSettings: FixSettings = { ...options.fixSettings, actionRevisions: await commitTable(octokit, wanted) };
  return { scanned: rescanWithLookups(scanned, options.rules, fixSettings, { digests: options.digests, lockfiles: options.lockfiles }), fixSettings };
}

/** The refs the findings of rules fixed by action-pin need, by FixSettings key; `uses:` that name no ref to pin (a short SHA) ask nothing. */
export function actionRevisionsWanted(scanned: ScanResult, rules: readonly ActiveRule[]): Map<string, CommitQuestion> {
  const ruleIds = new Set(rules.filter((active) => active.rule.fix?.name === ACTION_PIN).map((active) => active.rule.id));
  const files = new Map(scanned.workspace.files.map((file) => [file.path, file]));
  const wanted = new Map<string, CommitQuestion>();
  for (const finding of scanned.findings) {
    if (!ruleIds.has(finding.rule)) continue;
    const file = files.get(finding.file);
    if (!file) continue;
    const site = usesAt(file.documents, file.lines.offsetOfLine(finding.line) + finding.column - 1);
    const action = site ? actionOf(site.node.text) : undefined;
    if (!action || "problem" in action) continue;
    // The first spelling found is the one asked (findings come in file and line order).
    const key = actionRevisionKey(action);
    if (!wanted.has(key)) wanted.set(key, { owner: action.owner, repo: action.repo, ref: action.ref });
  }
  return wanted;
}
