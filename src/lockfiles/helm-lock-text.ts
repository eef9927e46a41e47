/**
 * The exact bytes Helm 3 writes for `Chart.lock` / `requirements.lock`, so a fixed lock is byte-identical
 * to what `helm dependency update` would write. Helm runs sigs.k8s.io/yaml: encoding/json first (so keys
 * come out sorted, `version` is omitempty, time is RFC3339Nano), then go-yaml v2's encoder and emitter,
 * whose quoting rules (encode.go stringv, resolve.go, emitterc.go) are mirrored below.
 */

export interface HelmLockEntry { name: string; repository: string; version: string }
export interface HelmLock { dependencies: HelmLockEntry[]; digest: string; generated: Date }
/** Where a scalar starts (after `key: `) and the indentation go-yaml gives its continuation lines. */
export interface ScalarPosition { column: number; indent: number }

/** The bytes `helm dependency update` writes. Items sit at indent 0 (go-yaml v2 indentless sequences). */
export function helmLockText(lock: HelmLock): string {
  const line = (key: string, value: string, indent: number, lead = "") =>
    `${lead}${key}: ${goYamlString(value, { column: lead.length + key.length + 2, indent })}\n`;
  let out = lock.dependencies.length === 0 ? "dependencies: []\n" : "dependencies:\n";
  for (const dep of lock.dependencies) {
    out += line("name", dep.name, 4, "- ") + line("repository", dep.repository, 4, "  ");
    if (dep.version !== "") out += line("version", dep.version, 4, "  "); // json:"version,omitempty"
  }
  return out + line("digest", lock.digest, 2) + line("generated", goRfc3339Nano(lock.generated), 2);
}

/** Go's time.Time JSON form (RFC3339Nano), in UTC: trailing fraction zeros dropped, no dot for whole seconds. */
export function goRfc3339Nano(date: Date): string {
  const year = date.getUTCFullYear();
  // Go's Time.MarshalJSON refuses years outside [0,9999], so Helm could not write such a lock.
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new RangeError(`cannot write ${String(date)} as Go JSON time`);
  return date.toISOString().replace(/\.?0*Z$/, "Z");
}

// ---- go-yaml v2 resolve.go: would the plain scalar read back as something other than a string? ----
const RESOLVE_MAP = new Set(
  "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<".split(" ").concat(""),
);
const I64 = 1n << 63n;
/** strconv.ParseFloat succeeds (syntax, underscores between digits, no overflow to ±Inf). */
function goParseFloat(s: string): boolean {
  if (!/^[+-]?(?=[0-9_]*\.?[0-9_]*[0-9])[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9][0-9_]*)?$/.test(s)) return false;
  if (s.includes("_") && /(^|[^0-9])_|_([^0-9]|$)/.test(s.replace(/^[+-]/, ""))) return false;
  return Number.isFinite(Number(s.replace(/_/g, "")));
}
/** time.Parse with one of go-yaml's allowedTimestampFormats. */
function goTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[+-]\d\d:\d\d))?$/.exec(s) ??
    /^(\d{4})-(\d{1,2})-(\d{1,2}) +(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?()$/.exec(s); // a layout space matches 1+ spaces
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1]! || h > 23 || mi > 59 || se > 59) return false;
  const tz = m[7] ?? "";
  return tz.length < 6 || (Number(tz.slice(1, 3)) <= 24 && Number(tz.slice(4)) <= 60);
}
function resolvesToNonString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return true;
  if (s[0] === ".") return goParseFloat(s);
  if (!/^[-+0-9]/.test(s)) return false;
  if (goTimestamp(s)) return true;
  const plain = s.replace(/_/g, "");
  const int = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain);
  if (int) {
    const digits = int[2]!.replace(/^0([0-7])/, "0o$1");
    const v = BigInt(digits) * (int[1] === "-" ? -1n : 1n);
    if (int[1] === "" || (v >= -I64 && v < I64)) return true; // ParseInt / ParseUint / big.Int for unsigned overflow
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain) && goParseFloat(plain)) return true;
  const bin = /^0b([+-]?)([01]+)$/.exec(plain); // ParseInt(plain[2:], 2) also takes a sign
  if (bin) return BigInt(`0b${bin[2]}`) <= (bin[1] === "-" ? I64 : bin[1] === "+" ? I64 - 1n : (1n << 64n) - 1n);
  return false;
}
const isBase60Float = (s: string) => /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);

