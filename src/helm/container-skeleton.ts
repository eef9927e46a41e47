import type { PlainValue } from "../edit/render.js";
import { composeYaml, DEFAULT_YAML_LIMITS } from "../yaml/compose.js";
import { get, isMap, isSeq, type YamlNode } from "../yaml/nodes.js";
import { toPlain } from "../yaml/plain.js";
import { maskTemplate } from "./template-skeleton.js";

/** A template's container as literal YAML (template actions masked), and the literal securityContext of its pod. */
export interface ContainerSkeleton {
  container: Record<string, PlainValue>;
  podSecurityContext: PlainValue | undefined;
}

/** The container whose first key is at `offset` in a template, as its masked skeleton reads. */
export function containerSkeleton(text: string, offset: number): ContainerSkeleton | undefined {
  const { documents } = composeYaml(maskTemplate(text), DEFAULT_YAML_LIMITS);
  for (const document of documents) {
    const found = find(document.root, offset, undefined);
    if (found) return found;
  }
  return undefined;
}

/** Walks down to the map at `offset`; the pod spec is the map that holds the list the container is in. */
function find(node: YamlNode | undefined, offset: number, pod: YamlNode | undefined): ContainerSkeleton | undefined {
  if (isMap(node)) {
    if (node.offset === offset && isSeqItemOfContainers(pod)) {
      const plain = toPlain(node);
      const podSecurityContext = get(pod, "securityContext");
      return { container: plain !== null && typeof plain === "object" && !Array.isArray(plain) ? plain : {}, podSecurityContext: podSecurityContext ? toPlain(podSecurityContext) : undefined };
    }
    for (const [key, pair] of node.pairs) {
      const holdsContainers = (key === "containers" || key === "initContainers") && isSeq(pair.value);
      const found = find(pair.value, offset, holdsContainers ? node : pod);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = find(item, offset, pod);
      if (found) return found;
    }
  }
  return undefined;
}

const isSeqItemOfContainers = (pod: YamlNode | undefined) => pod !== undefined;
