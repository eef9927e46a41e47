import { getMap, getPair, isScalar, type YamlMap } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

export const CONFINED_SECCOMP_TYPES: readonly string[] = ["RuntimeDefault", "Localhost"];

/** The seccompProfile the kubelet applies to a container: its own, else its pod's; with where it is written. */
export function effectiveSeccompProfile(container: { node: YamlMap; pod: { spec: YamlMap } }): { profile: YamlMap; onPod: boolean } | undefined {
  const own = getMap(getMap(container.node, "securityContext"), "seccompProfile");
  if (own) return { profile: own, onPod: false };
  const pod = getMap(getMap(container.pod.spec, "securityContext"), "seccompProfile");
  return pod ? { profile: pod, onPod: true } : undefined;
}

/** Neither the container nor its pod confines syscalls with a seccomp profile (RuntimeDefault or Localhost). */
export const seccompProfile: ContainerCheck = {
  name: "seccomp-profile",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    const name = container.name;
    const effective = effectiveSeccompProfile(container);
    const type = getPair(effective?.profile, "type");
    if (effective && type && isScalar(type.value) && type.value.value !== null) {
      if (CONFINED_SECCOMP_TYPES.includes(type.value.text)) return [];
      const from = effective.onPod ? " (from its pod's securityContext)" : "";
      const message =
        type.value.text === "Unconfined"
          ? `container "${name}" runs with seccompProfile type Unconfined${from}: every system call is allowed`
          : `container "${name}" has seccompProfile type ${asWritten(type)}${from}, which is not RuntimeDefault or Localhost`;
      return [{ offset: type.value.offset, message, detail: "seccompProfile" }];
    }
    const anchor = getPair(container.node, "securityContext")?.key.offset ?? container.node.offset;
    return [{ offset: anchor, message: `container "${name}" has no seccomp profile: neither it nor its pod sets seccompProfile.type to RuntimeDefault or Localhost`, detail: "seccompProfile" }];
  },
};
