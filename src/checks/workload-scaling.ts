import { kustomizePatchFiles } from "../kustomize/patch-files.js";
import { podSpecOf } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { labelsOf } from "../model/selectors.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { get, getMap, getPair, isScalar, type YamlNode } from "../yaml/nodes.js";

/**
 * What the reliability checks share about workloads that run a number of
 * replicas (Deployments and StatefulSets), the HorizontalPodAutoscalers
 * that scale them and the PodDisruptionBudgets that protect them.
 */

const SCALED_KINDS = new Set(["Deployment", "StatefulSet"]);

export function isScaledWorkload(resource: Resource): boolean {
  return SCALED_KINDS.has(resource.kind) && resource.apiVersion.startsWith("apps/");
}

export function isAutoscaler(resource: Resource): boolean {
  return resource.kind === "HorizontalPodAutoscaler" && resource.apiVersion.startsWith("autoscaling/");
}

export function isDisruptionBudget(resource: Resource): boolean {
  return resource.kind === "PodDisruptionBudget" && resource.apiVersion.startsWith("policy/");
}

/** `Deployment "web"`, for messages. */
export function describeObject(resource: Resource): string {
  return `${resource.kind} "${resource.name}"`;
}

/** "1 replica", "3 replicas". */
export function replicaCount(count: number): string {
  return `${count} ${count === 1 ? "replica" : "replicas"}`;
}

/** A whole number written as a YAML integer; undefined for anything else (a template, a quoted string). */
export function integerOf(node: YamlNode | undefined): number | undefined {
  return isScalar(node) && typeof node.value === "number" && Number.isInteger(node.value) ? node.value : undefined;
}

export interface Replicas {
  count: number;
  /** false: `spec.replicas` is not written, and Kubernetes runs 1. */
  written: boolean;
  /** The `replicas` value, or where the object starts when it has none. */
  offset: number;
}

/** A workload's `spec.replicas` (missing means 1); undefined when it is not a whole number (a template, a string). */
export function replicasOf(resource: Resource): Replicas | undefined {
  const pair = getPair(getMap(resource.node, "spec"), "replicas");
  if (!pair || (isScalar(pair.value) && pair.value.value === null)) return { count: 1, written: false, offset: getPair(resource.node, "spec")?.key.offset ?? resource.node.offset };
  const count = integerOf(pair.value);
  return count === undefined ? undefined : { count, written: true, offset: pair.value.offset };
}

/** Objects of one namespace; an object without one is taken to share the other's (kustomize or Argo CD sets it). */
export function sameNamespace(a: Resource, b: Resource): boolean {
  return a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace;
}

/** The Kubernetes objects the workspace checks judge: not the partial ones of kustomize patch files. */
export function objectsOf(workspace: ParsedWorkspace): Resource[] {
  const patches = kustomizePatchFiles(workspace.files);
  return workspace.resources.filter((resource) => !patches.has(resource.file));
}

export interface Autoscaling {
  autoscaler: Resource;
  /** `spec.minReplicas` (default 1); undefined when it is not a whole number. */
  minReplicas: number | undefined;
}

/** The first HorizontalPodAutoscaler (in workspace order) whose scaleTargetRef names the workload by kind and name. */
export function autoscalingOf(objects: readonly Resource[], workload: Resource): Autoscaling | undefined {
  const autoscaler = objects.find((candidate) => {
    if (!isAutoscaler(candidate) || !sameNamespace(candidate, workload)) return false;
    const target = getMap(getMap(candidate.node, "spec"), "scaleTargetRef");
    return textOf(get(target, "kind")) === workload.kind && textOf(get(target, "name")) === workload.name;
  });
  if (!autoscaler) return undefined;
  const min = get(getMap(autoscaler.node, "spec"), "minReplicas");
  return { autoscaler, minReplicas: min === undefined || (isScalar(min) && min.value === null) ? 1 : integerOf(min) };
}

/** The labels of a workload's pod template. */
export function podLabelsOf(workload: Resource): Map<string, string> {
  return labelsOf(getMap(podSpecOf(workload)?.templateMetadata, "labels"));
}

function textOf(node: YamlNode | undefined): string | undefined {
  return isScalar(node) && node.value !== null ? node.text : undefined;
}

export type IntOrPercent = { percent: false; value: number } | { percent: true; value: number };

/** An IntOrString field (`maxUnavailable: 1`, `maxUnavailable: 25%`); undefined when it is neither. */
export function intOrPercentOf(node: YamlNode | undefined): IntOrPercent | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  if (typeof node.value === "number") return Number.isInteger(node.value) && node.value >= 0 ? { percent: false, value: node.value } : undefined;
  const match = /^(\d+)%$/.exec(node.text);
  return match ? { percent: true, value: Number(match[1]) } : undefined;
}
