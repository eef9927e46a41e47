/**
 * Go's `encoding/json` output, byte for byte, for the values Helm hashes:
 * strings escaped as `json.Marshal` escapes them (HTML-safe `<` `>` `&`,
 * U+2028/U+2029, `\b` and `\f` as Go 1.22+ writes them, invalid UTF-8 as
 * `\ufffd` per byte), map keys sorted by their UTF-8 bytes, structs in
 * field order, floats as Go formats them.
 */

/** A Go struct: fields in declaration order (omitempty already applied by whoever builds it). */
export class GoStruct {
  constructor(readonly fields: ReadonlyArray<readonly [string, GoJsonValue]>) {}
}

export type GoJsonValue = null | boolean | number | string | Uint8Array | GoStruct | readonly GoJsonValue[] | { readonly [key: string]: GoJsonValue };

const HEX = "0123456789abcdef";

/** Length of the valid UTF-8 sequence at `i` as Go's utf8.DecodeRune accepts it, or 0 when invalid. */
function validRuneLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k]! >= lo && bytes[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlongs (E0 A0..), no surrogates (ED 80..9F).
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** A string as Go's json.Marshal writes it. A JS string is encoded as UTF-8 first (a lone surrogate becomes U+FFFD). */
export function goJsonString(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  let out = '"';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
      else if (b === 0x08) out += "\\b";
      else if (b === 0x0c) out += "\\f";
      else if (b === 0x0a) out += "\\n";
      else if (b === 0x0d) out += "\\r";
      else if (b === 0x09) out += "\\t";
      else if (b < 0x20 || b === 0x3c || b === 0x3e || b === 0x26) out += `\\u00${HEX[b >> 4]}${HEX[b & 0xf]}`;
      else out += String.fromCharCode(b);
      i += 1;
      continue;
    }
    const size = validRuneLength(bytes, i);
    if (size === 0) {
      out += "\\ufffd";
      i += 1;
      continue;
    }
    const rune = Buffer.from(bytes.subarray(i, i + size)).toString("utf8");
    out += rune === "\u2028" ? "\\u2028" : rune === "\u2029" ? "\\u2029" : rune;
    i += size;
  }
  return `${out}"`;
}

/** A float64 as Go's encoding/json formats it (ES6 number formatting, which Go follows, with -0 kept). */
export function goJsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`json: unsupported value: ${value}`);
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** json.Marshal of a value. */
export function goJsonMarshal(value: GoJsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return goJsonNumber(value);
  if (typeof value === "string" || value instanceof Uint8Array) return goJsonString(value);
  if (value instanceof GoStruct) return `{${value.fields.map(([key, field]) => `${goJsonString(key)}:${goJsonMarshal(field)}`).join(",")}}`;
  if (Array.isArray(value)) return `[${(value as readonly GoJsonValue[]).map(goJsonMarshal).join(",")}]`;
  const map = value as { readonly [key: string]: GoJsonValue };
  return `{${Object.keys(map)
    .sort(utf8Order)
    .map((key) => `${goJsonString(key)}:${goJsonMarshal(map[key]!)}`)
    .join(",")}}`;
}
