import { describeCertificate, formatDate } from "../certs/describe.js";
import { findCertificates } from "../certs/find-certificates.js";
import { whereUsed } from "../certs/where-used.js";
import { DAY_MS, formatDays, parseGoDuration } from "../config/go-duration.js";
import { CERT_MANAGER_DEFAULT_DURATION_MS, certificateTiming, isCertManagerCertificate } from "../model/cert-manager.js";
import { getIn, getPair, isScalar } from "../yaml/nodes.js";
import { certificateHit } from "./certificate-hit.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";

/**
 * Certificates that live too long: a leaf valid for more than
 * `certificates.maxLeafDays` (default 398, the CA/Browser Forum's limit), and
 * a cert-manager Certificate whose `duration` (default 2160h) is longer than
 * `certificates.maxDuration`. CA certificates are meant to live long.
 */
export const certificateLifetimeTooLong: WorkspaceCheck = {
  name: "certificate-lifetime-too-long",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, { settings }) {
    const { maxLeafDays, maxDuration } = settings.certificates;
    const leaves = findCertificates(workspace).certificates.flatMap((certificate) => {
      const { notBefore, notAfter, isCA, fingerprint256 } = certificate.facts;
      const lifetime = notAfter.getTime() - notBefore.getTime();
      if (isCA || lifetime <= maxLeafDays * DAY_MS) return [];
      const days = Math.ceil(lifetime / DAY_MS);
      const message = `${describeCertificate(certificate)} is valid for ${days} days (${formatDate(notBefore)} to ${formatDate(notAfter)}), longer than certificates.maxLeafDays (${maxLeafDays} days)${whereUsed(workspace, certificate)}`;
      return [certificateHit(certificate.place, message, fingerprint256)];
    });
    const maxMs = parseGoDuration(maxDuration);
    if (maxMs === undefined) return leaves;
    const requested = workspace.resources.filter(isCertManagerCertificate).flatMap((resource): WorkspaceHit[] => {
      const isCa = getIn(resource.node, ["spec", "isCA"]);
      if (isScalar(isCa) && isCa.value === true) return [];
      const { duration } = certificateTiming(resource);
      // A duration Go cannot read is certificate-renewal-window's to report.
      const ms = duration ? duration.ms : CERT_MANAGER_DEFAULT_DURATION_MS;
      if (ms === undefined || ms <= maxMs) return [];
      const policy = `certificates.maxDuration ${maxDuration} (${formatDays(maxMs)})`;
      const message = duration
        ? `duration ${duration.text} (${formatDays(ms)}) is longer than ${policy}`
        : `no duration is set, and cert-manager's default 2160h (${formatDays(ms)}) is longer than ${policy}`;
      const offset = duration?.node.offset ?? getPair(resource.node, "spec")?.key.offset ?? resource.node.offset;
      return [{ file: resource.file, offset, message, detail: "duration", resource }];
    });
    return [...leaves, ...requested];
  },
};
