import type { PlainValue } from "../edit/render.js";
import { composeYaml, DEFAULT_YAML_LIMITS, type YamlDocument } from "../yaml/compose.js";
import { get, isMap, isSeq, type YamlNode } from "../yaml/nodes.js";
import { toPlain } from "../yaml/plain.js";
import { templateSkeleton, type TemplateSkeleton } from "./template-skeleton.js";

/** A template's container as literal YAML (template actions masked), and the literal securityContext of its pod. */
export interface ContainerSkeleton {
  container: Record<string, PlainValue>;
  podSecurityContext: PlainValue | undefined;
}

/** A template read once for all its containers: its masked documents and its actions. */
export interface ReadTemplate {
  text: string;
  documents: readonly YamlDocument[];
  skeleton: TemplateSkeleton;
}

export function readTemplate(text: string): ReadTemplate {
  const skeleton = templateSkeleton(text);
  return { text, skeleton, documents: composeYaml(skeleton.text, DEFAULT_YAML_LIMITS).documents };
}

/** The container whose first key is at `offset` in a template, as its masked skeleton reads. */
export function containerSkeleton(template: ReadTemplate, offset: number): ContainerSkeleton | undefined {
  for (const document of template.documents) {
    const found = find(document.root, offset, undefined);
    if (found) return found;
  }
  return undefined;
}

/** Walks down to the map at `offset`; the pod spec is the map that holds the list the container is in. */
function find(node: YamlNode | undefined, offset: number, pod: YamlNode | undefined): ContainerSkeleton | undefined {
  if (isMap(node)) {
    if (node.offset === offset && pod !== undefined) {
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

/**
 * The `.Values` paths that `{{ if .Values.x }}` blocks around `offset` test (Bitnami's
 * `if .Values.volumePermissions.enabled` around an init container): the container is only rendered when all hold.
 */
export function guardsAt(template: ReadTemplate, offset: number): string[][] {
  const open: string[][][] = [];
  for (const action of template.skeleton.actions) {
    if (action.start >= offset) break;
    const [word, ...rest] = action.tokens;
    if (word === "end") open.pop();
    else if (word === "if" || word === "with" || word === "range" || word === "define" || word === "block") open.push(word === "if" ? testedPaths(rest) : []);
    // In an else branch the test no longer holds: it guards nothing that follows.
    else if (word === "else") open[open.length - 1] = [];
  }
  return open.flat();
}

/** `.Values.x` or `and .Values.x .Values.y…`: each path must hold. Anything else guards nothing Shipshape can tell. */
function testedPaths(tokens: readonly string[]): string[][] {
  const paths = (words: readonly string[]) => words.map((token) => /^\$?\.Values\.(.+)$/.exec(token)?.[1]?.split("."));
  const found = tokens.length === 1 ? paths(tokens) : tokens[0] === "and" ? paths(tokens.slice(1)) : [];
  return found.every((path) => path !== undefined) ? (found as string[][]) : [];
}
