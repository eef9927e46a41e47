import { automountSetting } from "../checks/service-account-token.js";
import { podSpecOf } from "../model/pods.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ResourceFix } from "./types.js";

interface ServiceAccountTokenTemplate {
  explanation: string;
  risk: string;
  reasons: { noPodSpec: string; explicitlyTrue: string };
}

/** Sets `automountServiceAccountToken: false` in the object's pod spec; an explicit `true` is left to people. */
export const serviceAccountTokenFix: ResourceFix = {
  name: "service-account-token",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource) {
    const template = fixTemplate<ServiceAccountTokenTemplate>("service-account-token");
    const words = { subject: `${resource.kind} "${resource.name}"` };
    const pod = podSpecOf(resource);
    if (!pod) return { ok: false, reason: fillText(template.reasons.noPodSpec, words) };
    if (automountSetting(pod.spec)?.value.value === true) return { ok: false, reason: fillText(template.reasons.explicitlyTrue, words) };
    return {
      ok: true,
      plan: {
        changes: [{ path: [...pod.path, "automountServiceAccountToken"], value: false }],
        explanation: fillText(template.explanation, words),
        risk: template.risk,
        risky: true,
      },
    };
  },
};
