import { getMap, getPair, isScalar } from "../yaml/nodes.js";
import { NO_PARAMS, type ResourceCheck } from "./types.js";
import { describeObject, intOrPercentOf, isScaledWorkload, replicaCount, replicasOf } from "./workload-scaling.js";

/**
 * A Deployment of more than one replica whose updates can take every
 * replica down: `strategy.type: Recreate`, or a rolling update whose
 * `maxUnavailable` covers all of them (an integer of at least `replicas`, or
 * a percentage that, rounded down as Kubernetes does, comes to that). No
 * strategy is Kubernetes' 25%/25% rolling update, which is safe.
 */
export const rollingUpdateUnsafe: ResourceCheck = {
  name: "rolling-update-unsafe",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    if (resource.kind !== "Deployment" || !isScaledWorkload(resource)) return [];
    const replicas = replicasOf(resource)?.count ?? 0;
    if (replicas < 2) return [];
    const strategy = getMap(getMap(resource.node, "spec"), "strategy");
    const type = getPair(strategy, "type");
    const typeText = type && isScalar(type.value) && type.value.value !== null ? type.value.text : undefined;
    const workload = describeObject(resource);
    if (typeText === "Recreate") {
      return [
        {
          offset: type?.value.offset ?? resource.node.offset,
          message: `${workload} runs ${replicaCount(replicas)} with strategy Recreate: every update stops all of them before it starts new ones`,
          detail: "strategy.type",
        },
      ];
    }
    if (typeText !== undefined && typeText !== "RollingUpdate") return [];
    const max = getPair(getMap(strategy, "rollingUpdate"), "maxUnavailable");
    const unavailable = intOrPercentOf(max?.value);
    if (!max || !unavailable) return [];
    const down = unavailable.percent ? Math.floor((replicas * unavailable.value) / 100) : unavailable.value;
    if (down < replicas) return [];
    const written = unavailable.percent ? `${unavailable.value}%` : String(unavailable.value);
    return [
      {
        offset: max.value.offset,
        message: `${workload} runs ${replicaCount(replicas)} with rollingUpdate.maxUnavailable: ${written}: an update may take all of them down at once`,
        detail: "strategy.rollingUpdate.maxUnavailable",
      },
    ];
  },
};
