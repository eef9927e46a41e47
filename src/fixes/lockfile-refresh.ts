import { isDeepStrictEqual } from "node:util";
import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings, Limits } from "../config/types.js";
import { CHECKS } from "../checks/registry.js";
import { groupBy } from "../group-by.js";
import { baseName, chartsWithDependencies, dirOf } from "../lockfiles/helm-charts.js";
import { goRfc3339Nano, helmLockText } from "../lockfiles/helm-lock-text.js";
import { describeChanges, refreshHelmLock } from "../lockfiles/helm-refresh.js";
import { NO_LOCKFILE_LOOKUPS, type LockfileLookups } from "../lockfiles/lookups.js";
import { ParsedFile } from "../model/parsed-file.js";
import { compareFindings, type Finding } from "../scan/finding.js";
import { fingerprintOf } from "../scan/fingerprint.js";
import { parseWorkspace, type ParsedWorkspace } from "../scan/parse-workspace.js";
import { runRules } from "../scan/scan.js";
import { toPlain } from "../yaml/plain.js";
import type { Changeset } from "./changeset.js";
import { isSameFinding } from "./same-finding.js";
import { fillText, fixTemplate } from "./templates.js";

interface LockfileTexts {
  explanation: { helm: string; helmCreated: string; npm: string };
  risk: { created: string; same: string; newer: string; npm: string };
}

export interface LockfileFixOptions {
  rules: readonly ActiveRule[];
  settings: FixSettings;
  limits: Limits;
  lockfiles?: LockfileLookups;
  /** The time written into a Helm lock's `generated`, and the time checks judge at. */
  now: Date;
}

/** A lockfile's new text, what it says to people, and the data a reparse must give (Helm locks). */
type NewLock = { text: string; explanation: string; risk: string; data?: unknown } | { reason: string };

/**
 * Rewrites each lockfile the findings name (Helm: as `helm dependency
 * update` would, from the looked-up versions; npm: the lock npm regenerated)
 * and verifies it like every fix: the new lock parses to what was intended,
 * the lockfile rules run again on its folder, every finding it was written
 * for is gone, and nothing new appears. Findings that cannot be fixed, and
 * locks that fail verification, are skipped with the reason.
 */
export function fixLockfiles(workspace: ParsedWorkspace, findings: readonly Finding[], options: LockfileFixOptions): Changeset {
  const changeset: Changeset = { files: [], applied: [], skipped: [] };
  for (const [path, group] of groupBy(findings, (finding) => finding.targetFile ?? finding.file)) {
    const skip = (finding: Finding, reason: string) => changeset.skipped.push({ rule: finding.rule, file: finding.file, finding, reason });
    const fixable = group.filter((finding) => finding.fixable);
    for (const finding of group) if (!finding.fixable) skip(finding, finding.notFixableReason ?? "no fix applies");
    if (fixable.length === 0) continue;
    const written = newLockOf(workspace, path, options);
    const verdict = "reason" in written ? written : verifyLock(workspace, path, written, fixable, options);
    if (verdict !== undefined) {
      for (const finding of fixable) skip(finding, "text" in written ? `the fix was dropped: ${verdict.reason}` : verdict.reason);
      continue;
    }
    const original = workspace.files.find((file) => file.path === path);
    const applied = fixable.map((finding) => ({
      id: fingerprintOf([finding.fingerprint, "lockfile-refresh"]),
      rule: finding.rule,
      file: path,
      finding,
      explanation: (written as Exclude<NewLock, { reason: string }>).explanation,
      risk: (written as Exclude<NewLock, { reason: string }>).risk,
      risky: false,
    }));
    changeset.applied.push(...applied);
    changeset.files.push({
      path,
      before: original?.text ?? "",
      after: (written as Exclude<NewLock, { reason: string }>).text,
      ...(original ? {} : { created: true as const }),
      fixes: applied.map((fix) => fix.id),
    });
  }
  changeset.skipped.sort((a, b) => compareFindings(a.finding, b.finding));
  return changeset;
}

