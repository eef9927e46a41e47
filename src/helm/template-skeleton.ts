/**
 * The YAML skeleton of a Helm template: every `{{ … }}` action masked so that the rest parses as YAML
 * with the same offsets as the template. No rendering: what actions output is left to `template-values.ts`.
 */

/** One `{{ … }}` action of a template. */
export interface TemplateAction {
  /** [start, end) of the action, braces and trim markers included. */
  start: number;
  end: number;
  /** Words, strings (kept with their opening quote), `(`, `)`, `|`, `,`, `:=`, `=`; [] for a comment. */
  tokens: string[];
  comment: boolean;
  /** False for an unclosed `{{`: helm refuses such a template; the action then runs to its line's end. */
  closed: boolean;
  /** No output: if/else/end/with/range/define/block/break/continue, a `$x := …` declaration, a comment. */
  control: boolean;
  /** An output that makes YAML structure (alone on its line, or an inline `| nindent`): masked to spaces. */
  block: boolean;
  /** For a block output, the key it followed (`resources: {{- toYaml … }}`, or `resources:` on the line above). */
  key?: string;
}

export interface TemplateSkeleton {
  /** The masked text: same length and line breaks as the template. */
  text: string;
  actions: TemplateAction[];
  /** For an action opening a block (if/with/range/define/block), the index of its `end` (actions.length if unclosed). */
  ends: number[];
}

const CONTROL = new Set(["if", "else", "end", "with", "range", "define", "block", "break", "continue"]);
const OPENERS = new Set(["if", "with", "range", "define", "block"]);
// `:` stops a word so that `$x:=.Values.a` (no spaces) is three tokens.
const WORD_STOP = new Set([..." \t\r\n()|,=:\"'`"]);
const isSpace = (ch: string | undefined): boolean => ch === " " || ch === "\t" || ch === "\n" || ch === "\r";

/** Where the string opened at `start` closes. "…" and '…' give up at a line end: Go forbids newlines in them. */
function stringEnd(s: string, start: number): number {
  const quote = s[start];
  if (quote === "`") {
    const end = s.indexOf("`", start + 1);
    return end < 0 ? s.length : end;
  }
  let i = start + 1;
  while (i < s.length && s[i] !== quote && s[i] !== "\n") i += s[i] === "\\" ? 2 : 1;
  return Math.min(i, s.length);
}

