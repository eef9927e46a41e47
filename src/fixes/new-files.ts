import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings, Limits } from "../config/types.js";
import { appendToSequence, setIn } from "../edit/editor.js";
import { dirOf } from "../lockfiles/helm-charts.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { Finding } from "../scan/finding.js";
import { fingerprintOf } from "../scan/fingerprint.js";
import { parseWorkspace, type ParsedWorkspace } from "../scan/parse-workspace.js";
import { runRules } from "../scan/scan.js";
import { get } from "../yaml/nodes.js";
import type { Changeset, FileChange } from "./changeset.js";
import { FIXES } from "./registry.js";

export interface NewFileFixOptions {
  rules: readonly ActiveRule[];
  settings: FixSettings;
  limits: Limits;
  now: Date;
}

/**
 * Fixes that add a manifest (a PodDisruptionBudget beside its Deployment):
 * each writes its new files, lists them in the kustomizations that list the
 * object's file, and is verified on the folders it touches: the new files
 * parse, the kustomizations stay valid, the finding is gone and nothing new
 * appears. A file that already exists is never overwritten.
 */
export function fixWithNewFiles(workspace: ParsedWorkspace, findings: readonly Finding[], options: NewFileFixOptions): Changeset {
  const changeset: Changeset = { files: [], applied: [], skipped: [] };
  let current = workspace;
  const changed = new Map<string, FileChange>();
  for (const finding of findings) {
    const skip = (reason: string) => changeset.skipped.push({ rule: finding.rule, file: finding.file, finding, reason });
    if (!finding.fixable) {
      skip(finding.notFixableReason ?? "no fix applies");
      continue;
    }
    const active = options.rules.find((candidate) => candidate.rule.id === finding.rule);
    const fix = active?.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
    if (fix?.scope !== "new-file" || !active?.rule.fix) {
      skip("no fix applies");
      continue;
    }
    const resource = current.resources.find((candidate) => candidate.file === finding.file && candidate.kind === finding.resource?.kind && candidate.name === finding.resource.name && candidate.namespace === finding.resource.namespace);
    const planned = fix.plan({ workspace: current, file: finding.file, resource }, active.rule.fix.params, options.settings);
    if (!planned.ok) {
      skip(planned.reason);
      continue;
    }
    const taken = planned.plan.files.find((file) => current.files.some((existing) => existing.path === file.path));
    if (taken) {
      skip(`${taken.path} already exists; Shipshape does not overwrite it`);
      continue;
    }
    const edits = listIn(current, planned.plan.listIn);
    if ("reason" in edits) {
      skip(edits.reason);
      continue;
    }
    const written = [...planned.plan.files.map((file) => ({ path: file.path, text: file.render() })), ...edits];
    const next = withFiles(current, written, options.limits);
    const verdict = verify(current, next, written, finding, options);
    if (verdict !== undefined) {
      skip(`the fix was dropped: ${verdict}`);
      continue;
    }
    const id = fingerprintOf([finding.fingerprint, fix.name]);
    changeset.applied.push({ id, rule: finding.rule, file: planned.plan.files[0]?.path ?? finding.file, finding, explanation: planned.plan.explanation, risk: planned.plan.risk, risky: planned.plan.risky });
    for (const file of written) {
      const original = workspace.files.find((candidate) => candidate.path === file.path);
      const before = changed.get(file.path);
      changed.set(file.path, {
        path: file.path,
        before: original?.text ?? "",
        after: file.text,
        ...(original ? {} : { created: true as const }),
        fixes: [...(before?.fixes ?? []), id],
      });
    }
    current = next;
  }
  changeset.files.push(...changed.values());
  return changeset;
}

/** The kustomizations with the new entries added to `resources` (created when missing). */
function listIn(workspace: ParsedWorkspace, entries: readonly { kustomization: string; entry: string }[]): { path: string; text: string }[] | { reason: string } {
  const texts = new Map<string, string>();
  for (const { kustomization, entry } of entries) {
    const file = workspace.files.find((candidate) => candidate.path === kustomization);
    if (!file) return { reason: `${kustomization} could not be read` };
    const text = texts.get(kustomization) ?? file.text;
    const edited = get(file.documents[0]?.root, "resources") ? appendToSequence(text, 0, ["resources"], entry) : setIn(text, 0, ["resources"], [entry]);
    if (!edited.ok) return { reason: `${kustomization}: ${edited.reason}` };
    texts.set(kustomization, edited.text);
  }
  return [...texts].map(([path, text]) => ({ path, text }));
}

/** The workspace with these files written (replaced or added), parsed as a scan parses them. */
function withFiles(workspace: ParsedWorkspace, files: readonly { path: string; text: string }[], limits: Limits): ParsedWorkspace {
  const paths = new Set(files.map((file) => file.path));
  const roleOf = (path: string) => workspace.files.find((file) => file.path === path)?.role ?? "yaml";
  const parsed = parseWorkspace(files.map((file) => ({ path: file.path, role: roleOf(file.path) === "kustomization" ? "kustomization" : "yaml", size: file.text.length, text: file.text })), limits);
  return {
    files: [...workspace.files.filter((file) => !paths.has(file.path)), ...parsed.files],
    resources: [...workspace.resources.filter((resource) => !paths.has(resource.file)), ...parsed.resources],
  };
}

/** The folders the fix touched, judged before and after: the new files parse, the finding is gone, nothing new appears. */
function verify(before: ParsedWorkspace, after: ParsedWorkspace, written: readonly { path: string }[], finding: Finding, options: NewFileFixOptions): string | undefined {
  const problem = after.files.filter((file) => written.some((one) => one.path === file.path)).flatMap((file: ParsedFile) => file.problems)[0];
  if (problem) return `a written file does not parse: ${problem.message}`;
  const folders = new Set([dirOf(finding.file), ...written.map((file) => dirOf(file.path))]);
  const near = (workspace: ParsedWorkspace): ParsedWorkspace => ({
    files: workspace.files.filter((file) => folders.has(dirOf(file.path))),
    resources: workspace.resources.filter((resource) => folders.has(dirOf(resource.file))),
  });
  const judge = (workspace: ParsedWorkspace) => runRules(near(workspace), options.rules, options.settings, { now: options.now });
  const then = new Set(judge(before).map((one) => one.fingerprint));
  const now = judge(after);
  if (now.some((one) => one.fingerprint === finding.fingerprint)) return "the finding is still there after the new file was added";
  const added = now.find((one) => !then.has(one.fingerprint));
  return added ? `it would add a finding: ${added.rule}: ${added.message}` : undefined;
}
