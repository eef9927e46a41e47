import { kustomizePatchFiles } from "../kustomize/patch-files.js";
import { podSpecOf, type PodSpecRef } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { get, getPair, getText, isScalar, type YamlNode, type YamlPair, type YamlScalar } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";

/**
 * A pod spec that does not set `automountServiceAccountToken: false` gets an API token mounted in every
 * container. When the workspace holds the pod's ServiceAccount (same name, same or unset namespace) and it
 * sets `automountServiceAccountToken: false`, the pod inherits that and passes; a value on the pod spec wins.
 */
export const serviceAccountToken: WorkspaceCheck = {
  name: "service-account-token",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const patchFiles = kustomizePatchFiles(workspace.files);
    const accounts = workspace.resources.filter((resource) => resource.kind === "ServiceAccount" && resource.apiVersion === "v1" && !patchFiles.has(resource.file));
    const hits: WorkspaceHit[] = [];
    for (const resource of workspace.resources) {
      if (patchFiles.has(resource.file)) continue;
      const pod = podSpecOf(resource);
      if (!pod) continue;
      const hit = judge(resource, pod, accounts);
      if (hit) hits.push({ ...hit, file: resource.file, resource });
    }
    return hits;
  },
};

function judge(resource: Resource, pod: PodSpecRef, accounts: readonly Resource[]): { offset: number; message: string; detail: string } | undefined {
  const subject = `${resource.kind} "${resource.name}"`;
  const own = automountSetting(pod.spec);
  if (own) {
    if (own.value.value === false) return undefined;
    return { offset: own.value.offset, message: `${subject} sets automountServiceAccountToken: ${asWritten(own)}: every container gets a Kubernetes API token`, detail: "automountServiceAccountToken" };
  }
  const accountName = getText(pod.spec, "serviceAccountName") ?? getText(pod.spec, "serviceAccount") ?? "default";
  const seen = accounts.filter((account) => account.name === accountName && sameNamespace(account.namespace, resource.namespace));
  if (seen.length > 0 && seen.every((account) => automountSetting(account.node)?.value.value === false)) return undefined;
  const account = seen.length > 0 ? `, nor does its ServiceAccount "${accountName}"` : "";
  return {
    offset: podSpecKeyOffset(resource, pod),
    message: `${subject} does not set automountServiceAccountToken: false in its pod spec${account}: every container gets a Kubernetes API token`,
    detail: "automountServiceAccountToken",
  };
}

/** `automountServiceAccountToken` when written with a non-null scalar. */
export function automountSetting(node: YamlNode | undefined): (YamlPair & { value: YamlScalar }) | undefined {
  const pair = getPair(node, "automountServiceAccountToken");
  return pair && isScalar(pair.value) && pair.value.value !== null ? { key: pair.key, value: pair.value } : undefined;
}

/** A manifest without a namespace is applied into whichever namespace it is deployed to. */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** The `spec:` key of the pod spec (the pod template's, or the Pod's own). */
function podSpecKeyOffset(resource: Resource, pod: PodSpecRef): number {
  const steps = pod.path.slice(resource.path.length, -1).map(String);
  let parent: YamlNode | undefined = resource.node;
  for (const step of steps) parent = get(parent, step);
  return getPair(parent, "spec")?.key.offset ?? pod.spec.offset;
}
