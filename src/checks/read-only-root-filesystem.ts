import { getMap, getPair, isScalar } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

/** `readOnlyRootFilesystem` is a container-only setting and defaults to false: only an explicit `true` passes. */
export const readOnlyRootFilesystem: ContainerCheck = {
  name: "read-only-root-filesystem",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const name = container.name;
    const setting = getPair(getMap(container.node, "securityContext"), "readOnlyRootFilesystem");
    if (setting && isScalar(setting.value) && setting.value.value !== null) {
      if (setting.value.value === true) return [];
      return [{ offset: setting.value.offset, message: `container "${name}" sets readOnlyRootFilesystem: ${asWritten(setting)}, so its root filesystem is writable`, detail: "readOnlyRootFilesystem" }];
    }
    const anchor = getPair(container.node, "securityContext")?.key.offset ?? container.node.offset;
    return [{ offset: anchor, message: `container "${name}" does not set readOnlyRootFilesystem: true, so its root filesystem is writable`, detail: "readOnlyRootFilesystem" }];
  },
};
