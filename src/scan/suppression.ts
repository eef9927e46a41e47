import type { PodSpecRef } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { getIn, getText, type YamlNode } from "../yaml/nodes.js";

export const IGNORE_ANNOTATION = "shipshape.dev/ignore";

/** Rule ids named in `shipshape.dev/ignore` on the object or on its pod template ("*" means all). */
export function ignoredRules(resource: Resource, pod: PodSpecRef | undefined): Set<string> {
  const ids = new Set<string>();
  for (const metadata of [getIn(resource.node, ["metadata"]), pod?.templateMetadata]) addIgnored(ids, metadata);
  return ids;
}

function addIgnored(ids: Set<string>, metadata: YamlNode | undefined): void {
  const value = getText(getIn(metadata, ["annotations"]), IGNORE_ANNOTATION);
  if (value === undefined) return;
  for (const id of value.split(",")) {
    const trimmed = id.trim();
    if (trimmed !== "") ids.add(trimmed);
  }
}

export function isIgnored(ids: ReadonlySet<string>, ruleId: string): boolean {
  return ids.has("*") || ids.has(ruleId);
}
