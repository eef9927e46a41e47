import { kustomizePatchFiles } from "../kustomize/patch-files.js";
import { podSpecOf } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";

/** Kinds whose objects select pods of their own namespace (Kubernetes, Calico, Cilium). */
const NAMESPACED_POLICY_KINDS = new Set(["NetworkPolicy", "CiliumNetworkPolicy"]);
/** Kinds that apply to every namespace: one of them in the workspace covers them all. */
const CLUSTER_POLICY_KINDS = new Set(["GlobalNetworkPolicy", "CiliumClusterwideNetworkPolicy"]);

export const NO_NAMESPACE = "(no namespace)";

/**
 * Namespaces with workloads in the workspace and no NetworkPolicy in the
 * workspace: reported once, at the first workload (in file order). A
 * namespace is `metadata.namespace` as written, or "(no namespace)": the
 * namespace a kustomization or `kubectl -n` gives is not followed. Any
 * policy in a namespace covers it (one with an empty podSelector covers
 * every pod; which pods the others select is not judged).
 */
export const networkPolicyMissing: WorkspaceCheck = {
  name: "network-policy-missing",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const patches = kustomizePatchFiles(workspace.files);
    const resources = workspace.resources.filter((resource) => !patches.has(resource.file));
    if (resources.some((resource) => CLUSTER_POLICY_KINDS.has(resource.kind))) return [];
    const covered = new Set(resources.filter((resource) => NAMESPACED_POLICY_KINDS.has(resource.kind)).map(namespaceOf));
    const workloads = new Map<string, Resource[]>();
    for (const resource of resources) {
      if (!podSpecOf(resource)) continue;
      const namespace = namespaceOf(resource);
      if (covered.has(namespace)) continue;
      workloads.set(namespace, [...(workloads.get(namespace) ?? []), resource]);
    }
    const hits: WorkspaceHit[] = [];
    for (const [namespace, found] of workloads) {
      const first = found[0] as Resource;
      const others = found.length > 1 ? ` and ${found.length - 1} more workload${found.length > 2 ? "s" : ""}` : "";
      const subject = namespace === NO_NAMESPACE ? "the namespace of the objects without metadata.namespace" : `namespace "${namespace}"`;
      hits.push({
        file: first.file,
        offset: first.node.offset,
        message: `${subject} (${first.kind} "${first.name}"${others}) has no NetworkPolicy: its pods accept traffic from every pod in the cluster`,
        detail: `namespace ${namespace}`,
        resource: first,
      });
    }
    return hits;
  },
};

function namespaceOf(resource: Resource): string {
  return resource.namespace === undefined || resource.namespace === "" ? NO_NAMESPACE : resource.namespace;
}
