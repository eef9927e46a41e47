import { formatDays } from "../config/go-duration.js";
import { CERT_MANAGER_DEFAULT_DURATION_MS, certificateTiming, isCertManagerCertificate } from "../model/cert-manager.js";
import { renewBeforeFor } from "./certificate-duration.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ResourceFix } from "./types.js";

interface CertificateRenewBeforeTemplate {
  explanation: { renewBefore: string; renewBeforePercentage: string };
  risk: string;
  reasons: { notCertificate: string; duration: string; both: string };
}

/** cert-manager's own default: renew with a third of the lifetime left. */
const DEFAULT_PERCENTAGE = 33;

/**
 * Gives a cert-manager Certificate a renewal window it can use: the policy's
 * `certificates.renewBefore` when it is shorter than the duration, else a
 * third of the duration. A Certificate that sets renewBeforePercentage
 * instead gets 33 there.
 */
export const certificateRenewBeforeFix: ResourceFix = {
  name: "certificate-renew-before",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource, _params, settings) {
    const template = fixTemplate<CertificateRenewBeforeTemplate>("certificate-renew-before");
    if (!isCertManagerCertificate(resource)) return { ok: false, reason: template.reasons.notCertificate };
    const { duration, renewBefore, renewBeforePercentage } = certificateTiming(resource);
    if (duration && duration.ms === undefined) return { ok: false, reason: fillText(template.reasons.duration, { duration: duration.text }) };
    if (renewBefore && renewBeforePercentage) return { ok: false, reason: template.reasons.both };
    const durationMs = duration?.ms ?? CERT_MANAGER_DEFAULT_DURATION_MS;
    const words = { name: resource.name, durationDays: formatDays(durationMs) };
    const spec = [...resource.path, "spec"];
    if (renewBeforePercentage) {
      const renewBeforeDays = formatDays((durationMs * DEFAULT_PERCENTAGE) / 100);
      return {
        ok: true,
        plan: {
          changes: [{ path: [...spec, "renewBeforePercentage"], value: DEFAULT_PERCENTAGE }],
          explanation: fillText(template.explanation.renewBeforePercentage, { ...words, percentage: DEFAULT_PERCENTAGE }),
          risk: fillText(template.risk, { renewBeforeDays }),
          risky: false,
        },
      };
    }
    const chosen = renewBeforeFor(durationMs, settings);
    if (!chosen.ok) return chosen;
    const renewWords = { ...words, renewBefore: chosen.text, renewBeforeDays: formatDays(chosen.ms) };
    return {
      ok: true,
      plan: {
        changes: [{ path: [...spec, "renewBefore"], value: chosen.text }],
        explanation: fillText(template.explanation.renewBefore, renewWords),
        risk: fillText(template.risk, renewWords),
        risky: false,
      },
    };
  },
};
