import { createHash, X509Certificate, type KeyObject } from "node:crypto";

/** What Shipshape reads from one X.509 certificate. */
export interface CertificateFacts {
  /** The subject as one line: `O=Acme, CN=shop.example.com`. */
  subject: string;
  /** The subject's common name, when it has one. */
  commonName: string | undefined;
  issuer: string;
  /** Subject alternative names as written: `DNS:shop.example.com`, `IP Address:10.0.0.1`, `URI:spiffe://…`. */
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, as `AB:CD:…`. */
  fingerprint256: string;
  /** `sha256/<base64>` of the SubjectPublicKeyInfo: what SPKI pins name (undefined for keys Node cannot export). */
  spkiPin: string | undefined;
  isCA: boolean;
  selfSigned: boolean;
}

export type ParsedCertificate = { ok: true; certificate: CertificateFacts } | { ok: false; reason: string };

/** Reads a DER certificate. Never throws: what does not parse comes back with the reason. */
export function parseCertificate(der: Buffer): ParsedCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(firstDerElement(der));
  } catch {
    return { ok: false, reason: `its ${der.length} bytes do not parse as an X.509 certificate` };
  }
  const notBefore = new Date(Date.parse(cert.validFrom));
  const notAfter = new Date(Date.parse(cert.validTo));
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    return { ok: false, reason: `its validity dates cannot be read ("${cert.validFrom}", "${cert.validTo}")` };
  }
  const subject = oneLine(cert.subject);
  return {
    ok: true,
    certificate: {
      subject,
      commonName: commonNameOf(cert.subject),
      issuer: oneLine(cert.issuer),
      sans: splitAltNames(cert.subjectAltName),
      notBefore,
      notAfter,
      fingerprint256: cert.fingerprint256,
      spkiPin: spkiPinOfCertificate(cert),
      isCA: cert.ca,
      selfSigned: isSelfSigned(cert),
    },
  };
}

/** `sha256/<base64>` of a public key's SubjectPublicKeyInfo (RFC 7469). */
export function spkiPinOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return `sha256/${createHash("sha256").update(der).digest("base64")}`;
}

function spkiPinOfCertificate(cert: X509Certificate): string | undefined {
  try {
    return spkiPinOf(cert.publicKey);
  } catch {
    return undefined;
  }
}

function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/**
 * OpenSSL's `TRUSTED CERTIFICATE` appends trust settings after the
 * certificate: read only the first DER element (a SEQUENCE and its length).
 */
function firstDerElement(der: Buffer): Buffer {
  if (der.length < 2 || der[0] !== 0x30) return der;
  const first = der[1] as number;
  if (first < 0x80) return der.subarray(0, 2 + first);
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || der.length < 2 + octets) return der;
  let length = 0;
  for (let index = 0; index < octets; index += 1) length = length * 256 + (der[2 + index] as number);
  const total = 2 + octets + length;
  return total <= der.length ? der.subarray(0, total) : der;
}

/** Node writes one attribute a line, escaping commas inside values: `O=Acme\, Inc\nCN=x`. */
function oneLine(name: string): string {
  return name.split("\n").filter(Boolean).join(", ");
}

function commonNameOf(name: string): string | undefined {
  const line = name.split("\n").find((part) => part.startsWith("CN="));
  return line?.slice(3).replace(/\\(.)/g, "$1");
}

/**
 * Node joins names with ", " and quotes a value that holds one as a JSON
 * string: `DNS:a.example, URI:"https://x/?a=1, b"`.
 */
function splitAltNames(altNames: string | undefined): string[] {
  if (!altNames) return [];
  const names: string[] = [];
  for (const match of altNames.matchAll(/([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g)) {
    const type = (match[1] as string).trim();
    const raw = match[2] as string;
    names.push(`${type}:${raw.startsWith('"') ? unquote(raw) : raw}`);
  }
  return names;
}

function unquote(quoted: string): string {
  try {
    return String(JSON.parse(quoted));
  } catch {
    return quoted;
  }
}
