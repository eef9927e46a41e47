import type { CertificatePlace } from "../certs/types.js";
import type { Severity } from "../rules/types.js";
import type { WorkspaceHit } from "./types.js";

/**
 * A hit of a certificate rule, at the certificate's place and on the object
 * holding it. `what` names the certificate (its fingerprint), so that two in
 * one value, or one value's copies, keep their findings apart.
 */
export function certificateHit(place: CertificatePlace, message: string, what: string, severity?: Severity): WorkspaceHit {
  return {
    file: place.file,
    offset: place.offset,
    message,
    detail: `${place.where}#${place.bundle?.index ?? 1} ${what}`,
    resource: place.resource,
    ...(severity ? { severity } : {}),
  };
}
