import type { Resource } from "../model/resource.js";
import type { CertificateFacts } from "./parse-certificate.js";
import type { PrivateKeyFacts } from "./private-keys.js";

/** Where a certificate or key is written. */
export interface CertificatePlace {
  file: string;
  /** Its BEGIN line in the file; for a base64 Secret value or a binary file, the start of the value or file. */
  offset: number;
  /** What holds it in the file, from the object (or the document when there is none): `data.tls.crt`, `tls.caBundle`; "" for a certificate file. */
  where: string;
  /** The Kubernetes object holding it: its ignore annotation and exclusions apply. */
  resource: Resource | undefined;
  /** Its position among the certificates of one value or file, when there are several (a bundle). 1-based. */
  bundle?: { index: number; count: number };
}

export interface FoundCertificate {
  place: CertificatePlace;
  facts: CertificateFacts;
}

export interface FoundPrivateKey {
  place: CertificatePlace;
  facts: PrivateKeyFacts;
}

/** Something that looks like a certificate (a PEM block, a certificate file, a Secret value) but cannot be read. */
export interface UnreadableCertificate {
  place: CertificatePlace;
  /** What it looked like: `certificate`, `certificate file`, `Secret value`. */
  what: string;
  reason: string;
}

/** Every certificate and private key of a workspace, in file order. */
export interface CertificateInventory {
  certificates: FoundCertificate[];
  privateKeys: FoundPrivateKey[];
  unreadable: UnreadableCertificate[];
}
