import { stringify } from "yaml";
import type { FileStyle } from "./style.js";

/** Plain data that fixes write: what JSON can hold. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export function isPlainObject(value: PlainValue | undefined): value is { [key: string]: PlainValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A scalar as it would be written plain, quoted only where YAML needs it
 * (`"true"`, `"8080"` as strings). Quoting follows YAML 1.1, as Kubernetes
 * reads manifests: `"yes"`, `"on"` and `"1:30"` stay strings there too.
 */
export function renderScalar(value: string | number | boolean | null): string {
  return stringify(value, { lineWidth: 0, version: "1.1" }).trimEnd();
}

/** `key: value` lines at `indent` spaces, in the file's style; no trailing line break. */
export function renderPairLines(key: string, value: PlainValue, indent: number, style: FileStyle): string[] {
  const prefix = `${" ".repeat(indent)}${renderScalar(key)}:`;
  if (isPlainObject(value) && Object.keys(value).length > 0) return [prefix, ...renderMapLines(value, indent + style.indentUnit, style)];
  if (Array.isArray(value) && value.length > 0) {
    return [prefix, ...renderSeqLines(value, style.indentSequences ? indent + style.indentUnit : indent, style)];
  }
  return [`${prefix} ${renderFlow(value)}`];
}

/** The block lines of a non-empty value that goes under a key at `keyIndent`. */
export function renderNestedLines(value: PlainValue, keyIndent: number, style: FileStyle): string[] {
  if (Array.isArray(value)) return renderSeqLines(value, style.indentSequences ? keyIndent + style.indentUnit : keyIndent, style);
  if (isPlainObject(value)) return renderMapLines(value, keyIndent + style.indentUnit, style);
  throw new Error("only collections nest");
}

export function renderMapLines(map: { [key: string]: PlainValue }, indent: number, style: FileStyle): string[] {
  return Object.entries(map).flatMap(([key, value]) => renderPairLines(key, value, indent, style));
}

/** Sequence items with their dash at `indent`; a mapping item starts on the dash line. */
export function renderSeqLines(items: readonly PlainValue[], indent: number, style: FileStyle): string[] {
  return items.flatMap((item) => renderItemLines(item, indent, style));
}

export function renderItemLines(item: PlainValue, indent: number, style: FileStyle): string[] {
  const dash = `${" ".repeat(indent)}- `;
  if (isPlainObject(item) && Object.keys(item).length > 0) {
    const lines = renderMapLines(item, indent + 2, style);
    return [`${dash}${(lines[0] ?? "").trimStart()}`, ...lines.slice(1)];
  }
  if (Array.isArray(item) && item.length > 0) {
    const lines = renderSeqLines(item, indent + 2, style);
    return [`${dash}${(lines[0] ?? "").trimStart()}`, ...lines.slice(1)];
  }
  return [`${dash}${renderFlow(item)}`];
}

/** Flow style: `{tcpSocket: {port: http}}`, `[ALL]`, or a scalar. */
export function renderFlow(value: PlainValue): string {
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(", ")}]`;
  if (isPlainObject(value)) return `{${Object.entries(value).map(([key, item]) => `${renderScalar(key)}: ${renderFlow(item)}`).join(", ")}}`;
  // Inside a flow collection, commas and brackets would end a plain scalar early.
  return typeof value === "string" && /[,[\]{}]/.test(value) ? JSON.stringify(value) : renderScalar(value);
}
