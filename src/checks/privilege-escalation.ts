import { getMap, getPair, isScalar } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

/** `allowPrivilegeEscalation` defaults to true; only an explicit `false` (and not privileged) closes it. */
export const privilegeEscalation: ContainerCheck = {
  name: "privilege-escalation",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const context = getMap(container.node, "securityContext");
    const name = container.name;
    const privileged = getPair(context, "privileged");
    if (privileged && isScalar(privileged.value) && privileged.value.value === true) {
      return [{ offset: privileged.value.offset, message: `container "${name}" is privileged, which always allows privilege escalation`, detail: "privileged" }];
    }
    const allow = getPair(context, "allowPrivilegeEscalation");
    if (allow && isScalar(allow.value) && allow.value.value !== null) {
      if (allow.value.value === false) return [];
      return [{ offset: allow.value.offset, message: `container "${name}" sets allowPrivilegeEscalation: ${asWritten(allow)}`, detail: "allowPrivilegeEscalation" }];
    }
    const anchor = getPair(container.node, "securityContext")?.key.offset ?? container.node.offset;
    return [{ offset: anchor, message: `container "${name}" does not set allowPrivilegeEscalation: false`, detail: "allowPrivilegeEscalation" }];
  },
};
