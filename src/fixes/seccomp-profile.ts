import { effectiveSeccompProfile } from "../checks/seccomp-profile.js";
import { getPair, isScalar } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ContainerFix } from "./types.js";

interface SeccompTemplate {
  explanation: string;
  risk: string;
  reasons: { unconfined: string };
}

/** Sets the container's `securityContext.seccompProfile.type: RuntimeDefault`; an explicit Unconfined is left to people. */
export const seccompProfileFix: ContainerFix = {
  name: "seccomp-profile",
  scope: "container",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(container) {
    const template = fixTemplate<SeccompTemplate>("seccomp-profile");
    const words = { container: container.name };
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
