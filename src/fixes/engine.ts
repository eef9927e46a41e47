import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings, Limits } from "../config/types.js";
import { appendToSequence, setIn } from "../edit/editor.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { compareFindings, type Finding } from "../scan/finding.js";
import { fingerprintOf } from "../scan/fingerprint.js";
import type { AppliedFix, Changeset, FileChange, SkippedFix } from "./changeset.js";
import { isSameFinding } from "./same-finding.js";
import { analyseFile, type AnalysisOptions, type FileState } from "./file-state.js";
import { chartsOf } from "../images/helm-charts.js";
import { kustomizeOwners } from "../images/kustomize-owners.js";
import type { ParsedFile } from "../model/parsed-file.js";
import { NO_DIGESTS, type DigestTable } from "../pins/lookup.js";
import type { RuleContext } from "../scan/scan.js";
import type { FileRole } from "../workspace/roles.js";
import { ALREADY_PINNED, pinImage } from "./image-pin.js";
import type { ContainerFix, DataChange, FixPlanResult, ResourceFix, TextFix } from "./types.js";
import { LineIndex } from "../yaml/lines.js";
import { FIXES } from "./registry.js";
import { verifyFix } from "./verify.js";
import { fixLockfiles } from "./lockfile-refresh.js";
import { fixWithNewFiles } from "./new-files.js";
import type { LockfileLookups } from "../lockfiles/lookups.js";
import type { ValuesFix } from "../helm/values-findings.js";
import { groupBy } from "../group-by.js";

export interface FixOptions {
  rules: readonly ActiveRule[];
  settings: FixSettings;
  limits: Limits;
  /** What the look-up step found; image pins without a digest here are skipped with the reason. */
  digests?: DigestTable;
  /** The time the scan judged certificates at, so rescans judge alike (and a refreshed Helm lock's `generated`). Default: now. */
  now?: Date;
  /** What the look-up step found for lockfiles: chart versions, regenerated npm locks. */
  lockfiles?: LockfileLookups;
}

/**
 * Fixes findings file by file, one fix at a time: each is planned on the
 * current text, applied as a text edit, and verified before the next one
 * starts. A fix that cannot be planned, applied or verified is skipped with
 * its reason, and the file keeps the fixes before it.
 */
export function fixFindings(workspace: ParsedWorkspace, findings: readonly Finding[], options: FixOptions): Changeset {
  const rulesById = new Map(options.rules.map((active) => [active.rule.id, active]));
  const changeset: Changeset = { files: [], applied: [], skipped: [] };
  const orderOf = (finding: Finding) => rulesById.get(finding.rule)?.rule.fix?.order ?? DEFAULT_FIX_ORDER;
  const fixOf = (finding: Finding) => FIXES.get(rulesById.get(finding.rule)?.rule.fix?.name ?? "");
  // Lockfiles are rewritten whole, from what the look-up step found, and verified against their folder.
  const lockfileFindings = findings.filter((finding) => fixOf(finding)?.scope === "lockfile");
  // New manifests are written whole and verified with the folders they join.
  const newFileFindings = findings.filter((finding) => fixOf(finding)?.scope === "new-file");
  // Fixed in the overlays that deploy them (src/kustomize/overlay-fixes.ts), after this, when the config says so.
  const inOverlays = (finding: Finding) => options.settings.kustomize.fixIn === "overlay" && finding.overlays !== undefined;
  const candidates = findings
    .filter((finding) => rulesById.get(finding.rule)?.rule.fix !== undefined && fixOf(finding)?.scope !== "lockfile" && fixOf(finding)?.scope !== "new-file" && !inOverlays(finding))
    .map((finding, index) => ({ finding, index }))
    // Per container, in the rules' fix order; otherwise as found.
    .sort((a, b) => compareTargets(a.finding, b.finding) || orderOf(a.finding) - orderOf(b.finding) || a.index - b.index)
    .map(({ finding }) => finding);
  const analysis: AnalysisOptions = { rules: options.rules, settings: options.settings, limits: options.limits, context: ruleContextOf(workspace, options.digests, options.now) };
  for (const [path, fileFindings] of groupBy(candidates, fixedFileOf)) {
    const original = workspace.files.find((file) => file.path === path);
    if (!original) continue;
    let state = analyseFile(path, original.role, original.text, analysis);
    const fixIds: string[] = [];
    const skipped: SkippedFix[] = [];
    // Objects an edit that leaves its finding was made on (cert-manager taking a Secret over), by fix and object.
    const steppedOn = new Set<string>();
    for (const finding of fileFindings) {
      const skip = (reason: string) => skipped.push({ rule: finding.rule, file: finding.file, finding, reason });
      if (!finding.fixable) {
        skip(finding.notFixableReason ?? "no fix applies");
        continue;
      }
      // An earlier fix in this file may already have taken care of it (a finding fixed in another file is not in this one's).
      if (finding.file === path && !state.findings.some((current) => isSameFinding(current, finding))) continue;
      const active = rulesById.get(finding.rule) as ActiveRule;
      // …or made the very edit it needs, which left it in place too (a second expiring certificate of one Secret).
      const step = stepKey(finding, active);
      if (step !== undefined && steppedOn.has(step)) continue;
      const outcome = fixOne(state, finding, active, { path, role: original.role }, analysis);
      if ("done" in outcome) continue;
      if ("reason" in outcome) {
        skip(outcome.reason);
        continue;
      }
      state = outcome.state;
      fixIds.push(outcome.applied.id);
      changeset.applied.push(outcome.applied);
      if (outcome.applied.resolvesFinding === false && step !== undefined) steppedOn.add(step);
    }
    // Report what was left where it now is in the new text, in the order it is written.
    const final = state;
    for (const skip of skipped.sort((a, b) => compareFindings(a.finding, b.finding))) {
      const after = final.findings.find((current) => isSameFinding(current, skip.finding));
      changeset.skipped.push(after ? { ...skip, findingAfter: after } : skip);
    }
    if (state.text !== original.text) {
      const change: FileChange = { path, before: original.text, after: state.text, fixes: fixIds };
      changeset.files.push(change);
    }
  }
  const now = options.now ?? new Date();
  const parts = [
    changeset,
    ...(lockfileFindings.length > 0 ? [fixLockfiles(workspace, lockfileFindings, { rules: options.rules, settings: options.settings, limits: options.limits, now, ...(options.lockfiles ? { lockfiles: options.lockfiles } : {}) })] : []),
    ...(newFileFindings.length > 0 ? [fixWithNewFiles(workspace, newFileFindings, { rules: options.rules, settings: options.settings, limits: options.limits, now })] : []),
  ];
  return { files: parts.flatMap((part) => part.files), applied: parts.flatMap((part) => part.applied), skipped: parts.flatMap((part) => part.skipped) };
}

