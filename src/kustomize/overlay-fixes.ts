import { parseAllDocuments, stringify } from "yaml";
import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings, Limits } from "../config/types.js";
import { appendToSequence, setIn } from "../edit/editor.js";
import { isPlainObject, type PlainValue } from "../edit/render.js";
import type { AppliedFix, Changeset, FileChange, SkippedFix } from "../fixes/changeset.js";
import { FIXES } from "../fixes/registry.js";
import { groupBy } from "../group-by.js";
import { CONTAINER_LISTS, containersOf, podSpecOf } from "../model/pods.js";
import type { Finding } from "../scan/finding.js";
import { fingerprintOf } from "../scan/fingerprint.js";
import type { Rendering } from "../scan/rendered.js";
import { withRenderings, type ScanResult } from "../scan/scan.js";
import { get, getText, seqItems } from "../yaml/nodes.js";
import { findKustomize, type KustomizeBinary } from "./binary.js";
import { folderOf } from "./entry-points.js";
import { renderKustomizations, type KustomizeSource } from "./render.js";

/** The patch file Shipshape keeps in an overlay: its own, so it may be rewritten whole. */
export const OVERLAY_PATCH_FILE = "shipshape-patches.yaml";

export interface OverlayFixOptions {
  rules: readonly ActiveRule[];
  settings: FixSettings;
  limits: Limits;
  source: KustomizeSource;
  binary: KustomizeBinary;
}

/**
 * `fixes.kustomize.fixIn: overlay`: a finding that some overlays still
 * deploy is fixed in each of them, not in the base they share: the container
 * fix's values go into a strategic-merge patch (`shipshape-patches.yaml`,
 * listed in the overlay's `patches`). Each overlay is built again with the
 * new files before the change is kept: the findings must be gone from its
 * rendering, and nothing new may appear.
 */
export async function fixInOverlays(scanned: ScanResult, findings: readonly Finding[], options: OverlayFixOptions): Promise<Changeset> {
  const changeset: Changeset = { files: [], applied: [], skipped: [] };
  const byEntry = groupBy(
    findings.flatMap((finding) => (finding.fixable ? (finding.overlays ?? []) : []).map((entry) => ({ entry, finding }))),
    (item) => item.entry,
  );
  const skip = (finding: Finding, reason: string) => changeset.skipped.push({ rule: finding.rule, file: finding.file, finding, reason } satisfies SkippedFix);
  for (const finding of findings) if (!finding.fixable) skip(finding, finding.notFixableReason ?? "no fix applies");
  for (const [entry, items] of byEntry) {
    const planned = items.map(({ finding }) => ({ finding, patch: patchOf(scanned, finding, options) }));
    for (const { finding, patch } of planned) if ("reason" in patch) skip(finding, patch.reason);
    const fixable = planned.filter((item): item is { finding: Finding; patch: Patch } => !("reason" in item.patch));
    if (fixable.length === 0) continue;
    const written = writeOverlay(scanned, entry, fixable.map((item) => item.patch));
    if ("reason" in written) {
      for (const { finding } of fixable) skip(finding, written.reason);
      continue;
    }
    const verdict = await verifyOverlay(scanned, entry, written, fixable.map((item) => item.finding), options);
    if (verdict !== undefined) {
      for (const { finding } of fixable) skip(finding, `the fix was dropped: ${verdict}`);
      continue;
    }
    const applied: AppliedFix[] = fixable.map(({ finding, patch }) => ({
      id: fingerprintOf([finding.fingerprint, "overlay", entry]),
      rule: finding.rule,
      file: written.patchFile.path,
      finding,
      explanation: `${patch.explanation.replace(/\.$/, "")}, in ${entry || "."}'s ${OVERLAY_PATCH_FILE}.`,
      risk: patch.risk,
      risky: patch.risky,
    }));
    changeset.applied.push(...applied);
    for (const file of [written.patchFile, written.kustomization]) if (file.after !== file.before) changeset.files.push({ ...file, fixes: applied.map((fix) => fix.id) });
  }
  return changeset;
}

