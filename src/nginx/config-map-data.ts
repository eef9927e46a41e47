import type { Resource } from "../model/resource.js";
import { getMap, isScalar, type YamlPair, type YamlScalar } from "../yaml/nodes.js";
import { weakSslProtocols, type WeakSslProtocols } from "./ssl-protocols.js";

/** How a YAML scalar is written: only a literal block (`|`) holds its text line for line as the file does. */
export type ScalarStyle = "literal" | "folded" | "double-quoted" | "single-quoted" | "plain";

/** A weak `ssl_protocols` directive in nginx configuration held by a ConfigMap's `data` value. */
export interface EmbeddedWeakProtocols extends WeakSslProtocols {
  /** The `data` key. */
  key: string;
  style: ScalarStyle;
  /** Where to report it: at the directive's name in a literal block, at the start of the value's text otherwise. */
  offset: number;
  /**
   * In a literal block whose lines match the file's: where the directive's arguments are in the file and in
   * the value (offsets into the text and into the decoded string).
   */
  located?: { file: { start: number; end: number }; value: { start: number; end: number } };
}

/** Every weak `ssl_protocols` directive in the string values of a v1 ConfigMap's `data`, in key order. */
export function embeddedWeakProtocols(text: string, resource: Resource): EmbeddedWeakProtocols[] {
  if (resource.kind !== "ConfigMap" || resource.apiVersion !== "v1") return [];
  const data = getMap(resource.node, "data");
  if (!data) return [];
  const found: EmbeddedWeakProtocols[] = [];
  for (const [key, pair] of data.pairs) {
    const value = pair.value;
    if (!isScalar(value) || typeof value.value !== "string") continue;
    const weak = weakSslProtocols(value.text);
    if (weak.length === 0) continue;
    const style = styleOf(text, pair);
    const toFile = style === "literal" ? literalOffsets(text, value) : undefined;
    // Where the value's text starts (a block's first line is indented): where a directive is reported when its own place is not known.
    const valueStart = value.offset + (/^\s*/.exec(text.slice(value.offset, value.end))?.[0].length ?? 0);
    for (const { directive, weak: versions } of weak) {
      const first = directive.args[0];
      const last = directive.args[directive.args.length - 1];
      const name = toFile?.(directive.offset);
      const start = first ? toFile?.(first.offset) : undefined;
      const end = last ? toFile?.(last.end) : undefined;
      const located = first && last && start !== undefined && end !== undefined ? { file: { start, end }, value: { start: first.offset, end: last.end } } : undefined;
      found.push({ directive, weak: versions, key, style, offset: name ?? valueStart, ...(located ? { located } : {}) });
    }
  }
  return found;
}

/** The style of a pair's scalar value, from what is written between its key and its text. */
function styleOf(text: string, pair: YamlPair): ScalarStyle {
  const value = pair.value as YamlScalar;
  if (!value.quoted) return "plain";
  // A quoted key ends before its closing quote; a quoted value starts after its opening one.
  const head = text.slice(pair.key.end, value.offset);
  if (head.endsWith('"')) return "double-quoted";
  if (head.endsWith("'")) return "single-quoted";
  const indicator = /(?:^|[\s:"'])([|>])[1-9+-]{0,2}(?=[ \t]|\r?\n|$)/.exec(head);
  return indicator?.[1] === "|" ? "literal" : "folded";
}

/**
 * Maps offsets in a literal block's decoded text to offsets in the file. Each decoded line is its file line
 * without the block's indentation, so line k of the value ends line k of the block; when any line does not
 * match (a form this reading does not know), nothing is mapped.
 */
function literalOffsets(text: string, scalar: YamlScalar): ((offset: number) => number | undefined) | undefined {
  const source = text.slice(scalar.offset, scalar.end);
  const decodedLines = scalar.text.split("\n");
  const sourceLines = source.split("\n");
  const shifts: number[] = [];
  let sourceStart = scalar.offset;
  for (let index = 0; index < decodedLines.length; index += 1) {
    const decoded = decodedLines[index] as string;
    const written = sourceLines[index];
    if (written === undefined) {
      // Kept trailing newlines (`|+`) past the block's text.
      if (decoded !== "") return undefined;
      shifts.push(sourceStart);
      continue;
    }
    const line = written.endsWith("\r") ? written.slice(0, -1) : written;
    if (!line.endsWith(decoded)) return undefined;
    shifts.push(sourceStart + line.length - decoded.length);
    sourceStart += written.length + 1;
  }
  const decodedStarts: number[] = [];
  let start = 0;
  for (const line of decodedLines) {
    decodedStarts.push(start);
    start += line.length + 1;
  }
  return (offset) => {
    let line = 0;
    while (line + 1 < decodedStarts.length && (decodedStarts[line + 1] as number) <= offset) line += 1;
    const shift = shifts[line];
    return shift === undefined ? undefined : shift + offset - (decodedStarts[line] as number);
  };
}
