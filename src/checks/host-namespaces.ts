import { podSpecOf } from "../model/pods.js";
import { getPair, isScalar } from "../yaml/nodes.js";
import { NO_PARAMS, type Hit, type ResourceCheck } from "./types.js";

/** The node namespaces a pod may share, and what sharing each one gives its containers. */
const HOST_NAMESPACES: readonly { field: string; what: string }[] = [
  { field: "hostNetwork", what: "the node's network namespace: it sees every interface of the node and can bind its ports" },
  { field: "hostPID", what: "the node's process namespace: it sees and can signal every process on the node" },
  { field: "hostIPC", what: "the node's IPC namespace: it can read the shared memory of every process on the node" },
];

/** A pod spec that shares one of the node's namespaces (`hostNetwork`, `hostPID`, `hostIPC` true): one hit per field, at it. */
export const hostNamespaces: ResourceCheck = {
  name: "host-namespaces",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    const pod = podSpecOf(resource);
    if (!pod) return [];
    const hits: Hit[] = [];
    for (const { field, what } of HOST_NAMESPACES) {
      const pair = getPair(pod.spec, field);
      if (!pair || !isScalar(pair.value) || pair.value.value !== true) continue;
      hits.push({ offset: pair.key.offset, message: `${resource.kind} "${resource.name}" sets ${field}: true, so its pod shares ${what}`, detail: field });
    }
    return hits;
  },
};
