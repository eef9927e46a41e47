import { isMap, type YamlMap, type YamlNode } from "../yaml/nodes.js";

export interface PathLookup {
  /** The node at the end of the path, if every key exists and is not null. */
  found: YamlNode | undefined;
  /**
   * Where to point when something on the path is missing: the key of the
   * deepest mapping that exists (`requests:`), or the start of `root` itself
   * (a container's `- name:` line).
   */
  anchorOffset: number;
}

/** Follows `path` through mappings, remembering where a missing key would go. */
export function lookupPath(root: YamlMap, path: readonly string[]): PathLookup {
  let node: YamlMap = root;
  let anchorOffset = root.offset;
  for (const [index, key] of path.entries()) {
    const pair = node.pairs.get(key);
    if (!pair || isNull(pair.value)) return { found: undefined, anchorOffset: pair ? pair.key.offset : anchorOffset };
    if (index === path.length - 1) return { found: pair.value, anchorOffset: pair.key.offset };
    if (!isMap(pair.value)) return { found: undefined, anchorOffset: pair.key.offset };
    node = pair.value;
    anchorOffset = pair.key.offset;
  }
  return { found: root, anchorOffset };
}

function isNull(node: YamlNode): boolean {
  return node.kind === "scalar" && node.value === null;
}
