import { formatDays, parseGoDuration } from "../config/go-duration.js";
import { CERT_MANAGER_DEFAULT_DURATION_MS, certificateTiming, isCertManagerCertificate, type WrittenDuration } from "../model/cert-manager.js";
import type { Hit, ResourceCheck } from "./types.js";

const DEFAULT_MIN_RENEW_BEFORE = "72h";
const DEFAULT_MIN_PERCENTAGE = 33;

/**
 * A cert-manager Certificate must leave itself time to renew: `renewBefore`
 * shorter than `duration` (cert-manager rejects it otherwise), and not so
 * short that a failed renewal has no time to be retried and noticed — at
 * least `minRenewBefore`, or `minRenewBeforePercentage` of the duration for
 * certificates too short-lived for that. At most one hit per Certificate.
 */
export const certificateRenewalWindow: ResourceCheck = {
  name: "certificate-renewal-window",
  scope: "resource",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      minRenewBefore: { type: "string", pattern: "^([0-9]+(\\.[0-9]+)?(h|m|s|ms))+$" },
      minRenewBeforePercentage: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 100 },
    },
  },
  run(resource, params) {
    if (!isCertManagerCertificate(resource)) return [];
    const { duration, renewBefore, renewBeforePercentage } = certificateTiming(resource);
    const hit = (offset: number, message: string): Hit[] => [{ offset, message, detail: "renewal-window" }];
    if (duration && duration.ms === undefined) return hit(duration.node.offset, `duration ${notGo(duration)}`);
    if (renewBefore && renewBefore.ms === undefined) return hit(renewBefore.node.offset, `renewBefore ${notGo(renewBefore)}`);
    const durationMs = duration?.ms ?? CERT_MANAGER_DEFAULT_DURATION_MS;
    const lifetime = duration ? `duration ${duration.text} (${formatDays(durationMs)})` : `the default duration of 2160h (${formatDays(durationMs)})`;
    if (renewBefore && renewBeforePercentage) {
      return hit(renewBefore.node.offset, "renewBefore and renewBeforePercentage are both set: cert-manager rejects a Certificate with both");
    }

    let window: number;
    let written: string;
    let offset: number;
    if (renewBefore) {
      window = renewBefore.ms as number;
      written = `renewBefore ${renewBefore.text} (${formatDays(window)})`;
      offset = renewBefore.node.offset;
    } else if (renewBeforePercentage) {
      const percentage = renewBeforePercentage.value;
      offset = renewBeforePercentage.node.offset;
      if (percentage === undefined || percentage <= 0 || percentage >= 100) {
        return hit(offset, `renewBeforePercentage ${renewBeforePercentage.text} is not between 0 and 100: cert-manager rejects the Certificate`);
      }
      window = (durationMs * percentage) / 100;
      written = `renewBeforePercentage ${renewBeforePercentage.text} (${formatDays(window)})`;
    } else {
      // cert-manager renews with a third of the lifetime left.
      return [];
    }

    if (window >= durationMs) {
      return hit(offset, `${written} is not shorter than ${lifetime}: cert-manager rejects the Certificate, so it is never issued or renewed`);
    }
    const minText = (params.minRenewBefore as string | undefined) ?? DEFAULT_MIN_RENEW_BEFORE;
    const minPercentage = (params.minRenewBeforePercentage as number | undefined) ?? DEFAULT_MIN_PERCENTAGE;
    const floor = Math.min(parseGoDuration(minText) as number, (durationMs * minPercentage) / 100);
    if (window < floor) {
      return hit(
        offset,
        `${written} of ${lifetime} leaves a failed renewal less than ${formatDays(floor)} to be retried and noticed before the certificate expires`,
      );
    }
    return [];
  },
};

function notGo(written: WrittenDuration): string {
  return `"${written.text}" is not a Go duration (such as 2160h or 90m; there is no day unit): cert-manager rejects the Certificate`;
}

