import { getMap, getPair } from "../yaml/nodes.js";
import type { ContainerCheck } from "./types.js";
import { integerOf } from "./workload-scaling.js";

/**
 * A liveness probe that waits long before it starts (`initialDelaySeconds`
 * of `params.minDelaySeconds` or more, default 60) with no startupProbe: the
 * delay is a guess at the start-up time, too long for a fast start and too
 * short for a slow one. A startupProbe holds the liveness probe off exactly
 * until the container has started.
 */
export const startupProbeAdvised: ContainerCheck = {
  name: "startup-probe-advised",
  scope: "container",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    properties: { minDelaySeconds: { type: "integer", minimum: 1 } },
  },
  run(container, params) {
    const minDelay = (params.minDelaySeconds as number | undefined) ?? 60;
    if (getMap(container.node, "startupProbe")) return [];
    const delay = getPair(getMap(container.node, "livenessProbe"), "initialDelaySeconds");
    const seconds = integerOf(delay?.value);
    if (!delay || seconds === undefined || seconds < minDelay) return [];
    return [
      {
        offset: delay.value.offset,
        message: `container "${container.name}" delays its liveness probe by ${seconds}s (initialDelaySeconds) and has no startupProbe: a slower start gets it restarted in a loop, and a faster one goes unwatched for ${seconds}s`,
        detail: "startupProbe",
      },
    ];
  },
};
