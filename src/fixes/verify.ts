import { isDeepStrictEqual } from "node:util";
import type { PlainValue } from "../edit/render.js";
import type { Finding } from "../scan/finding.js";
import type { FileState } from "./file-state.js";
import { isSameFinding } from "./same-finding.js";
import type { DataChange } from "./types.js";

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * A fix is kept only when the edited file parses as before, holds exactly the
 * original data plus the intended change, no longer has the finding, and has
 * no finding it did not have before. A fix that says it does not resolve its
 * finding by itself (`resolvesFinding: false`) is spared only the check that
 * the finding is gone.
 */
export function verifyFix(
  before: FileState,
  after: FileState,
  document: number,
  changes: readonly DataChange[],
  fixed: Finding,
  { resolvesFinding = true }: { resolvesFinding?: boolean } = {},
): Verdict {
  const newProblems = after.problems.filter((problem) => !before.problems.includes(problem));
  if (newProblems.length > 0) return { ok: false, reason: `the edited file does not parse cleanly: ${newProblems[0]}` };
  if (after.data.length !== before.data.length) return { ok: false, reason: "the edit changed the number of documents" };
  const expected = before.data.map((data, index) => (index === document ? changes.reduce((value, change) => withValue(value, change.path, change.append ? appended(value, change.path, change.value) : change.value), data) : data));
  if (!isDeepStrictEqual(after.data, expected)) return { ok: false, reason: "the edited file holds other data than the intended change" };
  if (resolvesFinding && after.findings.some((finding) => isSameFinding(finding, fixed))) return { ok: false, reason: "the finding is still there after the edit" };
  const beforeFingerprints = new Set(before.findings.map((finding) => finding.fingerprint));
  const introduced = after.findings.find((finding) => !beforeFingerprints.has(finding.fingerprint));
  if (introduced) return { ok: false, reason: `the edit would add a finding: ${introduced.rule}: ${introduced.message}` };
  return { ok: true };
}

/** The list at `path` in `value` with `item` added at its end. */
function appended(value: PlainValue, path: readonly (string | number)[], item: PlainValue): PlainValue {
  const list = path.reduce<PlainValue | undefined>((node, step) => (node !== null && typeof node === "object" ? (node as Record<string | number, PlainValue>)[step] : undefined), value);
  return [...(Array.isArray(list) ? list : []), item];
}

/** `value` with `path` set, creating mappings where keys are missing or empty, as the editor does. */
function withValue(value: PlainValue, path: readonly (string | number)[], leaf: PlainValue): PlainValue {
  const [step, ...rest] = path;
  if (step === undefined) return leaf;
  if (typeof step === "number") {
    const items = Array.isArray(value) ? [...value] : [];
    items[step] = withValue(items[step] ?? null, rest, leaf);
    return items;
  }
  const object = value !== null && typeof value === "object" && !Array.isArray(value) ? { ...value } : {};
  object[step] = withValue(object[step] ?? null, rest, leaf);
  return object;
}
