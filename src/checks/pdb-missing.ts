import { get, getMap, getPair } from "../yaml/nodes.js";
import { selectorMatches } from "../model/selectors.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";
import { autoscalingOf, describeObject, isDisruptionBudget, isScaledWorkload, objectsOf, podLabelsOf, replicaCount, replicasOf, sameNamespace } from "./workload-scaling.js";

/**
 * A Deployment or StatefulSet that runs more than one replica (or whose
 * HorizontalPodAutoscaler keeps more than one) and whose pods no
 * PodDisruptionBudget in its namespace selects.
 */
export const pdbMissing: WorkspaceCheck = {
  name: "pdb-missing",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const objects = objectsOf(workspace);
    const budgets = objects.filter(isDisruptionBudget);
    return objects.flatMap((workload): WorkspaceHit[] => {
      if (!isScaledWorkload(workload)) return [];
      const replicas = replicasOf(workload)?.count ?? 0;
      const minReplicas = autoscalingOf(objects, workload)?.minReplicas ?? 0;
      if (replicas < 2 && minReplicas < 2) return [];
      const labels = podLabelsOf(workload);
      if (budgets.some((budget) => sameNamespace(budget, workload) && selectorMatches(get(getMap(budget.node, "spec"), "selector"), labels))) return [];
      const runs = minReplicas >= 2 ? `keeps at least ${replicaCount(minReplicas)} through its HorizontalPodAutoscaler` : `runs ${replicaCount(replicas)}`;
      const message = `${describeObject(workload)} ${runs} and no PodDisruptionBudget selects its pods: a node drain or cluster upgrade may evict them all at once`;
      const name = getPair(getMap(workload.node, "metadata"), "name");
      return [{ file: workload.file, resource: workload, offset: name?.value.offset ?? workload.node.offset, message, detail: "PodDisruptionBudget" }];
    });
  },
};
