/**
 * A light YAML node tree that keeps source offsets. The scan builds it from
 * js-yaml's event stream, which is several times faster than composing a full
 * `yaml` Document; fixes re-read files with the `yaml` package to edit text.
 */
export type ScalarValue = string | number | boolean | null;

/** Set by the composer on anchored nodes (`&name`) that an alias (`*name`) reuses. */
interface Shareable {
  sharedAs?: string;
}

export interface YamlScalar extends Shareable {
  readonly kind: "scalar";
  /** Offset of the first character of the value (or where an empty value would be). */
  readonly offset: number;
  readonly end: number;
  /** The decoded text, before plain-scalar type resolution. */
  readonly text: string;
  readonly value: ScalarValue;
  readonly quoted: boolean;
}

export interface YamlPair {
  readonly key: YamlScalar;
  readonly value: YamlNode;
}

export interface YamlMap extends Shareable {
  readonly kind: "map";
  readonly offset: number;
  readonly flow: boolean;
  readonly pairs: Map<string, YamlPair>;
}

export interface YamlSeq extends Shareable {
  readonly kind: "seq";
  readonly offset: number;
  readonly flow: boolean;
  readonly items: YamlNode[];
}

export type YamlNode = YamlMap | YamlSeq | YamlScalar;

export function isMap(node: YamlNode | undefined): node is YamlMap {
  return node?.kind === "map";
}

export function isSeq(node: YamlNode | undefined): node is YamlSeq {
  return node?.kind === "seq";
}

export function isScalar(node: YamlNode | undefined): node is YamlScalar {
  return node?.kind === "scalar";
}

export function getPair(node: YamlNode | undefined, key: string): YamlPair | undefined {
  return node?.kind === "map" ? node.pairs.get(key) : undefined;
}

export function get(node: YamlNode | undefined, key: string): YamlNode | undefined {
  return getPair(node, key)?.value;
}

/** Follows a path of mapping keys; undefined as soon as one is missing. */
export function getIn(node: YamlNode | undefined, path: readonly string[]): YamlNode | undefined {
  let current = node;
  for (const key of path) current = get(current, key);
  return current;
}

export function getMap(node: YamlNode | undefined, key: string): YamlMap | undefined {
  const value = get(node, key);
  return isMap(value) ? value : undefined;
}

/** A scalar's decoded text, or undefined for anything that is not a non-null scalar. */
export function getText(node: YamlNode | undefined, key: string): string | undefined {
  const value = get(node, key);
  return isScalar(value) && value.value !== null ? value.text : undefined;
}

export function seqItems(node: YamlNode | undefined): readonly YamlNode[] {
  return isSeq(node) ? node.items : [];
}

/** The first node on `path` (from `node`, itself included) that aliases reuse, by its anchor name. */
export function sharedAnchorOnPath(node: YamlNode | undefined, path: readonly (string | number)[]): string | undefined {
  let current = node;
  for (const step of path) {
    if (current === undefined) return undefined;
    if (current.sharedAs !== undefined) return current.sharedAs;
    current = typeof step === "number" ? (isSeq(current) ? current.items[step] : undefined) : get(current, step);
  }
  return current?.sharedAs;
}
