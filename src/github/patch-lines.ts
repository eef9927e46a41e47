import { parsePatch } from "diff";

/** Where a pull request changed a file, in the head file's line numbers (1-based). */
export interface ChangedLines {
  /** The lines each hunk shows on the head side, context included: where review comments may go. Inclusive. */
  hunks: { start: number; end: number }[];
  /** Lines the pull request added or changed. */
  added: Set<number>;
}

/**
 * Reads the `patch` of a pull request file (as GET /pulls/{n}/files returns
 * it: unified diff hunks without file headers). A patch that cannot be read
 * (GitHub leaves it out for large and binary diffs) changes no line.
 */
export function changedLinesOf(patch: string | undefined): ChangedLines {
  const changed: ChangedLines = { hunks: [], added: new Set() };
  if (patch === undefined || patch === "") return changed;
  let hunks;
  try {
    hunks = parsePatch(patch)[0]?.hunks ?? [];
  } catch {
    return changed;
  }
  for (const hunk of hunks) {
    if (hunk.newLines > 0) changed.hunks.push({ start: hunk.newStart, end: hunk.newStart + hunk.newLines - 1 });
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (text.startsWith("+")) changed.added.add(line++);
      else if (text.startsWith(" ") || text === "") line++;
      // "-" lines are gone from the head, and "\ No newline at end of file" is not a line.
    }
  }
  return changed;
}

/** The hunk that holds lines first to last (inclusive), if one does: a multi-line comment must stay within one. */
export function hunkHolding(changed: ChangedLines, first: number, last: number): { start: number; end: number } | undefined {
  return changed.hunks.find((hunk) => hunk.start <= first && last <= hunk.end);
}
