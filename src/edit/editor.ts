import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, visit, type Alias, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { isPlainObject, renderFlow, renderItemLines, renderNestedLines, renderPairLines, renderScalar, type PlainValue } from "./render.js";
import { detectStyle, type FileStyle } from "./style.js";
import { describePath, type NodePath } from "../model/paths.js";

/**
 * Byte-exact YAML edits. Nodes are located with the `yaml` package's source
 * ranges; the text is then spliced at those offsets, in the file's own style.
 * Nothing is re-serialised, so comments, quoting, key order, blank lines,
 * separators and line endings outside the edit stay exactly as they were.
 */
export type { NodePath };
export { describePath };
export type EditResult = { ok: true; text: string } | { ok: false; reason: string };

type AnyNode = Node | Pair | null | undefined;

const refuse = (reason: string): EditResult => ({ ok: false, reason });

/** Sets the value at `path` in document `document`, creating missing mappings on the way. */
export function setIn(text: string, document: number, path: NodePath, value: PlainValue): EditResult {
  const located = documentRoot(text, document);
  if ("reason" in located) return refuse(located.reason);
  if (path.length === 0) return refuse("an empty path names the whole document");
  const style = detectStyle(text);
  let node: AnyNode = located.root;
  for (let index = 0; index < path.length; index += 1) {
    const step = path[index] as string | number;
    const here = describePath(path.slice(0, index));
    const there = describePath(path.slice(0, index + 1));
    const last = index === path.length - 1;
    const blocked = aliasOrShared(node, here, located.aliased);
    if (blocked) return blocked;
    if (typeof step === "number") {
      const item: AnyNode = isSeq(node) ? (node.items[step] as Node) : undefined;
      if (!isSeq(node) || !item) return refuse(`${here} has no item ${step}`);
      if (!last) {
        node = item;
        continue;
      }
      return aliasOrShared(item, there, located.aliased) ?? setLeaf(text, item, value, there, node.flow);
    }
    if (!isMap(node)) return refuse(`${here} is not a mapping`);
    const rest = path.slice(index + 1);
    const pair = lastPair(node, step);
    const current = pair?.value as AnyNode;
    // Missing keys can be created; missing list items cannot.
    const listStep = rest.findIndex((part) => typeof part === "number");
    if ((!pair || isEmptyValue(current)) && listStep !== -1) {
      return refuse(pair ? `${describePath(path.slice(0, index + 1 + listStep))} has no item ${String(rest[listStep])}` : `${there} does not exist`);
    }
    const wanted = nestUnder(rest as readonly string[], value);
    if (!pair) return { ok: true, text: insertPair(text, node, step, wanted, style) };
    const blockedValue = aliasOrShared(current, there, located.aliased);
    if (blockedValue) return blockedValue;
    if (isEmptyValue(current)) return replaceEmptyValue(text, node, pair, wanted, style);
    if (last) return setLeaf(text, current, value, there, node.flow);
    node = current;
  }
  return refuse("unreachable");
}

/** Appends an item to the sequence at `path` (block or flow). */
export function appendToSequence(text: string, document: number, path: NodePath, item: PlainValue): EditResult {
  const located = documentRoot(text, document);
  if ("reason" in located) return refuse(located.reason);
  let node: AnyNode = located.root;
  for (const [index, step] of path.entries()) {
    const blocked = aliasOrShared(node, describePath(path.slice(0, index)), located.aliased);
    if (blocked) return blocked;
    node = typeof step === "number" ? (isSeq(node) ? (node.items[step] as Node) : undefined) : isMap(node) ? (lastPair(node, step)?.value as AnyNode) : undefined;
  }
  const blocked = aliasOrShared(node, describePath(path), located.aliased);
  if (blocked) return blocked;
  if (!isSeq(node)) return refuse(`${describePath(path)} is not a list`);
  const style = detectStyle(text);
  if (node.flow || node.items.length === 0) return { ok: true, text: insertIntoFlow(text, node, renderFlow(item)) };
  const first = node.items[0] as Node;
  const dashColumn = dashColumnBefore(text, rangeOf(first)[0]);
  if (dashColumn === undefined) return refuse(`${describePath(path)} is written in a way Shipshape does not edit`);
  return { ok: true, text: insertLines(text, endOfLastItem(node), renderItemLines(item, dashColumn, style), style) };
}

