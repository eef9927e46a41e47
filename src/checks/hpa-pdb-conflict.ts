import { selectorMatches } from "../model/selectors.js";
import type { Resource } from "../model/resource.js";
import { get, getMap, getPair } from "../yaml/nodes.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";
import {
  autoscalingOf,
  describeObject,
  intOrPercentOf,
  isDisruptionBudget,
  isScaledWorkload,
  objectsOf,
  podLabelsOf,
  replicaCount,
  replicasOf,
  sameNamespace,
} from "./workload-scaling.js";

/**
 * A PodDisruptionBudget that allows no eviction at all: `maxUnavailable: 0`
 * (or 0%), or a `minAvailable` that is at least the number of pods a
 * workload it selects may run with: its HorizontalPodAutoscaler's
 * minReplicas, or without one its replicas. A percentage of minAvailable is
 * rounded up, as Kubernetes does. Node drains and cluster upgrades then
 * wait on it forever. Reported at the budget's field, once per workload.
 */
export const hpaPdbConflict: WorkspaceCheck = {
  name: "hpa-pdb-conflict",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const objects = objectsOf(workspace);
    const workloads = objects.filter(isScaledWorkload);
    return objects.filter(isDisruptionBudget).flatMap((budget): WorkspaceHit[] => {
      const spec = getMap(budget.node, "spec");
      const name = `PodDisruptionBudget "${budget.name}"`;
      const maxUnavailable = getPair(spec, "maxUnavailable");
      const max = intOrPercentOf(maxUnavailable?.value);
      if (maxUnavailable && max?.value === 0) {
        const written = max.percent ? "0%" : "0";
        return [{ file: budget.file, resource: budget, offset: maxUnavailable.value.offset, message: `${name} sets maxUnavailable: ${written}: it allows no eviction, so node drains and cluster upgrades block on its pods`, detail: "maxUnavailable" }];
      }
      const minAvailable = getPair(spec, "minAvailable");
      const min = intOrPercentOf(minAvailable?.value);
      if (!minAvailable || !min) return [];
      const selector = get(spec, "selector");
      return workloads.flatMap((workload): WorkspaceHit[] => {
        if (!sameNamespace(budget, workload) || !selectorMatches(selector, podLabelsOf(workload))) return [];
        const floor = floorOf(objects, workload);
        if (!floor || floor.count < 1) return [];
        const required = min.percent ? Math.ceil((floor.count * min.value) / 100) : min.value;
        if (required < floor.count) return [];
        const written = min.percent ? `${min.value}%` : String(min.value);
        const message = `${name} sets minAvailable: ${written}, but ${describeObject(workload)} ${floor.how}: it allows no eviction, so node drains and cluster upgrades block on its pods`;
        return [{ file: budget.file, resource: budget, offset: minAvailable.value.offset, message, detail: `minAvailable:${workload.kind}/${workload.name}` }];
      });
    });
  },
};

/** How few pods a workload may run with: its autoscaler's minimum, or its replicas. */
function floorOf(objects: readonly Resource[], workload: Resource): { count: number; how: string } | undefined {
  const autoscaling = autoscalingOf(objects, workload);
  if (autoscaling) {
    const count = autoscaling.minReplicas;
    return count === undefined ? undefined : { count, how: `may be scaled down to ${replicaCount(count)} by HorizontalPodAutoscaler "${autoscaling.autoscaler.name}"` };
  }
  const replicas = replicasOf(workload);
  return replicas ? { count: replicas.count, how: `runs ${replicaCount(replicas.count)}` } : undefined;
}
