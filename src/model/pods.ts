import { get, getIn, getMap, getText, isMap, seqItems, type YamlMap } from "../yaml/nodes.js";
import type { Resource } from "./resource.js";

export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";
export const CONTAINER_LISTS: readonly ContainerList[] = ["containers", "initContainers", "ephemeralContainers"];

export interface PodSpecRef {
  resource: Resource;
  spec: YamlMap;
  /** Path of `spec` from the document root. */
  path: readonly (string | number)[];
  /** The pod template's `metadata`, where a workload has one. */
  templateMetadata: YamlMap | undefined;
}

export interface ContainerRef {
  pod: PodSpecRef;
  list: ContainerList;
  index: number;
  name: string;
  node: YamlMap;
  /** Path of the container from the document root. */
  path: readonly (string | number)[];
}

/** Where each workload kind keeps its pod spec. */
const POD_TEMPLATE_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ["Deployment", ["spec", "template"]],
  ["StatefulSet", ["spec", "template"]],
  ["DaemonSet", ["spec", "template"]],
  ["ReplicaSet", ["spec", "template"]],
  ["ReplicationController", ["spec", "template"]],
  ["Job", ["spec", "template"]],
  ["CronJob", ["spec", "jobTemplate", "spec", "template"]],
]);

/** The pod spec of a workload, or undefined for kinds that have none (or a Rollout that uses workloadRef). */
export function podSpecOf(resource: Resource): PodSpecRef | undefined {
  if (resource.kind === "Pod" && resource.apiVersion === "v1") {
    const spec = getMap(resource.node, "spec");
    return spec ? { resource, spec, path: [...resource.path, "spec"], templateMetadata: undefined } : undefined;
  }
  const templatePath = resource.kind === "Rollout" && resource.apiVersion.startsWith("argoproj.io/") ? ["spec", "template"] : POD_TEMPLATE_PATHS.get(resource.kind);
  if (!templatePath) return undefined;
  const template = getIn(resource.node, templatePath);
  const spec = getMap(template, "spec");
  if (!isMap(template) || !spec) return undefined;
  return { resource, spec, path: [...resource.path, ...templatePath, "spec"], templateMetadata: getMap(template, "metadata") };
}

export function containersOf(pod: PodSpecRef, lists: readonly ContainerList[]): ContainerRef[] {
  const containers: ContainerRef[] = [];
  for (const list of lists) {
    seqItems(get(pod.spec, list)).forEach((node, index) => {
      if (isMap(node)) containers.push({ pod, list, index, name: getText(node, "name") ?? `#${index + 1}`, node, path: [...pod.path, list, index] });
    });
  }
  return containers;
}
