/**
 * Dockerfile instructions with the offset of every character, so that a
 * token can be pointed at (and edited) in the file as written. Knows parser
 * directives (`# escape=`), comments, line continuations (with comment and
 * blank lines inside them), CRLF, and heredoc bodies (`RUN <<EOF … EOF`),
 * whose lines are not instructions.
 */
export interface DockerfileInstruction {
  /** The instruction name, upper-cased: `FROM`, `ARG`, `COPY`… */
  keyword: string;
  /** Offset of the instruction name. */
  offset: number;
  /** The arguments, continuations joined. */
  args: string;
  /** File offset of each character of `args`. */
  offsets: readonly number[];
}

export interface DockerfileToken {
  text: string;
  /** File offsets of the first character and just past the last. */
  offset: number;
  end: number;
}

export interface ParsedDockerfile {
  /** The escape character: `\` unless a `# escape=` directive says "`". */
  escape: string;
  instructions: DockerfileInstruction[];
}

interface Line {
  start: number;
  /** The line without its line ending. */
  content: string;
}

const DIRECTIVE = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\S*)\s*$/;
const INSTRUCTION = /^(\s*)([A-Za-z]+)(?=\s|$)\s*/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = splitLines(text);
  let escape = "\\";
  let index = 0;
  for (; index < lines.length; index += 1) {
    const directive = DIRECTIVE.exec(lines[index]!.content);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === "escape" && (directive[2] === "`" || directive[2] === "\\")) escape = directive[2];
  }
  const instructions: DockerfileInstruction[] = [];
  while (index < lines.length) {
    const line = lines[index]!;
    const trimmed = line.content.trimStart();
    index += 1;
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = INSTRUCTION.exec(line.content);
    if (!match) continue;
    const instruction = { keyword: match[2]!.toUpperCase(), offset: line.start + match[1]!.length, args: "", offsets: [] as number[] };
    let segment: Line = { start: line.start + match[0].length, content: line.content.slice(match[0].length) };
    for (;;) {
      const continued = continuation(segment.content, escape);
      const kept = continued === undefined ? segment.content : segment.content.slice(0, continued);
      for (let i = 0; i < kept.length; i += 1) instruction.offsets.push(segment.start + i);
      instruction.args += kept;
      if (continued === undefined) break;
      while (index < lines.length && isSkippedInContinuation(lines[index]!.content)) index += 1;
      const next = lines[index];
      if (!next) break;
      index += 1;
      segment = next;
    }
    instructions.push(instruction);
    if (HEREDOC_KEYWORDS.has(instruction.keyword)) index = skipHeredocs(instruction.args, lines, index);
  }
  return { escape, instructions };
}

/** Splits `args` at whitespace outside quotes; quotes stay in the tokens. */
export function tokens(instruction: DockerfileInstruction, from = 0): DockerfileToken[] {
  const found: DockerfileToken[] = [];
  const { args, offsets } = instruction;
  let start = -1;
  let quote = "";
  for (let i = from; i <= args.length; i += 1) {
    const char = args[i];
    if (char !== undefined && quote !== "") {
      if (char === quote) quote = "";
      continue;
    }
    const blank = char === undefined || char === " " || char === "\t";
    if (!blank && start === -1) start = i;
    if (char === '"' || char === "'") quote = char;
    if (blank && start !== -1) {
      found.push({ text: args.slice(start, i), offset: offsets[start]!, end: offsets[i - 1]! + 1 });
      start = -1;
    }
  }
  return found;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf("\n", start);
    const stop = newline === -1 ? text.length : newline;
    const content = text.slice(start, stop);
    lines.push({ start, content: content.endsWith("\r") ? content.slice(0, -1) : content });
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}

/** Where the escape character that continues the line sits, if it does (trailing blanks after it are allowed). */
function continuation(content: string, escape: string): number | undefined {
  const trimmed = content.replace(/[ \t]+$/, "");
  if (!trimmed.endsWith(escape)) return undefined;
  // An escaped escape character (`\\`) at the end does not continue the line.
  let run = 0;
  for (let i = trimmed.length - 1; i >= 0 && trimmed[i] === escape; i -= 1) run += 1;
  return run % 2 === 1 ? trimmed.length - 1 : undefined;
}

function isSkippedInContinuation(content: string): boolean {
  const trimmed = content.trimStart();
  return trimmed === "" || trimmed.startsWith("#");
}

function skipHeredocs(args: string, lines: readonly Line[], index: number): number {
  let next = index;
  for (const match of args.matchAll(HEREDOC)) {
    const stripTabs = match[1] === "-";
    const word = match[3]!;
    while (next < lines.length) {
      const content = lines[next]!.content;
      next += 1;
      if ((stripTabs ? content.replace(/^\t+/, "") : content) === word) break;
    }
  }
  return next;
}