/** Adds a document after the last one, keeping the file's final-newline convention. */
export function appendDocument(text: string, value: { [key: string]: PlainValue }): string {
  const style = detectStyle(text);
  const body = renderNestedLines(value, -style.indentUnit, style).join(style.eol);
  if (text.trim() === "") return `${body}${style.finalNewline ? style.eol : ""}`;
  const separator = text.endsWith("\n") ? "" : style.eol;
  return `${text}${separator}---${style.eol}${body}${style.finalNewline ? style.eol : ""}`;
}

/** A new YAML file of one or more documents, in the given style. */
export function createYamlFile(documents: readonly { [key: string]: PlainValue }[], style: FileStyle): string {
  const bodies = documents.map((document) => renderNestedLines(document, -style.indentUnit, style).join(style.eol));
  return `${bodies.join(`${style.eol}---${style.eol}`)}${style.eol}`;
}

function documentRoot(text: string, index: number): { root: Node | null; aliased: Set<string> } | { reason: string } {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  const document = Array.isArray(documents) ? documents[index] : undefined;
  if (!document) return { reason: `the file has no document ${index + 1}` };
  if (document.errors.length > 0) return { reason: `document ${index + 1} does not parse: ${document.errors[0]?.message ?? "error"}` };
  const aliased = new Set<string>();
  visit(document, { Alias: (_key, alias) => void aliased.add(alias.source) });
  return { root: document.contents, aliased };
}

/** Kubernetes' YAML readers keep the last of duplicate keys; so does the scan, and so does the editor. */
function lastPair(map: YAMLMap, key: string): Pair | undefined {
  for (let index = map.items.length - 1; index >= 0; index -= 1) {
    const pair = map.items[index] as Pair;
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair;
  }
  return undefined;
}

function isEmptyValue(node: AnyNode): boolean {
  if (node === null || node === undefined) return true;
  if (isScalar(node)) return node.value === null && node.type === Scalar.PLAIN;
  return (isMap(node) || isSeq(node)) && node.flow === true && node.items.length === 0;
}

function insertPair(text: string, map: YAMLMap, key: string, value: PlainValue, style: FileStyle): string {
  if (map.flow || map.items.length === 0) return insertIntoFlow(text, map, `${renderScalar(key)}: ${renderFlow(value)}`);
  const firstKey = (map.items[0] as Pair).key as Node;
  const indent = columnOf(text, rangeOf(firstKey)[0]);
  return insertLines(text, endOfLastPair(map), renderPairLines(key, value, indent, style), style);
}

/** `resources: {}` or `livenessProbe:` becomes a block (or, inside a flow mapping, a flow value). */
function replaceEmptyValue(text: string, map: YAMLMap, pair: Pair, value: PlainValue, style: FileStyle): EditResult {
  const key = pair.key as Node;
  const current = pair.value as Node | null;
  const colon = text.indexOf(":", rangeOf(key)[1]);
  if (colon === -1) return refuse("the key has no colon");
  // A null written as nothing has an empty range that may sit at a following comment: nothing to remove then.
  const written = current !== null && rangeOf(current)[1] > rangeOf(current)[0];
  const valueStart = written ? rangeOf(current)[0] : colon + 1;
  const valueEnd = written ? rangeOf(current)[1] : colon + 1;
  const collection = isPlainObject(value) ? Object.keys(value).length > 0 : Array.isArray(value) && value.length > 0;
  if (map.flow || !collection) {
    const replacement = `${written ? "" : " "}${renderFlow(value)}`;
    return { ok: true, text: `${text.slice(0, valueStart)}${replacement}${text.slice(valueEnd)}` };
  }
  // Keep whatever followed the empty value (a comment) on the key's line.
  const withoutValue = `${text.slice(0, colon + 1)}${text.slice(valueEnd)}`;
  const lines = renderNestedLines(value, columnOf(text, rangeOf(key)[0]), style);
  return { ok: true, text: insertLines(withoutValue, colon + 1, lines, style) };
}

