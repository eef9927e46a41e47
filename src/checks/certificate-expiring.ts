import { certificateUses } from "../certs/certificate-uses.js";
import { daysLeft, describeCertificate, describeExpiry } from "../certs/describe.js";
import { findCertificates } from "../certs/find-certificates.js";
import { whereUsed } from "../certs/where-used.js";
import type { Severity } from "../rules/types.js";
import { certificateHit } from "./certificate-hit.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/**
 * Certificates that expire soon: high with `certificates.expiringHighDays`
 * whole days left or fewer (default 14), medium with `expiringMediumDays` or
 * fewer (default 30). The days counted are the ones the message shows.
 * A certificate in a Secret that an Ingress serves is fixed on that Ingress
 * (the first in file order): cert-manager takes the Secret over.
 */
export const certificateExpiring: WorkspaceCheck = {
  name: "certificate-expiring",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, { now, settings }) {
    const { expiringHighDays, expiringMediumDays } = settings.certificates;
    const tierOf = (left: number): Severity | undefined => (left <= expiringHighDays ? "high" : left <= expiringMediumDays ? "medium" : undefined);
    return findCertificates(workspace).certificates.flatMap((certificate) => {
      const { notAfter } = certificate.facts;
      if (notAfter.getTime() < now.getTime()) return [];
      const severity = tierOf(daysLeft(notAfter, now));
      if (!severity) return [];
      const message = `${describeCertificate(certificate)} ${describeExpiry(notAfter, now)}${whereUsed(workspace, certificate)}`;
      const hit = certificateHit(certificate.place, message, certificate.facts.fingerprint256, severity);
      // cert-manager can take the Secret over through the first Ingress that serves it (the message names every use).
      const [ingress] = certificateUses(workspace).tlsIngressesOf(certificate.place);
      return [ingress ? { ...hit, fixOn: ingress } : hit];
    });
  },
};
