import { formatDays, formatGoDuration, parseGoDuration } from "../config/go-duration.js";
import type { FixSettings } from "../config/types.js";
import { CERT_MANAGER_DEFAULT_DURATION_MS, certificateTiming, isCertManagerCertificate } from "../model/cert-manager.js";
import { getIn, isScalar } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { DataChange, ResourceFix } from "./types.js";

interface CertificateDurationTemplate {
  explanation: { duration: string; durationAndRenewBefore: string };
  risk: string;
  words: { defaultDuration: string; renewBefore: string; renewBeforePercentage: string };
  reasons: { static: string; ca: string; withinPolicy: string; badPolicy: string };
}

/**
 * Shortens a cert-manager Certificate to the policy's `certificates.maxDuration`,
 * and sets `renewBefore` to the policy's where the one written (if any) would
 * not be shorter than the new duration. A static certificate (a Secret) cannot
 * be shortened by an edit: it has to be reissued.
 */
export const certificateDurationFix: ResourceFix = {
  name: "certificate-duration",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource, _params, settings) {
    const template = fixTemplate<CertificateDurationTemplate>("certificate-duration");
    const policy = settings.certificates;
    if (!isCertManagerCertificate(resource)) return { ok: false, reason: fillText(template.reasons.static, { maxDays: policy.maxLeafDays }) };
    const name = resource.name;
    const isCa = getIn(resource.node, ["spec", "isCA"]);
    if (isScalar(isCa) && isCa.value === true) return { ok: false, reason: fillText(template.reasons.ca, { name }) };
    const maxMs = parseGoDuration(policy.maxDuration);
    if (maxMs === undefined || maxMs <= 0) return { ok: false, reason: fillText(template.reasons.badPolicy, { setting: "maxDuration", value: policy.maxDuration }) };

    const timing = certificateTiming(resource);
    const was = timing.duration ? describeWritten(timing.duration.text, timing.duration.ms) : template.words.defaultDuration;
    const currentMs = timing.duration ? timing.duration.ms : CERT_MANAGER_DEFAULT_DURATION_MS;
    // An unreadable duration is replaced too: cert-manager refuses it.
    if (currentMs !== undefined && currentMs <= maxMs) {
      return { ok: false, reason: fillText(template.reasons.withinPolicy, { name, was, maxDuration: policy.maxDuration, maxDurationDays: formatDays(maxMs) }) };
    }

    const spec = [...resource.path, "spec"];
    const changes: DataChange[] = [{ path: [...spec, "duration"], value: policy.maxDuration }];
    const words = { name, was, duration: policy.maxDuration, durationDays: formatDays(maxMs) };
    const kept = timing.renewBefore;
    let explanation: string;
    let renewal: string;
    if (timing.renewBeforePercentage) {
      // renewBefore and renewBeforePercentage exclude each other; a percentage scales with the new duration.
      renewal = fillText(template.words.renewBeforePercentage, { percentage: timing.renewBeforePercentage.text });
      explanation = fillText(template.explanation.duration, { ...words, renewal });
    } else if (kept && kept.ms !== undefined && kept.ms > 0 && kept.ms < maxMs) {
      renewal = fillText(template.words.renewBefore, { renewBefore: kept.text, renewBeforeDays: formatDays(kept.ms) });
      explanation = fillText(template.explanation.duration, { ...words, renewal });
    } else {
      const renewBefore = renewBeforeFor(maxMs, settings);
      if (!renewBefore.ok) return renewBefore;
      changes.push({ path: [...spec, "renewBefore"], value: renewBefore.text });
      const renewWords = { renewBefore: renewBefore.text, renewBeforeDays: formatDays(renewBefore.ms) };
      renewal = fillText(template.words.renewBefore, renewWords);
      explanation = fillText(template.explanation.durationAndRenewBefore, { ...words, ...renewWords });
    }
    return { ok: true, plan: { changes, explanation, risk: fillText(template.risk, { ...words, renewal }), risky: false } };
  },
};

/**
 * The renewBefore to write for a Certificate of the given duration: the policy's
 * `certificates.renewBefore` when it is shorter than the duration, else a third
 * of the duration (when cert-manager renews by default).
 */
export function renewBeforeFor(durationMs: number, settings: FixSettings): { ok: true; text: string; ms: number } | { ok: false; reason: string } {
  const text = settings.certificates.renewBefore;
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    const template = fixTemplate<CertificateDurationTemplate>("certificate-duration");
    return { ok: false, reason: fillText(template.reasons.badPolicy, { setting: "renewBefore", value: text }) };
  }
  if (ms > 0 && ms < durationMs) return { ok: true, text, ms };
  const third = formatGoDuration(durationMs / 3);
  return { ok: true, text: third, ms: parseGoDuration(third) as number };
}

/** "8760h (365 days)", or the quoted text and why, when Go would refuse it. */
function describeWritten(text: string, ms: number | undefined): string {
  return ms === undefined ? `"${text}" (not a Go duration)` : `${text} (${formatDays(ms)})`;
}
