import { getMap, getPair, isScalar, isSeq, type YamlPair } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

/** The capabilities a container drops, as written (scalars only); undefined when `drop` is not a list. */
export function droppedCapabilities(drop: YamlPair | undefined): string[] | undefined {
  if (!drop) return [];
  if (isScalar(drop.value) && drop.value.value === null) return [];
  if (!isSeq(drop.value)) return undefined;
  return drop.value.items.flatMap((item) => (isScalar(item) && item.value !== null ? [item.text] : []));
}

/** The container must drop every Linux capability (`capabilities.drop` includes `ALL`) and add back only what it needs. */
export const capabilitiesDropped: ContainerCheck = {
  name: "capabilities-dropped",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const name = container.name;
    const context = getMap(container.node, "securityContext");
    const capabilities = getMap(context, "capabilities");
    const drop = getPair(capabilities, "drop");
    const dropped = droppedCapabilities(drop);
    if (dropped?.includes("ALL")) return [];
    if (drop && dropped === undefined) {
      return [{ offset: drop.value.offset, message: `container "${name}" sets capabilities.drop: ${asWritten(drop)}, which is not a list that includes ALL`, detail: "capabilities.drop" }];
    }
    if (drop && dropped && dropped.length > 0) {
      return [{ offset: drop.key.offset, message: `container "${name}" drops only ${dropped.join(", ")}, not ALL: it keeps the runtime's other default capabilities`, detail: "capabilities.drop" }];
    }
    const anchor = drop?.key.offset ?? getPair(context, "capabilities")?.key.offset ?? getPair(container.node, "securityContext")?.key.offset ?? container.node.offset;
    return [{ offset: anchor, message: `container "${name}" does not drop all capabilities: securityContext.capabilities.drop does not include ALL`, detail: "capabilities.drop" }];
  },
};
