import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import type { Renderings } from "../scan/rendered.js";
import { withRenderings, type ScanResult } from "../scan/scan.js";
import { findKustomize } from "./binary.js";
import { kustomizeEntryPoints, remoteReference } from "./entry-points.js";
import { renderKustomizations, type KustomizeSource } from "./render.js";

export const KUSTOMIZE_TOO_OLD = "kustomize overlays were not rendered: the kustomize found is too old for origin annotations (kustomize 4.3 or kubectl 1.24 and later are), so each file was judged on its own";
export const KUSTOMIZE_UNAVAILABLE = "kustomize overlays were not rendered: neither kubectl nor kustomize is installed (or SHIPSHAPE_KUSTOMIZE is off), so each file was judged on its own";

/**
 * Renders every kustomization entry point of the scan and judges the
 * objects as they are deployed (src/scan/rendered.ts). A workspace without
 * kustomizations is returned as it was; without a kustomize binary, too,
 * with the sentence that says so once.
 */
export async function renderStep(
  scanned: ScanResult,
  source: KustomizeSource,
  options: { rules: readonly ActiveRule[]; fixSettings: FixSettings; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ scanned: ScanResult; problem?: string }> {
  const all = kustomizeEntryPoints(scanned.workspace.files);
  if (all.length === 0) return { scanned };
  const binary = findKustomize(options.env);
  if (!binary) return { scanned, problem: KUSTOMIZE_UNAVAILABLE };
  // An overlay of a remote base would need the network (and another repository's files): its objects are judged file by file.
  const paths = new Set(source.paths);
  const references = all.map((entry) => ({ entry, remote: remoteReference(paths, source.read, entry) }));
  const remote = references.flatMap((reference) => (reference.remote === undefined ? [] : [reference.remote]));
  const entries = references.filter((reference) => reference.remote === undefined).map((reference) => reference.entry);
  const remoteProblem = remote.length === 0 ? undefined : `${remote.length} ${remote.length === 1 ? "kustomization was" : "kustomizations were"} not rendered, as Shipshape does not fetch remote bases (${remote[0]}${remote.length > 1 ? ", …" : ""}): their objects were judged file by file`;
  const built = await renderKustomizations(source, entries, { binary, timeoutMs: options.timeoutMs ?? 30_000 });
  // kustomize before 4.3 (kubectl before 1.24) does not know buildMetadata: that says nothing about the repository.
  if (built.some((entry) => !entry.ok && /buildMetadata/.test(entry.reason))) return { scanned, problem: `${KUSTOMIZE_TOO_OLD} (${binary.path})` };
  const renderings: Renderings = { entries: built };
  return { scanned: withRenderings(scanned, options.rules, options.fixSettings, renderings), ...(remoteProblem ? { problem: remoteProblem } : {}) };
}
