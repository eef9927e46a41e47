import type { Finding } from "../scan/finding.js";

/**
 * The same finding before and after an edit: same rule on the same node.
 * Fingerprints alone are not enough when an object is written twice in one
 * file, since their numbering shifts once the first copy is fixed. A finding
 * fixed on another object (`targetFile`) shares its target with others (two
 * certificates served by one Ingress) and its fix leaves it in place, so its
 * fingerprint tells it apart.
 */
export function isSameFinding(a: Finding, b: Finding): boolean {
  if (a.rule !== b.rule) return false;
  if (!a.target || !b.target || a.targetFile !== undefined || b.targetFile !== undefined) return a.fingerprint === b.fingerprint;
  return a.target.document === b.target.document && a.target.path.length === b.target.path.length && a.target.path.every((part, index) => part === b.target?.path[index]);
}
