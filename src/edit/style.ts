/** How a file is written, so that what Shipshape adds looks like what people wrote. */
export interface FileStyle {
  eol: "\n" | "\r\n";
  /** Spaces per nesting level of mappings. */
  indentUnit: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false). */
  indentSequences: boolean;
  finalNewline: boolean;
}

export const DEFAULT_STYLE: FileStyle = { eol: "\n", indentUnit: 2, indentSequences: true, finalNewline: true };

const KEY_LINE = /^( *)(?:- +)?[^\s#-][^:#]*:\s*(?:#.*)?$/;
const ITEM_LINE = /^( *)- /;

/** Reads indentation, sequence style, line endings and the final newline from the text itself. */
export function detectStyle(text: string): FileStyle {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const lines = text.split(/\r?\n/);
  const steps = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  for (let index = 0; index < lines.length - 1; index += 1) {
    const line = lines[index] ?? "";
    if (!KEY_LINE.test(line)) continue;
    // The key's column: past any "- " that starts the line.
    const keyColumn = line.length - line.trimStart().replace(/^- +/, "").length;
    const next = nextContentLine(lines, index + 1);
    if (next === undefined) continue;
    const item = ITEM_LINE.exec(next);
    const nextIndent = next.length - next.trimStart().length;
    if (item) {
      if (nextIndent === keyColumn) flush += 1;
      else if (nextIndent > keyColumn) indented += 1;
    } else if (nextIndent > keyColumn) {
      const step = nextIndent - keyColumn;
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
  }
  return {
    eol: crlf > lf ? "\r\n" : "\n",
    indentUnit: mostCommon(steps) ?? DEFAULT_STYLE.indentUnit,
    indentSequences: indented === 0 && flush === 0 ? DEFAULT_STYLE.indentSequences : indented >= flush,
    finalNewline: text.length === 0 ? DEFAULT_STYLE.finalNewline : text.endsWith("\n"),
  };
}

function nextContentLine(lines: readonly string[], from: number): string | undefined {
  for (let index = from; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const trimmed = line.trim();
    if (trimmed !== "" && !trimmed.startsWith("#")) return line;
  }
  return undefined;
}

function mostCommon(counts: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
