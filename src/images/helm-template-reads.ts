/**
 * Does a Helm chart render `<image>.digest`? A pin may write `digest:` beside `tag` only when it does.
 * Not a Go-template parser: a tokenizer of `{{ … }}` actions, and a walk that follows what `.` and `$vars`
 * denote (a `.Values` path, a `dict`, a chart's context) through if/with/range and into `define` bodies.
 * What it cannot follow is "unknown", so doubt answers false: a `digest:` the chart ignores leaves the image unpinned.
 */

import { templateActions } from "../helm/template-skeleton.js";

/** `path` is relative to the repository root, with `/` separators. */
export interface TemplateFile { path: string; text: string }

/** What an expression denotes, as far as `.Values` go. Only values that may lead to the target are kept. */
type Val =
  | { k: "root"; values: readonly string[] } // a chart's context: its `.Values` are the top chart's values at `values`
  | { k: "values"; path: readonly string[] } // the values at `path`; "*" is any key (a `range` element)
  | { k: "dict"; entries: ReadonlyMap<string, Val>; size: number }
  | { k: "unknown" };
/** `ends`: for an action opening a block (if/with/range/define/block), the index of its `end`. */
type Parsed = { actions: string[][]; ends: number[] };
/** `undo`: declarations to undo at their block's end, [name, what it shadowed]. */
type Scope = { dot: Val; vars: Map<string, Val>; undo: [string, Val | undefined][] };
type Cursor = { tokens: string[]; at: number };

const UNKNOWN: Val = { k: "unknown" };
const OPENERS = new Set(["if", "with", "range", "define", "block"]);
const BITNAMI_IMAGE = "common.images.image"; // Bitnami common ≥ 2 renders `.imageRoot.digest` when set
const MAX_CALL_DEPTH = 16; // include chains, also templates that recurse with ever-growing arguments
const MAX_PARENS = 64;
const MAX_DICT_SIZE = 64; // dicts doubling at each recursive include would otherwise grow exponentially
const STEP_BUDGET = 1_500_000; // tokens walked over all includes: a cap on the work, whatever the input

const literal = (token: string | undefined): string | undefined => (token?.[0] === '"' || token?.[0] === "`" ? token.slice(1) : undefined);

/** The tokens of each `{{ … }}` action, comments dropped. Helm fails on an unclosed action: what follows is ignored. */
function parse(text: string): Parsed {
  const all = templateActions(text);
  const broken = all.findIndex((action) => !action.closed);
  const actions = (broken < 0 ? all : all.slice(0, broken)).filter((action) => !action.comment).map((action) => action.tokens);
  const ends = actions.map(() => actions.length); // an unclosed block runs to the end
  const open: number[] = [];
  actions.forEach((tokens, i) => {
    if (OPENERS.has(tokens[0] ?? "")) open.push(i);
    else if (tokens[0] === "end" && open.length > 0) ends[open.pop()!] = i;
  });
  return { actions, ends };
}

