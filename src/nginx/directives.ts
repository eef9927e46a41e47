/**
 * The directives of an nginx configuration, read the way nginx's own
 * tokenizer (ngx_conf_read_token) reads them: words separated by whitespace,
 * `#` comments to the end of the line (only where a word could start),
 * "double" and 'single' quoted words with backslash escapes, `;` ending a
 * simple directive, `{` opening a block and `}` closing it, and `${name}`
 * kept inside a word. Offsets are into the text given. Never throws: what
 * nginx would reject (an unclosed quote or block, a stray `}`) is read as far
 * as it goes, and a directive the text ends inside has no terminator.
 */

/** One argument as written: its span (quotes included) and the value nginx reads. */
export interface NginxArgument {
  offset: number;
  end: number;
  value: string;
  quoted: boolean;
}

export interface NginxDirective {
  name: string;
  /** Where its name starts. */
  offset: number;
  args: NginxArgument[];
  /** The `;` ending a simple directive or the `{` opening a block; undefined when the text ends first. */
  terminator: { char: ";" | "{"; offset: number } | undefined;
  /** The blocks it sits in, outermost first (["http", "server"]). */
  context: string[];
  /**
   * Names it by its place, not its line: the blocks around it and the directive, each with its ordinal
   * among same-named siblings (`http[0]/server[1]/ssl_protocols[0]`). Editing arguments keeps keys unchanged.
   */
  key: string;
  /** Comments written between its name and its terminator, as [start, end) spans. */
  comments: [number, number][];
}

interface Block {
  name: string;
  key: string;
  /** How many children of each name the block has had so far. */
  seen: Map<string, number>;
}

const SPACE = new Set([" ", "\t", "\r", "\n"]);
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", "\\": "\\", t: "\t", r: "\r", n: "\n" };

/** Every directive of `text`, simple and block, in the order written. */
export function nginxDirectives(text: string): NginxDirective[] {
  const directives: NginxDirective[] = [];
  const stack: Block[] = [{ name: "", key: "", seen: new Map() }];
  let words: NginxArgument[] = [];
  let comments: [number, number][] = [];
  let index = 0;

  const finish = (terminator: NginxDirective["terminator"]): Block | undefined => {
    const [first, ...args] = words;
    const parent = stack[stack.length - 1] as Block;
    words = [];
    const found = comments;
    comments = [];
    if (!first) return undefined;
    const ordinal = parent.seen.get(first.value) ?? 0;
    parent.seen.set(first.value, ordinal + 1);
    const key = `${parent.key}${first.value}[${ordinal}]`;
    directives.push({ name: first.value, offset: first.offset, args, terminator, context: stack.slice(1).map((block) => block.name), key, comments: found });
    return { name: first.value, key: `${key}/`, seen: new Map() };
  };

  while (index < text.length) {
    const char = text[index] as string;
    if (SPACE.has(char)) {
      index += 1;
    } else if (char === "#") {
      const end = lineEnd(text, index);
      if (words.length > 0) comments.push([index, end]);
      index = end;
    } else if (char === ";") {
      finish({ char, offset: index });
      index += 1;
    } else if (char === "{") {
      const block = finish({ char, offset: index });
      stack.push(block ?? { name: "", key: `${(stack[stack.length - 1] as Block).key}{}/`, seen: new Map() });
      index += 1;
    } else if (char === "}") {
      // A directive left open before `}` is what nginx calls "unexpected }": it is dropped.
      words = [];
      comments = [];
      if (stack.length > 1) stack.pop();
      index += 1;
    } else if (char === '"' || char === "'") {
      const word = quotedWord(text, index, char);
      words.push(word);
      index = word.end;
    } else {
      const word = plainWord(text, index);
      words.push(word);
      index = word.end;
    }
  }
  finish(undefined);
  return directives;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf("\n", from);
  return newline === -1 ? text.length : newline;
}

/** A quoted word, to its closing quote (or the end of the text). */
function quotedWord(text: string, start: number, quote: string): NginxArgument {
  let value = "";
  let index = start + 1;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === "\\" && index + 1 < text.length) {
      const next = text[index + 1] as string;
      value += ESCAPES[next] ?? `\\${next}`;
      index += 2;
      continue;
    }
    index += 1;
    if (char === quote) break;
    value += char;
  }
  return { offset: start, end: index, value, quoted: true };
}

/** An unquoted word: to whitespace, `;` or `{` (a `{` right after `$` belongs to a `${variable}`). */
function plainWord(text: string, start: number): NginxArgument {
  let value = "";
  let index = start;
  while (index < text.length) {
    const char = text[index] as string;
    if (SPACE.has(char) || char === ";" || (char === "{" && text[index - 1] !== "$")) break;
    if (char === "\\" && index + 1 < text.length) {
      const next = text[index + 1] as string;
      value += ESCAPES[next] ?? `\\${next}`;
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  return { offset: start, end: index, value, quoted: false };
}
