import { podSpecOf } from "../model/pods.js";
import { get, getMap, getPair, seqItems } from "../yaml/nodes.js";
import { NO_PARAMS, type ResourceCheck } from "./types.js";
import { describeObject, isScaledWorkload, replicaCount, replicasOf } from "./workload-scaling.js";

/**
 * A Deployment or StatefulSet of more than one replica whose pod spec says
 * nothing about spreading its pods: neither `affinity.podAntiAffinity` nor
 * `topologySpreadConstraints`. The scheduler then may put every replica on
 * one node, and losing that node loses them all.
 */
export const topologySpreadMissing: ResourceCheck = {
  name: "topology-spread-missing",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    if (!isScaledWorkload(resource)) return [];
    const replicas = replicasOf(resource)?.count ?? 0;
    const pod = podSpecOf(resource);
    if (replicas < 2 || !pod) return [];
    if (getMap(getMap(pod.spec, "affinity"), "podAntiAffinity") || seqItems(get(pod.spec, "topologySpreadConstraints")).length > 0) return [];
    const specKey = getPair(getMap(getMap(resource.node, "spec"), "template"), "spec")?.key.offset ?? pod.spec.offset;
    return [
      {
        offset: specKey,
        message: `${describeObject(resource)} runs ${replicaCount(replicas)} with no topologySpreadConstraints or podAntiAffinity: the scheduler may place them all on one node`,
        detail: "topologySpreadConstraints",
      },
    ];
  },
};
