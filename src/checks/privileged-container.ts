import { getMap, getPair, isScalar } from "../yaml/nodes.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

/** A privileged container has every capability and the node's devices: as good as root on the node. */
export const privilegedContainer: ContainerCheck = {
  name: "privileged-container",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const privileged = getPair(getMap(container.node, "securityContext"), "privileged");
    if (!privileged || !isScalar(privileged.value) || privileged.value.value !== true) return [];
    return [
      {
        offset: privileged.value.offset,
        message: `container "${container.name}" is privileged: it has every capability and access to all of the node's devices`,
        detail: "privileged",
      },
    ];
  },
};
