import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { certificateUses } from "./certificate-uses.js";
import { describeUses } from "./describe.js";
import { findCertificates } from "./find-certificates.js";
import type { FoundCertificate } from "./types.js";

/**
 * `; used by …; also in …` for a certificate: the objects that read the
 * Secret, ConfigMap or file holding it, and the other places the same
 * certificate (by SHA-256 fingerprint) is written.
 */
export function whereUsed(workspace: ParsedWorkspace, certificate: FoundCertificate): string {
  const copies = findCertificates(workspace).certificates.filter(
    (other) => other !== certificate && other.facts.fingerprint256 === certificate.facts.fingerprint256 && !samePlace(other, certificate),
  );
  return describeUses(certificateUses(workspace).usesOf(certificate.place), copies.map((copy) => copy.place));
}

function samePlace(a: FoundCertificate, b: FoundCertificate): boolean {
  return a.place.file === b.place.file && a.place.resource === b.place.resource && a.place.where === b.place.where;
}