function newLockOf(workspace: ParsedWorkspace, path: string, options: LockfileFixOptions): NewLock {
  const texts = fixTemplate<LockfileTexts>("lockfile-refresh");
  if (baseName(path) === "package-lock.json") {
    const regenerated = options.lockfiles?.npmLocks.get(path);
    if (!regenerated) return { reason: `${path} was not regenerated` };
    if (!regenerated.ok) return { reason: regenerated.reason };
    return { text: regenerated.text, explanation: fillText(texts.explanation.npm, { lock: path }).trim(), risk: texts.risk.npm.trim() };
  }
  const chart = chartsWithDependencies(workspace).find((candidate) => candidate.lockPath === path);
  if (!chart) return { reason: `no chart locks its dependencies in ${path}` };
  const refresh = refreshHelmLock(chart, workspace, options.settings.lockfiles.helm.repositories, options.lockfiles ?? NO_LOCKFILE_LOOKUPS);
  if (refresh.state === "pending") return { reason: "the chart versions were not looked up" };
  if (refresh.state === "blocked") return { reason: refresh.reason };
  const generated = options.now;
  const changes = refresh.changes.length === 0 ? "" : ` (${describeChanges(refresh.changes)})`;
  const sentence = chart.lockFile ? texts.explanation.helm : texts.explanation.helmCreated;
  return {
    text: helmLockText({ dependencies: refresh.entries, digest: refresh.digest, generated }),
    explanation: fillText(sentence, { lock: path, chart: chart.displayName, changes }).trim(),
    risk: (!chart.lockFile ? texts.risk.created : refresh.changes.some((change) => change.from !== undefined) ? texts.risk.newer : texts.risk.same).trim(),
    data: { dependencies: refresh.entries.map((entry) => ({ name: entry.name, repository: entry.repository, ...(entry.version === "" ? {} : { version: entry.version }) })), digest: refresh.digest, generated: goRfc3339Nano(generated) },
  };
}

/** The lockfile rules again on the lock's folder, before and after: its findings gone, nothing new. */
function verifyLock(
  workspace: ParsedWorkspace,
  path: string,
  written: Exclude<NewLock, { reason: string }>,
  fixed: readonly Finding[],
  options: LockfileFixOptions,
): { reason: string } | undefined {
  const role = baseName(path) === "package-lock.json" ? "lockfile" : "helm-lock";
  const reparsed = parseWorkspace([{ path, role, size: written.text.length, text: written.text }], options.limits).files[0] as ParsedFile;
  const problem = reparsed.problems[0]?.message ?? (role === "lockfile" ? jsonProblem(written.text) : undefined);
  if (problem !== undefined) return { reason: `the new ${baseName(path)} does not parse: ${problem}` };
  if (written.data !== undefined && !isDeepStrictEqual(toPlain(reparsed.documents[0]?.root), written.data)) return { reason: `the new ${baseName(path)} does not hold the intended lock` };

  const rules = options.rules.filter((active) => CHECKS.get(active.rule.check.name)?.scope === "workspace");
  const context = { now: options.now, ...(options.lockfiles ? { lockfiles: options.lockfiles } : {}) };
  const before = folderOf(workspace, path);
  const after = { files: [...before.files.filter((file) => file.path !== path), reparsed], resources: before.resources };
  const found = (subset: ParsedWorkspace) => runRules(subset, rules, options.settings, context);
  const beforeFindings = found(before);
  const afterFindings = found(after);
  const left = afterFindings.find((finding) => fixed.some((one) => isSameFinding(one, finding)));
  if (left) return { reason: `the finding is still there after the rewrite: ${left.message}` };
  const known = new Set(beforeFindings.map((finding) => finding.fingerprint));
  const introduced = afterFindings.find((finding) => !known.has(finding.fingerprint));
  if (introduced) return { reason: `the rewrite would add a finding: ${introduced.rule}: ${introduced.message}` };
  return undefined;
}

/** The files a lock's rules read: its folder and below, and every chart (a `file://` dependency may be anywhere). */
function folderOf(workspace: ParsedWorkspace, path: string): ParsedWorkspace {
  const dir = dirOf(path);
  const inFolder = (file: string) => dir === "" || file.startsWith(`${dir}/`);
  return { files: workspace.files.filter((file) => inFolder(file.path) || file.role === "helm-chart"), resources: workspace.resources.filter((resource) => inFolder(resource.file)) };
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
