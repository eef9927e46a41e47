import { getMap, getPair, isScalar, type YamlPair } from "../yaml/nodes.js";
import type { ContainerRef } from "./pods.js";

/**
 * A securityContext setting as the kubelet applies it: the container's own
 * (when not null) wins over the pod's.
 */
export function effectiveSecuritySetting(container: ContainerRef, key: string): YamlPair | undefined {
  for (const context of [getMap(container.node, "securityContext"), getMap(container.pod.spec, "securityContext")]) {
    const pair = getPair(context, key);
    if (pair && !(isScalar(pair.value) && pair.value.value === null)) return pair;
  }
  return undefined;
}
