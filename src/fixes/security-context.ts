import { effectiveSecuritySetting } from "../model/security-context.js";
import { getMap, getPair, isScalar } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ContainerFix } from "./types.js";

interface SecurityContextTemplate {
  explanation: string;
  risk: Record<string, string>;
}

/** Sets one container securityContext field, merged into the block that is there. */
export const securityContextFix: ContainerFix = {
  name: "security-context",
  scope: "container",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["field", "value"],
    properties: { field: { enum: ["runAsNonRoot", "allowPrivilegeEscalation"] }, value: { type: "boolean" } },
  },
  plan(container, params) {
    const field = params.field as "runAsNonRoot" | "allowPrivilegeEscalation";
    const value = params.value as boolean;
    if (field === "runAsNonRoot") {
      const user = effectiveSecuritySetting(container, "runAsUser");
      if (user && isScalar(user.value) && user.value.value === 0) {
        return { ok: false, reason: `container "${container.name}" sets runAsUser: 0 on purpose; choose a non-root UID by hand` };
      }
    }
    if (field === "allowPrivilegeEscalation") {
      const privileged = getPair(getMap(container.node, "securityContext"), "privileged");
      if (privileged && isScalar(privileged.value) && privileged.value.value === true) {
        return { ok: false, reason: `container "${container.name}" is privileged; Shipshape does not take privileges away that may be needed, decide by hand` };
      }
    }
    const template = fixTemplate<SecurityContextTemplate>("security-context");
    const words = { field, value: String(value), container: container.name };
    return {
      ok: true,
      plan: {
        changes: [{ path: [...container.path, "securityContext", field], value }],
        explanation: fillText(template.explanation, words),
        risk: template.risk[field] ?? "",
        // runAsNonRoot stops an image that runs as root from starting at all.
        risky: field === "runAsNonRoot",
      },
    };
  },
};
