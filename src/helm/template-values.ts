/**
 * What each output action of a template writes, as far as `.Values` go, and which `.Values` the
 * if/with blocks around it test. A walk like helm-template-reads.ts's (`.` and `$vars` through if/with/range),
 * kept to what field sources need: the values path an output passes along (through toYaml, omit, nindent,
 * Bitnami's `common.tplvalues.render`) and the guards (`if .Values.x.enabled`) it sits in.
 */
import type { TemplateSkeleton } from "./template-skeleton.js";

export type Val =
  | { k: "root" } // the chart's context: `.Values` are its values
  | { k: "values"; path: readonly string[] }
  | { k: "dict"; entries: ReadonlyMap<string, Val> }
  | { k: "include"; name: string; arg: Val } // a named template's output
  | { k: "preset"; path: readonly string[] } // Bitnami `common.resources.preset` of the preset name at `path`
  | { k: "unknown" };

/** An output action: what it writes, and for each if/with open around it the values paths its condition reads. */
export interface ActionValue {
  value: Val;
  guards: (readonly string[])[][];
}

export const ROOT: Val = { k: "root" };
const UNKNOWN: Val = { k: "unknown" };
/** Functions whose result is (a rendering of) their map argument. */
const PASS = new Set(["toYaml", "toJson", "toPrettyJson", "nindent", "indent", "omit", "pick", "tpl", "quote", "squote", "trim", "toString", "required", "fromYaml"]);
const MAX_PARENS = 32;
const literal = (token: string | undefined): string | undefined => (token?.[0] === '"' || token?.[0] === "`" ? token.slice(1) : undefined);

type Cursor = { tokens: readonly string[]; at: number };
type Scope = { dot: Val; vars: Map<string, Val>; reads: (readonly string[])[] };

function field(v: Val, key: string, s: Scope): Val {
  if (v.k === "root") return key === "Values" ? { k: "values", path: [] } : UNKNOWN;
  if (v.k === "dict") return v.entries.get(key) ?? UNKNOWN;
  if (v.k !== "values") return UNKNOWN;
  const path = [...v.path, key];
  s.reads.push(path);
  return { k: "values", path };
}
const fields = (v: Val, chain: string, s: Scope): Val => chain.split(".").reduce((acc, key) => (key === "" ? acc : field(acc, key, s)), v);

function term(token: string, s: Scope): Val {
  if (token.startsWith(".")) return fields(s.dot, token, s);
  if (!token.startsWith("$")) return UNKNOWN;
  const dot = token.indexOf(".");
  const v = s.vars.get(dot < 0 ? token : token.slice(0, dot)) ?? UNKNOWN;
  return dot < 0 ? v : fields(v, token.slice(dot), s);
}

/** Evaluates the pipeline at the cursor, up to a `)` or the action's end. */
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
        if (close !== undefined) v = fields(v, close.slice(1), s); // `(…).field`
      } else if (args.length === 0 && name === undefined && /^[A-Za-z_]/.test(token)) {
        name = token;
        continue;
      } else v = term(token, s);
      args.push(v);
      literals.push(literal(token));
    }
    if (c.tokens[c.at] === "|") c.at++;
    if (piped !== undefined) (args.push(piped), literals.push(undefined));
    piped = call(name, args, literals, s);
  }
  return piped ?? UNKNOWN;
}

