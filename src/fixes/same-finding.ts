import type { Finding } from "../scan/finding.js";

/**
 * The same finding before and after an edit: same rule on the same node.
 * Fingerprints alone are not enough when an object is written twice in one
 * file, since their numbering shifts once the first copy is fixed.
 */
export function isSameFinding(a: Finding, b: Finding): boolean {
  if (a.rule !== b.rule) return false;
  if (!a.target || !b.target) return a.fingerprint === b.fingerprint;
  return a.target.document === b.target.document && a.target.path.length === b.target.path.length && a.target.path.every((part, index) => part === b.target?.path[index]);
}