const DEFAULT_FIX_ORDER = 50;

function compareTargets(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const left = a.target ? `${a.target.document}/${a.target.path.join("/")}` : "";
  const right = b.target ? `${b.target.document}/${b.target.path.join("/")}` : "";
  return left === right ? 0 : left < right ? -1 : 1;
}

/**
 * The rest of the workspace as a one-file rescan needs it: charts with their templates, base values files,
 * the kustomizations listing manifests (as they were before this run's fixes), digests.
 */
function ruleContextOf(workspace: ParsedWorkspace, digests: DigestTable = NO_DIGESTS, now = new Date()): RuleContext {
  const byPath = new Map(workspace.files.map((file) => [file.path, file]));
  const documentsOf = (file: ParsedFile) => file.documents;
  const file = (path: string) => byPath.get(path);
  return { images: { charts: chartsOf(workspace.files, documentsOf), file, owners: kustomizeOwners(workspace.files, documentsOf) }, workspaceFile: file, digests, now };
}

/** The file a finding's fix edits: where it was found, the kustomization an image pin goes into, or the file of the object its check names. */
function fixedFileOf(finding: Finding): string {
  return finding.image?.pinIn?.file ?? finding.targetFile ?? finding.file;
}

/** The fix and the object it edits, for a finding whose fix edits another object than the one it is on. */
function stepKey(finding: Finding, active: ActiveRule): string | undefined {
  if (finding.targetFile === undefined || !finding.target) return undefined;
  return JSON.stringify([active.rule.fix?.name, finding.target.document, finding.target.path]);
}

type FixOutcome = { state: FileState; applied: AppliedFix } | typeof ALREADY_PINNED | { reason: string };