interface Patch {
  object: Record<string, PlainValue>;
  explanation: string;
  risk: string;
  risky: boolean;
}

/** The container fix of a finding, as a strategic-merge patch of its object (containers matched by name). */
function patchOf(scanned: ScanResult, finding: Finding, options: OverlayFixOptions): Patch | { reason: string } {
  const active = options.rules.find((candidate) => candidate.rule.id === finding.rule);
  const fix = active?.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
  const resource = scanned.workspace.resources.find((candidate) => candidate.file === finding.file && candidate.kind === finding.resource?.kind && candidate.name === finding.resource.name);
  const pod = resource ? podSpecOf(resource) : undefined;
  const container = pod ? containersOf(pod, CONTAINER_LISTS).find((candidate) => candidate.name === finding.container) : undefined;
  if (!resource || !container || fix?.scope !== "container" || !active?.rule.fix) return { reason: "only container fixes can be written as an overlay patch" };
  const planned = fix.plan(container, active.rule.fix.params, options.settings);
  if (!planned.ok) return { reason: planned.reason };
  const metadata: Record<string, PlainValue> = { name: resource.name, ...(resource.namespace ? { namespace: resource.namespace } : {}) };
  const object: Record<string, PlainValue> = { apiVersion: resource.apiVersion, kind: resource.kind, metadata };
  const listPath = container.path.slice(resource.path.length, -1) as string[];
  for (const change of planned.plan.changes) {
    const rest = change.path.slice(container.path.length) as string[];
    const item = nested({ name: container.name }, rest, change.value);
    mergeInto(object, nested({}, listPath, [item]));
  }
  return { object, explanation: planned.plan.explanation, risk: planned.plan.risk, risky: planned.plan.risky };
}

/** `base` with `value` set at `path`. */
function nested(base: Record<string, PlainValue>, path: readonly string[], value: PlainValue): Record<string, PlainValue> {
  if (path.length === 0) return isPlainObject(value) ? { ...base, ...value } : base;
  const [step, ...rest] = path as [string, ...string[]];
  return { ...base, [step]: rest.length === 0 ? value : nested({}, rest, value) };
}

/** Deep merge, with lists of named items (containers) merged by name, as a strategic-merge patch does. */
function mergeInto(target: Record<string, PlainValue>, source: Record<string, PlainValue>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (Array.isArray(existing) && Array.isArray(value)) {
      for (const item of value) {
        const same = isPlainObject(item) ? existing.find((candidate) => isPlainObject(candidate) && candidate["name"] === item["name"]) : undefined;
        if (isPlainObject(same) && isPlainObject(item)) mergeInto(same, item);
        else existing.push(item);
      }
    } else if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value);
    else target[key] = value;
  }
}

type WrittenOverlay = { patchFile: Omit<FileChange, "fixes">; kustomization: Omit<FileChange, "fixes"> };

