import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";
import { autoscalingOf, describeObject, isScaledWorkload, objectsOf, replicaCount, replicasOf } from "./workload-scaling.js";

/**
 * A Deployment or StatefulSet that runs a single replica (`replicas: 1`, or
 * none written) and that no HorizontalPodAutoscaler in its namespace scales
 * (scaleTargetRef by kind and name). `replicas: 0` is a workload switched
 * off on purpose, and a templated count cannot be judged: neither is reported.
 */
export const replicasTooLow: WorkspaceCheck = {
  name: "replicas-too-low",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const objects = objectsOf(workspace);
    return objects.flatMap((workload): WorkspaceHit[] => {
      if (!isScaledWorkload(workload)) return [];
      const replicas = replicasOf(workload);
      if (!replicas || replicas.count !== 1 || autoscalingOf(objects, workload)) return [];
      const runs = replicas.written ? `runs ${replicaCount(replicas.count)}` : `sets no replicas, so it runs 1,`;
      const message = `${describeObject(workload)} ${runs} and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving`;
      return [{ file: workload.file, resource: workload, offset: replicas.offset, message, detail: "replicas" }];
    });
  },
};