// ---- go-yaml v2 emitterc.go: analyze_scalar, select_scalar_style and the scalar writers ----
const BEST_WIDTH = 80;
const isBreak = (c: number | undefined) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;
/** v2's is_printable: note no characters beyond the BMP, so emoji get `\U` escapes. */
const isPrintable = (c: number) => c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
const ESCAPES: Record<number, string> = { 0: "0", 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 0x1b: "e", 0x22: '"', 0x5c: "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P" };

function analyze(cp: number[]) {
  let block = /^(---|\.\.\.)/.test(String.fromCodePoint(...cp.slice(0, 3)));
  let lineBreaks = false, special = false, breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false, precededByWs = true;
  cp.forEach((c, i) => {
    const followedByWs = i + 1 >= cp.length || isBlank(cp[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0 ? "#,[]{}&*!|>'\"%@`".includes(ch) || ("?:-".includes(ch) && followedByWs) : (ch === ":" && followedByWs) || (ch === "#" && precededByWs)) block = true;
    if (!isPrintable(c)) special = true;
    if (c === 0x20) { if (prevBreak) breakSpace = true; prevSpace = true; prevBreak = false; }
    else if (isBreak(c)) { lineBreaks = true; if (prevSpace) spaceBreak = true; prevSpace = false; prevBreak = true; }
    else prevSpace = prevBreak = false;
    precededByWs = isBlank(c) || isBreak(c) || c === 0;
  });
  const edgeWs = cp[0] === 0x20 || isBreak(cp[0]) || cp.at(-1) === 0x20 || isBreak(cp.at(-1));
  return {
    plain: cp.length === 0 || !(edgeWs || breakSpace || spaceBreak || special || lineBreaks || block),
    single: !(breakSpace || spaceBreak || special),
    literal: cp.length > 0 && !(cp.at(-1) === 0x20 || spaceBreak || special),
  };
}

/**
 * A string as go-yaml v2 writes it as a (block mapping value) scalar: plain unless it would resolve to another
 * type or is a base-60 float (then double-quoted), single-quoted when the emitter refuses plain, literal `|`
 * when it holds a newline, folded at spaces past column 80 onto lines indented by `at.indent`. The result is
 * what follows `key: ` up to (not including) the line's final newline.
 */
export function goYamlString(value: string, at: ScalarPosition = { column: 0, indent: 2 }): string {
  const cp = Array.from(value, (ch) => { const c = ch.codePointAt(0)!; return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c; });
  const a = analyze(cp);
  let style = value.includes("\n") ? (a.literal ? "|" : '"') : !resolvesToNonString(value) && !isBase60Float(value) ? "plain" : '"';
  if (style === "plain" && !a.plain) style = a.single ? "'" : '"';
  if (style !== '"' && cp.some((c) => isBreak(c) && c !== 0x0a)) throw new Error(`go-yaml would write a raw line break in ${JSON.stringify(value)}`);
  let out = "", column = at.column;
  const fold = () => { out += `\n${" ".repeat(at.indent)}`; column = at.indent; };
  const put = (s: string) => { out += s; column += Array.from(s).length; };
  if (style === "|") {
    const last = cp.length - 1;
    put(`|${cp[0] === 0x20 || cp[0] === 0x0a ? "2" : ""}${cp[last] !== 0x0a ? "-" : last === 0 || cp[last - 1] === 0x0a ? "+" : ""}\n`);
    let breaks = true;
    for (const c of cp) {
      if (c === 0x0a) { out += "\n"; breaks = true; continue; }
      out += (breaks ? " ".repeat(at.indent) : "") + String.fromCodePoint(c);
      breaks = false;
    }
    return out.endsWith("\n") ? out.slice(0, -1) : out;
  }
  const quote = style === "plain" ? "" : style;
  put(quote);
  let spaces = false;
  const bom = cp[0] === 0xfeff; // v2's is_bom looks at the value's first bytes whatever the index
  cp.forEach((c, i) => {
    const ch = String.fromCodePoint(c);
    if (quote === '"' && (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c)) {
      const hex = (n: number) => c.toString(16).toUpperCase().padStart(n, "0");
      put(`\\${ESCAPES[c] ?? (c <= 0xff ? `x${hex(2)}` : c <= 0xffff ? `u${hex(4)}` : `U${hex(8)}`)}`);
      spaces = false;
    } else if (c === 0x20) {
      const inner = quote === "" || (i > 0 && i < cp.length - 1);
      if (!spaces && column > BEST_WIDTH && inner && (quote === '"' || cp[i + 1] !== 0x20)) {
        fold();
        if (cp[i + 1] === 0x20) put("\\");
      } else put(ch);
      spaces = true;
    } else {
      put(quote === "'" && c === 0x27 ? "''" : ch);
      spaces = false;
    }
  });
  put(quote);
  return out;
}