/** What each file's `.Values` are within the top chart's: [] for its own templates, ["redis"] in `charts/redis/templates/`. */
function valuesPrefixes(paths: readonly string[], chartRoot: string | undefined): string[][] {
  const dirs = paths.map((path) => path.slice(0, Math.max(0, /(?:^|\/)templates\//.exec(path)?.index ?? 0)));
  const top = chartRoot ?? dirs.reduce((shortest, dir) => (dir.length < shortest.length ? dir : shortest), dirs[0] ?? "");
  return dirs.map((dir) => {
    const rest = dir.startsWith(top) ? dir.slice(top.length).split("/").filter(Boolean) : [];
    return rest.every((segment, k) => k % 2 === 1 || segment === "charts") ? rest.filter((_, k) => k % 2 === 1) : [];
  });
}

/** Helm parses deeper paths first, then in reverse order, and the last definition parsed wins. */
function overrides(path: string, other: string): boolean {
  const depth = (p: string): number => p.split("/").length;
  return depth(path) !== depth(other) ? depth(path) < depth(other) : path <= other;
}

/**
 * True when the chart's templates read the `digest` field of the image map at `valuesPath`
 * (e.g. ["image"], ["controller","image"]), directly or through a named template.
 * `chartRoot` (the chart's folder, "" for the repository root) tells its own templates from vendored
 * subcharts'; without it the shallowest `templates/` folder is taken, wrong for a chart with none of its own.
 */
export function templatesReadDigest(templates: readonly TemplateFile[], valuesPath: readonly string[], chartRoot?: string): boolean {
  const target = [...valuesPath, "digest"];
  const seen = new Set<string>(); // include name + argument, already walked
  const defines = new Map<string, { parsed: Parsed; at: number; path: string }>();
  let found = false;
  let steps = 0;
  let depth = 0;

  const fits = (path: readonly string[]): boolean => path.length <= target.length && path.every((key, i) => key === "*" || key === target[i]);
  const valuesAt = (path: readonly string[]): Val => (path.length < target.length && fits(path) ? { k: "values", path } : UNKNOWN);
  const keyOf = (v: Val): string =>
    v.k === "dict" ? `{${[...v.entries].map(([key, e]) => `${key}\0${keyOf(e)}`).join("\u0001")}}` : v.k === "unknown" ? "?" : `${v.k}\0${(v.k === "root" ? v.values : v.path).join("\0")}`;

  function field(v: Val, key: string): Val {
    if (v.k === "root") return key === "Values" ? valuesAt(v.values) : UNKNOWN;
    if (v.k === "dict") return v.entries.get(key) ?? UNKNOWN;
    if (v.k !== "values") return UNKNOWN;
    const path = [...v.path, key];
    if (path.length === target.length && fits(path)) found = true; // the read we are looking for
    return valuesAt(path);
  }
  const fields = (v: Val, chain: string): Val => chain.split(".").reduce((acc, key) => (key === "" ? acc : field(acc, key)), v);

  function term(token: string, s: Scope): Val {
    if (token.startsWith(".")) return fields(s.dot, token);
    if (!token.startsWith("$")) return UNKNOWN;
    const dot = token.indexOf(".");
    const v = s.vars.get(dot < 0 ? token : token.slice(0, dot)) ?? UNKNOWN;
    return dot < 0 ? v : fields(v, token.slice(dot));
  }

  /** Evaluates the pipeline at the cursor, up to a `)` or the action's end, noting reads on the way. */
  function pipeline(c: Cursor, s: Scope, parens: number): Val {
    let piped: Val | undefined;
    while (c.at < c.tokens.length && !c.tokens[c.at]!.startsWith(")")) {
      const args: Val[] = [];
      const literals: (string | undefined)[] = [];
      let name: string | undefined;
      for (let token = c.tokens[c.at]; token !== undefined && token !== "|" && !token.startsWith(")"); token = c.tokens[c.at]) {
        c.at++;
        let v: Val;
        if (token === "(") {
          if (parens >= MAX_PARENS) return ((c.at = c.tokens.length), UNKNOWN);
          v = pipeline(c, s, parens + 1);
          const close = c.tokens[c.at++];
          if (close !== undefined) v = fields(v, close.slice(1)); // `(…).digest`
        } else if (args.length === 0 && name === undefined && /^[A-Za-z_]/.test(token)) {
          name = token;
          continue;
        } else v = term(token, s);
        args.push(v);
        literals.push(literal(token));
      }
      if (c.tokens[c.at] === "|") c.at++;
      if (piped !== undefined) (args.push(piped), literals.push(undefined));
      piped = call(name, args, literals);
    }
    return piped ?? UNKNOWN;
  }

  /** A command's value: only the functions that pass maps along matter. Arguments are already evaluated (reads noted). */
  function call(name: string | undefined, args: Val[], literals: (string | undefined)[]): Val {
    if (name === undefined) return args[0] ?? UNKNOWN;
    if (name === "index" || name === "get") return literals.slice(1).reduce<Val>((v, key) => (key === undefined ? UNKNOWN : field(v, key)), args[0] ?? UNKNOWN);
    if (name === "include" || name === "template") invoke(literals[0], args[1] ?? UNKNOWN);
    if (name === "default") return args.findLast((v) => v.k !== "unknown") ?? UNKNOWN; // `default D X` is X when X is set
    if (name === "required") return args[1] ?? UNKNOWN;
    if (name !== "dict") return UNKNOWN;
    const entries = new Map<string, Val>();
    let size = 1;
    for (let i = 0; i + 1 < args.length; i += 2) {
      const [key, v] = [literals[i], args[i + 1]!];
      if (key !== undefined && v.k !== "unknown") (entries.set(key, v), (size += v.k === "dict" ? v.size : 1));
    }
    return entries.size > 0 && size <= MAX_DICT_SIZE ? { k: "dict", entries, size } : UNKNOWN;
  }

  function invoke(name: string | undefined, arg: Val): void {
    steps += arg.k === "dict" ? arg.size : 1;
    if (name === undefined || arg.k === "unknown" || depth >= MAX_CALL_DEPTH) return;
    const site = defines.get(name);
    if (site === undefined) {
      if (name === BITNAMI_IMAGE && arg.k === "dict") field(arg.entries.get("imageRoot") ?? UNKNOWN, "digest");
      return;
    }
    const key = `${name}\u0002${keyOf(arg)}`;
    if (seen.has(key)) return;
    seen.add(key);
    depth++;
    run(site.parsed, site.at + 1, site.parsed.ends[site.at]!, arg);
    depth--;
  }

  /** Walks actions [from, to) with `.` and `$` bound to `dot`, as helm runs a file or a define body. */
  function run(p: Parsed, from: number, to: number, dot: Val): void {
    const s: Scope = { dot, vars: new Map([["$", dot]]), undo: [] };
    const frames: { outer: Val; undo: number }[] = []; // open if/with/range: the `.` and variables to restore
    for (let i = from; i < to && !found && steps < STEP_BUDGET; i++) {
      const tokens = p.actions[i]!;
      steps += tokens.length + 1;
      let word = tokens[0];
      let at = 1;
      if (word === "define" || word === "block") {
        if (word === "block") invoke(literal(tokens[1]), pipeline({ tokens, at: 2 }, s, 0));
        i = p.ends[i]!; // bodies are walked when included, with what they are given
        continue;
      }
      if (word === "end" || word === "else") {
        const frame = word === "end" ? frames.pop() : frames.at(-1);
        if (frame !== undefined) {
          for (const [name, shadowed] of s.undo.splice(frame.undo).reverse()) {
            if (shadowed === undefined) s.vars.delete(name);
            else s.vars.set(name, shadowed);
          }
          s.dot = frame.outer;
        }
        if (word === "end") continue;
        word = tokens[1]; // `else`, `else if …`, `else with …`
        at = 2;
      } else if (word === "if" || word === "with" || word === "range") frames.push({ outer: s.dot, undo: s.undo.length });
      else at = 0;
      statement({ tokens, at }, word, s);
    }
  }

  /** The rest of an action: `$x := …`, `$x = …` or `$i, $v := …`, then a pipeline; with/range move `.`. */
  function statement(c: Cursor, word: string | undefined, s: Scope): void {
    const t = c.tokens;
    const isVar = (k: number): boolean => t[k]?.startsWith("$") === true && !t[k]!.includes(".");
    const assign = isVar(c.at) && t[c.at + 1] === "=";
    let names: string[] = [];
    if (isVar(c.at) && (t[c.at + 1] === ":=" || assign)) names = [t[c.at]!];
    else if (isVar(c.at) && t[c.at + 1] === "," && isVar(c.at + 2) && t[c.at + 3] === ":=") names = [t[c.at]!, t[c.at + 2]!];
    c.at += names.length * 2;
    const v = pipeline(c, s, 0);
    const inner = word === "range" ? (v.k === "values" ? valuesAt([...v.path, "*"]) : UNKNOWN) : v;
    names.forEach((name, k) => {
      if (!assign) s.undo.push([name, s.vars.get(name)]);
      s.vars.set(name, k === names.length - 1 ? inner : UNKNOWN); // `range $i, $v :=`: $v is the element
    });
    if (word === "with" || word === "range") s.dot = inner;
  }

  try {
    const parsed = templates.map((file) => parse(file.text));
    parsed.forEach((p, f) =>
      p.actions.forEach((tokens, at) => {
        const name = (tokens[0] === "define" || tokens[0] === "block") && literal(tokens[1]);
        const path = templates[f]!.path;
        if (name && (!defines.has(name) || overrides(path, defines.get(name)!.path))) defines.set(name, { parsed: p, at, path });
      }),
    );
    const prefixes = valuesPrefixes(templates.map((file) => file.path), chartRoot);
    parsed.forEach((p, f) => {
      // Helm renders neither partials (`_helpers.tpl`) nor NOTES.txt into manifests: only their defines count.
      const name = templates[f]!.path.slice(templates[f]!.path.lastIndexOf("/") + 1);
      const values = prefixes[f] ?? [];
      if (!found && !name.startsWith("_") && !name.endsWith("NOTES.txt")) run(p, 0, p.actions.length, valuesAt(values).k === "values" ? { k: "root", values } : UNKNOWN);
    });
  } catch {
    // Never throw on odd input (a stack exhausted, say): what was found so far stands.
  }
  return found;
}