function setLeaf(text: string, node: AnyNode, value: PlainValue, where: string, inFlow: boolean | undefined): EditResult {
  if (!isScalar(node)) return refuse(`${where} holds a ${isMap(node) ? "mapping" : "list"}, not a single value`);
  return setScalar(text, node, value, inFlow === true);
}

function setScalar(text: string, scalar: Scalar, value: PlainValue, inFlow: boolean): EditResult {
  if (scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED) return refuse("the value is a block scalar (| or >); Shipshape does not edit inside one");
  if (typeof value === "object" && value !== null) return refuse("a single value cannot become a collection");
  const [start, end] = rangeOf(scalar);
  let rendered: string;
  if (typeof value === "string" && scalar.type === Scalar.QUOTE_DOUBLE) rendered = JSON.stringify(value);
  else if (typeof value === "string" && scalar.type === Scalar.QUOTE_SINGLE) rendered = `'${value.replace(/'/g, "''")}'`;
  else rendered = inFlow ? renderFlow(value) : renderScalar(value);
  return { ok: true, text: `${text.slice(0, start)}${rendered}${text.slice(end)}` };
}

/** Adds an entry after the last one of a flow collection (before any trailing comma or comment), or into an empty one. */
function insertIntoFlow(text: string, collection: YAMLMap | YAMLSeq, entry: string): string {
  const last = collection.items[collection.items.length - 1] as Node | Pair | undefined;
  if (last === undefined) {
    const open = rangeOf(collection)[0];
    return `${text.slice(0, open + 1)}${entry}${text.slice(open + 1)}`;
  }
  const lastNode = isPair(last) ? ((last.value as Node | null) ?? (last.key as Node)) : last;
  const end = rangeOf(lastNode)[1];
  return `${text.slice(0, end)}, ${entry}${text.slice(end)}`;
}

/** Inserts whole lines after the line that holds `offset`, in the file's line ending. */
function insertLines(text: string, offset: number, lines: readonly string[], style: FileStyle): string {
  const body = lines.join(style.eol);
  const lineEnd = offset > 0 && text[offset - 1] === "\n" ? offset : text.indexOf("\n", offset) + 1;
  if (lineEnd === 0) return `${text}${style.eol}${body}`; // last line, no final newline: keep it that way
  return `${text.slice(0, lineEnd)}${body}${style.eol}${text.slice(lineEnd)}`;
}

function endOfLastPair(map: YAMLMap): number {
  const last = map.items[map.items.length - 1] as Pair;
  const value = last.value as Node | null;
  return value ? rangeOf(value)[1] : rangeOf(last.key as Node)[1];
}

function endOfLastItem(seq: YAMLSeq): number {
  return rangeOf(seq.items[seq.items.length - 1] as Node)[1];
}

function rangeOf(node: Node): [number, number, number] {
  const range = node.range;
  if (!range) throw new Error("node without a source range");
  return range;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

function dashColumnBefore(text: string, offset: number): number | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const dash = text.lastIndexOf("-", offset - 1);
  return dash >= lineStart && text.slice(dash + 1, offset).trim() === "" ? dash - lineStart : undefined;
}

function nestUnder(keys: readonly string[], value: PlainValue): PlainValue {
  return keys.reduceRight<PlainValue>((inner, key) => ({ [key]: inner }), value);
}

/** Refuses to edit through an alias, or a node that an alias elsewhere reuses. */
function aliasOrShared(node: AnyNode, where: string, aliased: ReadonlySet<string>): EditResult | undefined {
  if (isAlias(node)) return refuseAlias(node, where);
  const anchor = sharedAnchor(node, aliased);
  return anchor === undefined ? undefined : refuseShared(anchor, where);
}

function refuseAlias(alias: Alias, where: string): EditResult {
  return refuse(`${where} comes from the alias *${alias.source}; edit the anchor &${alias.source} instead`);
}

function refuseShared(anchor: string, where: string): EditResult {
  return refuse(`${where} is anchored as &${anchor} and reused through *${anchor}; an edit there would change every copy`);
}

/** An anchored node that aliases reuse: editing it would change every place that says *name too. */
function sharedAnchor(node: AnyNode, aliased: ReadonlySet<string>): string | undefined {
  const anchor = node && "anchor" in node ? node.anchor : undefined;
  return anchor !== undefined && aliased.has(anchor) ? anchor : undefined;
}

