import { effectiveSecuritySetting } from "../model/security-context.js";
import { getPair, isScalar, type YamlPair } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type ContainerCheck, type Hit } from "./types.js";

/**
 * The container must not run as root: `runAsNonRoot: true` or a non-zero
 * `runAsUser`, set on the container or inherited from the pod's securityContext.
 */
export const runAsNonRoot: ContainerCheck = {
  name: "run-as-non-root",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const nonRoot = effectiveSecuritySetting(container, "runAsNonRoot");
    const user = effectiveSecuritySetting(container, "runAsUser");
    const userIsRoot = user !== undefined && scalarValue(user) === 0;
    const userIsNonRoot = user !== undefined && typeof scalarValue(user) === "number" && !userIsRoot;
    const name = container.name;
    if (userIsRoot) {
      return [hit(user.value.offset, `container "${name}" sets runAsUser: 0 (root)`, "runAsUser")];
    }
    if (nonRoot !== undefined && scalarValue(nonRoot) === true) return [];
    if (userIsNonRoot) return [];
    if (nonRoot !== undefined) {
      return [hit(nonRoot.value.offset, `container "${name}" sets runAsNonRoot: ${asWritten(nonRoot)}`, "runAsNonRoot")];
    }
    const anchor = getPair(container.node, "securityContext")?.key.offset ?? container.node.offset;
    return [hit(anchor, `container "${name}" may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser`, "runAsNonRoot")];
  },
};

function scalarValue(pair: YamlPair): unknown {
  return isScalar(pair.value) ? pair.value.value : undefined;
}

function hit(offset: number, message: string, detail: string): Hit {
  return { offset, message, detail };
}
