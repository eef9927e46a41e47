import { compareFindings, type Finding } from "../scan/finding.js";

/** A pull request's head findings, split by whether its base already had them. */
export interface FindingDiff {
  /** In the head and not in the base: what the pull request adds. Sorted by location. */
  added: Finding[];
  /** In the head and already in the base. Sorted by location. */
  existing: Finding[];
  /** In the base and no longer in the head: what the pull request fixes (or removes). */
  resolved: number;
}

/**
 * Tells new findings from old ones by fingerprint, which does not change when
 * lines move. Where the same fingerprint occurs several times (two identical
 * containers, say), counts decide: the head has as many old ones as the base
 * had, the first in file order, and the rest are new.
 */
export function diffFindings(base: readonly Finding[], head: readonly Finding[]): FindingDiff {
  const remaining = new Map<string, number>();
  for (const finding of base) remaining.set(finding.fingerprint, (remaining.get(finding.fingerprint) ?? 0) + 1);
  const added: Finding[] = [];
  const existing: Finding[] = [];
  for (const finding of [...head].sort(compareFindings)) {
    const left = remaining.get(finding.fingerprint) ?? 0;
    if (left > 0) {
      remaining.set(finding.fingerprint, left - 1);
      existing.push(finding);
    } else {
      added.push(finding);
    }
  }
  const resolved = [...remaining.values()].reduce((sum, count) => sum + count, 0);
  return { added, existing, resolved };
}
