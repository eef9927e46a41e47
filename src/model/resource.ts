import { getMap, getText, isMap, seqItems, type YamlMap } from "../yaml/nodes.js";
import type { YamlDocument } from "../yaml/compose.js";

/** One Kubernetes object as written in a file. */
export interface Resource {
  file: string;
  /** 0-based document index within the file. */
  document: number;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  node: YamlMap;
  /** Where the object sits in its document: [] at the top, ["items", 3] inside a List. */
  path: readonly (string | number)[];
}

export interface ResourceIdentity {
  kind: string;
  name: string;
  namespace: string | undefined;
}

/** The objects of a parsed file: every document with `apiVersion` and `kind`, and the items of `kind: List`. */
export function resourcesOf(file: string, documents: readonly YamlDocument[]): Resource[] {
  const resources: Resource[] = [];
  for (const document of documents) {
    if (!isMap(document.root)) continue;
    collect(document.root, document.index, []);
  }
  return resources;

  function collect(node: YamlMap, documentIndex: number, path: readonly (string | number)[]): void {
    const apiVersion = getText(node, "apiVersion");
    const kind = getText(node, "kind");
    if (apiVersion === undefined || kind === undefined) return;
    if (kind === "List" || (kind.endsWith("List") && apiVersion === "v1")) {
      seqItems(node.pairs.get("items")?.value).forEach((item, index) => {
        if (isMap(item)) collect(item, documentIndex, [...path, "items", index]);
      });
      return;
    }
    const metadata = getMap(node, "metadata");
    resources.push({
      file,
      document: documentIndex,
      apiVersion,
      kind,
      name: getText(metadata, "name") ?? getText(metadata, "generateName") ?? "",
      namespace: getText(metadata, "namespace"),
      node,
      path,
    });
  }
}

export function isArgoCdApplication(resource: Pick<Resource, "apiVersion" | "kind">): boolean {
  return resource.apiVersion.startsWith("argoproj.io/") && (resource.kind === "Application" || resource.kind === "ApplicationSet");
}
