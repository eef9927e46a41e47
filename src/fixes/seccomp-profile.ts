import { effectiveSeccompProfile } from "../checks/seccomp-profile.js";
import { getMap, getPair, isScalar } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ContainerFix } from "./types.js";

interface SeccompTemplate {
  explanation: string;
  risk: string;
  reasons: { unconfined: string; privileged: string };
}

/**
 * Sets the container's `securityContext.seccompProfile.type: RuntimeDefault`. An explicit Unconfined is left to
 * people, and so is a privileged container: the kubelet runs it unconfined whatever its profile says, so the
 * edit would silence the finding without confining anything.
 */
export const seccompProfileFix: ContainerFix = {
  name: "seccomp-profile",
  scope: "container",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(container) {
    const template = fixTemplate<SeccompTemplate>("seccomp-profile");
    const words = { container: container.name };
    const privileged = getPair(getMap(container.node, "securityContext"), "privileged");
    if (privileged && isScalar(privileged.value) && privileged.value.value === true) return { ok: false, reason: fillText(template.reasons.privileged, words) };
    const effective = effectiveSeccompProfile(container);
    const type = getPair(effective?.profile, "type");
    if (effective && type && isScalar(type.value) && type.value.text === "Unconfined") {
      return { ok: false, reason: fillText(template.reasons.unconfined, { ...words, where: effective.onPod ? " by its pod" : "" }) };
    }
    return {
      ok: true,
      plan: {
        changes: [{ path: [...container.path, "securityContext", "seccompProfile", "type"], value: "RuntimeDefault" }],
        explanation: fillText(template.explanation, words),
        risk: template.risk,
        risky: false,
      },
    };
  },
};