/** The overlay's patch file with these patches merged in, and its kustomization listing it. */
function writeOverlay(scanned: ScanResult, entry: string, patches: readonly Patch[]): WrittenOverlay | { reason: string } {
  const inEntry = (name: string) => (entry === "" ? name : `${entry}/${name}`);
  const kustomization = scanned.workspace.files.find((file) => file.role === "kustomization" && folderOf(file.path) === entry);
  if (!kustomization) return { reason: `${entry || "."} has no kustomization file Shipshape could read` };
  const patchPath = inEntry(OVERLAY_PATCH_FILE);
  const existing = scanned.workspace.files.find((file) => file.path === patchPath);
  const objects = existing ? parseAllDocuments(existing.text).map((document) => document.toJS() as Record<string, PlainValue>) : [];
  for (const { object } of patches) {
    const same = objects.find((candidate) => candidate["kind"] === object["kind"] && JSON.stringify(candidate["metadata"]) === JSON.stringify(object["metadata"]));
    if (same) mergeInto(same, structuredClone(object));
    else objects.push(structuredClone(object));
  }
  const header = "# Written by Shipshape: fixes for what this overlay deploys, as strategic-merge patches.\n";
  const text = header + objects.map((object) => stringify(object)).join("---\n");
  const patchFile = { path: patchPath, before: existing?.text ?? "", after: text, ...(existing ? {} : { created: true as const }) };
  const patchesNode = get(kustomization.documents[0]?.root, "patches");
  const listed = seqItems(patchesNode).some((item) => getText(item, "path") === OVERLAY_PATCH_FILE);
  const edited = listed
    ? { ok: true as const, text: kustomization.text }
    : patchesNode !== undefined
      ? appendToSequence(kustomization.text, 0, ["patches"], { path: OVERLAY_PATCH_FILE })
      : setIn(kustomization.text, 0, ["patches"], [{ path: OVERLAY_PATCH_FILE }]);
  if (!edited.ok) return { reason: `${kustomization.path}: ${edited.reason}` };
  return { patchFile, kustomization: { path: kustomization.path, before: kustomization.text, after: edited.text } };
}

/** Builds the overlay again with the new files: the fixed findings must be gone from what it deploys, and nothing new appear. */
async function verifyOverlay(scanned: ScanResult, entry: string, written: WrittenOverlay, fixed: readonly Finding[], options: OverlayFixOptions): Promise<string | undefined> {
  const changed = new Map([written.patchFile, written.kustomization].map((file) => [file.path, Buffer.from(file.after)]));
  const source: KustomizeSource = { paths: [...new Set([...options.source.paths, ...changed.keys()])], read: (path) => changed.get(path) ?? options.source.read(path) };
  const [before, after] = await Promise.all([options.source, source].map((from) => renderKustomizations(from, [entry], { binary: options.binary, timeoutMs: 30_000 })));
  const built = after?.[0];
  if (!built?.ok) return `${entry || "."} no longer builds: ${built?.ok === false ? built.reason : "no output"}`;
  const judge = (rendering: Rendering) => withRenderings(scanned, options.rules, options.settings, { entries: [rendering] }).findings.filter((finding) => finding.overlays?.includes(entry) || finding.message.endsWith(`as ${entry || "."} deploys it`));
  const then = before?.[0] ? judge(before[0]) : [];
  const now = judge(built);
  const left = now.find((finding) => fixed.some((one) => one.fingerprint === finding.fingerprint));
  if (left) return `the finding is still there in ${entry || "."}'s rendering: ${left.message}`;
  const known = new Set(then.map((finding) => finding.fingerprint));
  const added = now.find((finding) => !known.has(finding.fingerprint));
  return added ? `the patch would add a finding in ${entry || "."}: ${added.rule}: ${added.message}` : undefined;
}

/**
 * A changeset with the overlay fixes added, when the config asks for them and the scan rendered its overlays:
 * the findings fixFindings left to the overlays are fixed there.
 */
export async function withOverlayFixes(changeset: Changeset, scanned: ScanResult, findings: readonly Finding[], options: Omit<OverlayFixOptions, "binary"> & { env?: NodeJS.ProcessEnv }): Promise<Changeset> {
  const binary = findKustomize(options.env);
  const wanted = findings.filter((finding) => finding.overlays !== undefined && options.rules.some((active) => active.rule.id === finding.rule && active.rule.fix));
  if (options.settings.kustomize.fixIn !== "overlay" || !scanned.renderings || !binary || wanted.length === 0) return changeset;
  const overlays = await fixInOverlays(scanned, wanted, { ...options, binary });
  return { files: [...changeset.files, ...overlays.files], applied: [...changeset.applied, ...overlays.applied], skipped: [...changeset.skipped, ...overlays.skipped] };
}
