import { findCertificates } from "../certs/find-certificates.js";
import type { CertificatePlace } from "../certs/types.js";
import { certificateHit } from "./certificate-hit.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/**
 * What looks like a certificate or an unencrypted key but cannot be read: a
 * truncated PEM block, bad base64, a certificate file with no certificate in
 * it. Whatever reads it in the cluster fails the same way.
 */
export const certificateInvalid: WorkspaceCheck = {
  name: "certificate-invalid",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const inventory = findCertificates(workspace);
    const certificates = inventory.unreadable.map(({ place, what, reason }) =>
      certificateHit(place, `${named(what, place)} cannot be read: ${reason}`, `unreadable ${what}`),
    );
    const keys = inventory.privateKeys.flatMap(({ place, facts }) =>
      facts.unreadable === undefined || facts.encrypted ? [] : [certificateHit(place, `${named("private key", place)} cannot be read: ${facts.unreadable}`, "unreadable private key")],
    );
    return [...certificates, ...keys];
  },
};

/** `certificate in data.ca.crt (certificate 2 of 3 in the bundle)`, `Secret value data.tls.crt`. */
function named(what: string, place: CertificatePlace): string {
  const where = place.where === "" ? "" : what === "Secret value" ? ` ${place.where}` : ` in ${place.where}`;
  const bundle = place.bundle ? ` (certificate ${place.bundle.index} of ${place.bundle.count} in the bundle)` : "";
  return `${what}${where}${bundle}`;
}