function fixOne(state: FileState, finding: Finding, active: ActiveRule, file: { path: string; role: FileRole }, analysis: AnalysisOptions): FixOutcome {
  const ruleFix = active.rule.fix;
  const fix = ruleFix ? FIXES.get(ruleFix.name) : undefined;
  if (!ruleFix || !fix) return { reason: "no fix applies" };
  if (fix.scope === "lockfile" || fix.scope === "new-file") return { reason: "no fix applies" };
  const edit = finding.valuesFix
    ? writeValues(state.text, finding.valuesFix)
    : fix.scope === "image"
      ? pinImage(state, finding, analysis.context.digests ?? NO_DIGESTS)
      : fix.scope === "resource"
        ? editResource(state, finding, fix, ruleFix.params, analysis.settings)
        : fix.scope === "text"
          ? editText(state, finding, fix, ruleFix.params, { path: file.path, role: file.role, settings: analysis.settings })
          : editContainer(state, finding, fix, ruleFix.params, analysis.settings);
  if ("reason" in edit || "done" in edit) return edit;
  const resolvesFinding = !("resolvesFinding" in edit) || edit.resolvesFinding !== false;
  const next = analyseFile(file.path, file.role, edit.text, analysis);
  const verdict = verifyFix(state, next, edit.document, edit.changes, finding, { resolvesFinding });
  if (!verdict.ok) return { reason: `the fix was dropped: ${verdict.reason}` };
  const missingPin = edit.missingPin?.(next);
  if (missingPin !== undefined) return { reason: `the fix was dropped: ${missingPin}` };
  return {
    state: next,
    applied: {
      id: fingerprintOf([finding.fingerprint, ruleFix.name]),
      rule: finding.rule,
      file: file.path,
      finding,
      explanation: edit.explanation,
      risk: edit.risk,
      risky: edit.risky,
      ...(resolvesFinding ? {} : { resolvesFinding: false as const }),
    },
  };
}

interface PlannedEdit {
  text: string;
  document: number;
  changes: DataChange[];
  explanation: string;
  risk: string;
  risky: boolean;
  /** false: the finding stays after the edit (see FixPlan). */
  resolvesFinding?: false;
  /** Image pins: why the edited file does not carry the pin, if it does not. */
  missingPin?: (next: FileState) => string | undefined;
}

/** A container fix, planned on the container as it is in the current text. */
function editContainer(state: FileState, finding: Finding, fix: ContainerFix, params: Record<string, unknown>, settings: FixSettings): PlannedEdit | { reason: string } {
  if (!finding.target) return { reason: "no fix applies" };
  const container = state.container(finding.target.document, finding.target.path);
  if (!container) return { reason: "the container could not be found again in the file" };
  return writePlan(state.text, finding.target.document, fix.plan(container, params, settings));
}

/**
 * A fix of one object (an Ingress, a cert-manager Certificate), planned on the object as it is in the current text:
 * the finding's own, or the one its check named (in `targetFile`, the file being fixed).
 */
function editResource(state: FileState, finding: Finding, fix: ResourceFix, params: Record<string, unknown>, settings: FixSettings): PlannedEdit | { reason: string } {
  if (!finding.target) return { reason: "no fix applies" };
  const resource = state.resource(finding.target.document, finding.target.path);
  if (!resource) return { reason: "the object could not be found again in the file" };
  return writePlan(state.text, finding.target.document, fix.plan(resource, params, settings, { file: finding.file, resource: finding.resource }));
}

/** A text fix, planned where the finding now is in the current text (earlier fixes may have moved it). */
function editText(state: FileState, finding: Finding, fix: TextFix, params: Record<string, unknown>, file: { path: string; role: FileRole; settings: FixSettings }): PlannedEdit | { reason: string } {
  const current = state.findings.find((candidate) => isSameFinding(candidate, finding)) ?? finding;
  const offset = new LineIndex(state.text).offsetOfLine(current.line) + current.column - 1;
  const planned = fix.plan({ path: file.path, role: file.role, text: state.text, offset }, params, file.settings);
  if (!planned.ok) return { reason: planned.reason };
  const { text, yaml, explanation, risk, risky } = planned.plan;
  return { text, document: yaml?.document ?? 0, changes: yaml?.changes ?? [], explanation, risk, risky };
}

/** A Helm values fix (planned with the finding, see src/helm/values-findings.ts), written into the values file. */
function writeValues(text: string, fix: ValuesFix): PlannedEdit | { reason: string } {
  return writePlan(text, 0, { ok: true, plan: { changes: fix.changes, explanation: fix.explanation, risk: fix.risk, risky: fix.risky } });
}

/** A planned fix written with the YAML editor, value by value. */
function writePlan(text: string, document: number, planned: FixPlanResult): PlannedEdit | { reason: string } {
  if (!planned.ok) return { reason: planned.reason };
  let edited = text;
  for (const change of planned.plan.changes) {
    const result = change.append ? appendToSequence(edited, document, change.path, change.value) : setIn(edited, document, change.path, change.value);
    if (!result.ok) return { reason: result.reason };
    edited = result.text;
  }
  const { changes, explanation, risk, risky, resolvesFinding } = planned.plan;
  return { text: edited, document, changes, explanation, risk, risky, ...(resolvesFinding === false ? { resolvesFinding } : {}) };
}