/** The tokens of an action body (trim markers already removed). */
export function tokensOf(s: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if (isSpace(ch)) i++;
    else if (ch === '"' || ch === "'" || ch === "`") {
      const end = stringEnd(s, i);
      const content = s.slice(i + 1, end);
      tokens.push(ch + (ch === "`" ? content : content.replace(/\\(.)/g, "$1")));
      i = end + 1;
    } else {
      let end = ch === ":" && s[i + 1] === "=" ? i + 2 : i + 1;
      if (!WORD_STOP.has(ch) || (ch === ")" && s[end] === ".")) while (end < s.length && !WORD_STOP.has(s[end]!)) end++;
      tokens.push(s.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

/** The actions of a template, in order, before their block/key classification. Shared with src/images/helm-template-reads.ts. */
export function templateActions(text: string): TemplateAction[] {
  const actions: TemplateAction[] = [];
  for (let i = 0; ; ) {
    const open = text.indexOf("{{", i);
    if (open < 0) return actions;
    let start = open + 2;
    if (text[start] === "-" && isSpace(text[start + 1])) start += 1;
    while (isSpace(text[start])) start++;
    let close = -1;
    const comment = text.startsWith("/*", start);
    if (comment) {
      const end = text.indexOf("*/", start + 2); // a comment ends at the first `*/`, whatever it quotes
      close = end < 0 ? -1 : text.indexOf("}}", end + 2);
    } else {
      for (let k = start; k < text.length - 1 && close < 0; k++) {
        const ch = text[k];
        if (ch === '"' || ch === "'" || ch === "`") k = stringEnd(text, k); // strings may hold `}}`
        else if (ch === "}" && text[k + 1] === "}") close = k;
        else if (ch === "{" && text[k + 1] === "{") break; // a new action before this one closed: it is broken
      }
    }
    if (close < 0) {
      const lineEnd = text.indexOf("\n", open);
      const end = lineEnd < 0 ? text.length : lineEnd;
      actions.push({ start: open, end, tokens: [], comment, closed: false, control: true, block: true });
      i = end;
      continue;
    }
    let body = comment ? "" : text.slice(start, close);
    if (body.endsWith("-") && isSpace(body[body.length - 2])) body = body.slice(0, -1);
    const tokens = tokensOf(body);
    const declaration = tokens[0]?.startsWith("$") === true && (tokens[1] === ":=" || tokens[1] === "=" || tokens[1] === ",");
    const control = comment || CONTROL.has(tokens[0] ?? "") || declaration || tokens.length === 0;
    actions.push({ start: open, end: close + 2, tokens, comment, closed: true, control, block: false });
    i = close + 2;
  }
}

/** Index of each opener's `end`, and the else-branches [elseStart, endEnd) of if/with/range chains. */
function structure(actions: readonly TemplateAction[]): { ends: number[]; elseSpans: [number, number][] } {
  const ends = actions.map(() => -1);
  const open: { at: number; elseStart?: number }[] = [];
  const elseSpans: [number, number][] = [];
  actions.forEach((action, i) => {
    const word = action.comment ? undefined : action.tokens[0];
    if (OPENERS.has(word ?? "")) open.push({ at: i });
    else if (word === "else" && open.length > 0) open.at(-1)!.elseStart ??= action.start;
    else if (word === "end" && open.length > 0) {
      const frame = open.pop()!;
      ends[frame.at] = i;
      if (frame.elseStart !== undefined) elseSpans.push([frame.elseStart, action.end]);
    }
  });
  for (const frame of open) ends[frame.at] = actions.length;
  return { ends, elseSpans };
}

const lineStart = (text: string, at: number): number => text.lastIndexOf("\n", at - 1) + 1;
const lineEnd = (text: string, at: number): number => {
  const end = text.indexOf("\n", at);
  return end < 0 ? text.length : end;
};
/** Overwrites [from, to) with spaces, or with a placeholder scalar `x___` on its first line; line breaks kept. */
function overwrite(chars: string[], from: number, to: number, placeholder: boolean): void {
  let first = placeholder;
  for (let k = from; k < to; k++) {
    if (chars[k] === "\n" || chars[k] === "\r") {
      first = false;
      continue;
    }
    chars[k] = first ? (k === from ? "x" : "_") : " ";
  }
}

/**
 * The skeleton of a template: actions masked, keeping offsets. Control actions and outputs that make structure
 * become spaces (`resources:` before `{{- toYaml … | nindent 12 }}` is left an empty value); outputs used
 * as scalars become a placeholder scalar `x___` of the same length. Only the first branch of an if/with/range
 * chain is kept: alternatives (`if .Values.custom…` / `else`) would otherwise write the same key twice.
 */
export function templateSkeleton(text: string): TemplateSkeleton {
  const actions = templateActions(text);
  const { ends, elseSpans } = structure(actions);
  const bare = text.split("");
  for (const action of actions) overwrite(bare, action.start, action.end, false);
  const bareText = bare.join("");
  const chars = bare.slice();
  for (const action of actions) {
    const before = bareText.slice(lineStart(bareText, action.start), action.start);
    const after = bareText.slice(action.end, lineEnd(bareText, action.end));
    const alone = before.trim() === "" && after.trim() === "";
    if (action.control) continue;
    action.block = alone || action.tokens.includes("nindent");
    if (action.block) {
      const keyHere = /([^\s:]+):\s*$/.exec(before)?.[1];
      const above = lineStart(bareText, lineStart(bareText, action.start) - 1);
      const keyAbove = alone ? /^\s*(?:-\s+)?([^\s:]+):\s*$/.exec(bareText.slice(above, lineStart(bareText, action.start)))?.[1] : undefined;
      const key = keyHere ?? keyAbove;
      if (key !== undefined) action.key = key;
    } else overwrite(chars, action.start, action.end, true);
  }
  for (const [from, to] of elseSpans) overwrite(chars, from, to, false);
  return { text: chars.join(""), actions, ends };
}

/** The template's YAML skeleton: see `templateSkeleton`. */
export function maskTemplate(text: string): string {
  return templateSkeleton(text).text;
}
