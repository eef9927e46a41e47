import type { PlainValue } from "../edit/render.js";
import type { YamlNode } from "./nodes.js";

/** The data a node holds, as JSON-like values (what Kubernetes would read). */
export function toPlain(node: YamlNode | undefined): PlainValue {
  if (node === undefined) return null;
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "number" && !Number.isFinite(node.value) ? node.text : node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map":
      return Object.fromEntries([...node.pairs].map(([key, pair]) => [key, toPlain(pair.value)]));
  }
}