function call(name: string | undefined, args: Val[], literals: (string | undefined)[], s: Scope): Val {
  const known = args.filter((v) => v.k !== "unknown");
  if (name === undefined) return args[0] ?? UNKNOWN;
  if (PASS.has(name)) return known[0] ?? UNKNOWN;
  if (name === "default") return known.at(-1) ?? UNKNOWN; // `default D X` is X when X is set
  if (name === "index" || name === "get") return literals.slice(1).reduce<Val>((v, key) => (key === undefined ? UNKNOWN : field(v, key, s)), args[0] ?? UNKNOWN);
  if (name === "include" || name === "template") {
    const [helper, arg] = [literals[0], args[1] ?? UNKNOWN];
    if (helper === undefined) return UNKNOWN;
    // Bitnami's common chart: render a values map (with `tpl`), or a resources preset by name.
    if (helper === "common.tplvalues.render" && arg.k === "dict") return arg.entries.get("value") ?? UNKNOWN;
    // Bitnami common ≥ 2.19 renders a securityContext map minus its `enabled` (adapted to OpenShift when asked).
    if (helper === "common.compatibility.renderSecurityContext" && arg.k === "dict") return arg.entries.get("secContext") ?? UNKNOWN;
    const type = arg.k === "dict" ? arg.entries.get("type") : undefined;
    if (helper === "common.resources.preset" && type?.k === "values") return { k: "preset", path: type.path };
    return { k: "include", name: helper, arg };
  }
  if (name !== "dict") return UNKNOWN;
  const entries = new Map<string, Val>();
  for (let i = 0; i + 1 < args.length; i += 2) if (literals[i] !== undefined) entries.set(literals[i]!, args[i + 1]!);
  return { k: "dict", entries };
}

/**
 * Walks actions [from, to) of a template (or a define body) with `.` and `$` bound to `dot`, as helm would run
 * them, and gives what each output action writes. Define bodies are skipped: they run where they are included.
 */
export function actionValues(sk: TemplateSkeleton, from: number, to: number, dot: Val): Map<number, ActionValue> {
  const out = new Map<number, ActionValue>();
  const s: Scope = { dot, vars: new Map([["$", dot]]), reads: [] };
  const frames: { dot: Val; vars: Map<string, Val> }[] = [];
  const guards: (readonly string[])[][] = [];
  for (let i = from; i < to; i++) {
    const action = sk.actions[i]!;
    if (action.comment || !action.closed) continue;
    const t = action.tokens;
    let word = t[0];
    let at = 1;
    if (word === "define" || word === "block") {
      i = Math.max(i, sk.ends[i] ?? i);
      continue;
    }
    if (word === "end" || word === "else") {
      const frame = word === "end" ? frames.pop() : frames.at(-1);
      if (frame !== undefined) ((s.dot = frame.dot), (s.vars = new Map(frame.vars)));
      if (word === "end") {
        guards.pop();
        continue;
      }
      guards.pop();
      word = t[1]; // `else`, `else if …`, `else with …`
      at = 2;
      if (word !== "if" && word !== "with" && word !== "range") {
        guards.push([]);
        continue;
      }
    } else if (word === "if" || word === "with" || word === "range") frames.push({ dot: s.dot, vars: new Map(s.vars) });
    else at = 0;
    s.reads = [];
    const value = statement({ tokens: t, at }, word, s);
    if (word === "if" || word === "with" || word === "range") guards.push(s.reads);
    else if (!action.control) out.set(i, { value, guards: guards.map((g) => g.slice()) });
  }
  return out;
}

/** The rest of an action: `$x := …`, `$x = …` or `$i, $v := …`, then a pipeline; with/range move `.`. */
function statement(c: Cursor, word: string | undefined, s: Scope): Val {
  const t = c.tokens;
  const isVar = (k: number): boolean => t[k]?.startsWith("$") === true && !t[k]!.includes(".");
  let names: string[] = [];
  if (isVar(c.at) && (t[c.at + 1] === ":=" || t[c.at + 1] === "=")) names = [t[c.at]!];
  else if (isVar(c.at) && t[c.at + 1] === "," && isVar(c.at + 2) && t[c.at + 3] === ":=") names = [t[c.at]!, t[c.at + 2]!];
  c.at += names.length * 2;
  let v: Val;
  try {
    v = pipeline(c, s, 0);
  } catch {
    v = UNKNOWN; // malformed tokens: what it writes is not known
  }
  const inner: Val = word === "range" ? (v.k === "values" ? { k: "values", path: [...v.path, "*"] } : UNKNOWN) : v;
  names.forEach((name, k) => s.vars.set(name, k === names.length - 1 ? inner : UNKNOWN));
  if (word === "with" || word === "range") s.dot = inner;
  return v;
}
