import { diffLines } from "diff";
import type { AppliedFix, Changeset } from "../fixes/changeset.js";
import { fixFindings, type FixOptions } from "../fixes/engine.js";
import { fillText } from "../fixes/templates.js";
import { groupBy } from "../group-by.js";
import { compareFindings, type Finding } from "../scan/finding.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { checkPart, checkTexts, fenceFor } from "./check-texts.js";
import { hunkHolding, type ChangedLines } from "./patch-lines.js";

/** A review comment as POST /pulls/{n}/reviews takes it in `comments`. */
export interface SuggestionComment {
  path: string;
  /** The last line the suggestion replaces, in the head file. */
  line: number;
  side: "RIGHT";
  /** The first line, for a suggestion that replaces several. */
  start_line?: number;
  start_side?: "RIGHT";
  body: string;
}

export interface SuggestionInput {
  /** The head commit's files, as scanned. */
  workspace: ParsedWorkspace;
  /** The findings the pull request adds. */
  findings: readonly Finding[];
  /** The lines the pull request changed, per file. */
  changed: ReadonlyMap<string, ChangedLines>;
  fix: Omit<FixOptions, "digests">;
}

/** Suggestions in one review at most; the check run's annotations show every finding. */
export const MAX_SUGGESTIONS = 50;

/** A fix as lines of the head file: lines first to last (1-based, inclusive) become `lines`. */
export interface LineEdit {
  first: number;
  last: number;
  lines: string[];
  applied: AppliedFix[];
}

/**
 * Review comments that each carry one verified fix as a ```suggestion block,
 * for the new fixable findings on lines the pull request added or changed.
 * Each finding is fixed alone on the head's text; fixes whose lines
 * overlap (two keys added to the same container) are fixed together and
 * become one suggestion, so that committing one never breaks another. A fix
 * that edits outside one of the pull request's hunks, or another file, is
 * left out: GitHub only takes comments on lines its diff shows.
 */
export function suggestionComments(input: SuggestionInput): SuggestionComment[] {
  const candidates = input.findings
    .filter((finding) => finding.fixable && input.changed.get(finding.file)?.added.has(finding.line) === true)
    .sort(compareFindings);
  const comments: SuggestionComment[] = [];
  for (const [path, findings] of groupBy(candidates, (finding) => finding.file)) {
    const changed = input.changed.get(path) as ChangedLines;
    const singles = findings
      .map((finding) => ({ findings: [finding], edit: lineEditOf(fixFindings(input.workspace, [finding], input.fix), path) }))
      .flatMap(({ findings, edit }) => (edit ? [{ findings, edit }] : []))
      .sort((a, b) => a.edit.first - b.edit.first || a.edit.last - b.edit.last);
    for (const cluster of overlapping(singles)) {
      const edit = cluster.length === 1 ? cluster[0]?.edit : lineEditOf(fixFindings(input.workspace, cluster.flatMap((single) => single.findings), input.fix), path);
      if (!edit || !hunkHolding(changed, edit.first, edit.last)) continue;
      comments.push(suggestionComment(path, edit));
    }
  }
  return comments.slice(0, MAX_SUGGESTIONS);
}

/** Edits whose line ranges overlap, in clusters (the edits are sorted by first line). */
function overlapping<T extends { edit: LineEdit }>(edits: readonly T[]): T[][] {
  const clusters: T[][] = [];
  let last = -Infinity;
  for (const item of edits) {
    const current = clusters.at(-1);
    if (current && item.edit.first <= last) {
      current.push(item);
      last = Math.max(last, item.edit.last);
    } else {
      clusters.push([item]);
      last = item.edit.last;
    }
  }
  return clusters;
}

/**
 * The head file's lines a changeset replaces, and with what: the span from
 * the first changed line to the last. An insertion (what most fixes are) is
 * anchored on the line before it, which the suggestion repeats.
 */
export function lineEditOf(changeset: Changeset, path: string): LineEdit | undefined {
  const [change, ...others] = changeset.files;
  if (!change || others.length > 0 || change.path !== path) return undefined;
  const applied = changeset.applied.filter((fix) => fix.file === path);
  if (applied.length === 0) return undefined;
  let oldLine = 0;
  let newLine = 0;
  let start: { old: number; new: number } | undefined;
  let end = { old: 0, new: 0 };
  for (const part of diffLines(change.before, change.after)) {
    const count = part.count ?? 0;
    if (!part.added && !part.removed) {
      oldLine += count;
      newLine += count;
      continue;
    }
    start ??= { old: oldLine, new: newLine };
    if (part.removed) oldLine += count;
    else newLine += count;
    end = { old: oldLine, new: newLine };
  }
  if (!start) return undefined;
  const newLines = linesOf(change.after);
  if (end.old > start.old) return { first: start.old + 1, last: end.old, lines: newLines.slice(start.new, end.new), applied };
  // An insertion: repeat the line before it, or after it at the top of the file.
  if (start.old > 0) return { first: start.old, last: start.old, lines: newLines.slice(start.new - 1, end.new), applied };
  if (linesOf(change.before).length === 0) return undefined;
  return { first: 1, last: 1, lines: newLines.slice(0, end.new + 1), applied };
}

/** The review comment for an edit: what the fixes do and what to check first, then the suggestion block. */
export function suggestionComment(path: string, edit: LineEdit): SuggestionComment {
  const texts = checkTexts();
  const fixes = [...edit.applied].sort((a, b) => compareFindings(a.finding, b.finding));
  const risks = [...new Set(fixes.map((fix) => fix.risk.trim()).filter((risk) => risk !== ""))];
  const explanation = [fixes.map((fix) => fix.explanation.trim()).join(" "), ...risks.map((risk) => fillText(texts.risk, { risk }))].join("\n\n");
  const lines = edit.lines.join("\n");
  const body = fillText(checkPart("suggestion"), { explanation, fence: fenceFor(lines), lines });
  return {
    path,
    line: edit.last,
    side: "RIGHT",
    ...(edit.first < edit.last ? { start_line: edit.first, start_side: "RIGHT" as const } : {}),
    body,
  };
}

/** A text's lines without their line endings (a final newline ends the last line; it does not start another). */
function linesOf(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
