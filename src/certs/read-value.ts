import type { Resource } from "../model/resource.js";
import { parseCertificate } from "./parse-certificate.js";
import { isStrictBase64, pemBlocks } from "./pem-blocks.js";
import { PRIVATE_KEY_LABELS, readDerPrivateKey, readPrivateKeyBlock } from "./private-keys.js";
import type { CertificateInventory, CertificatePlace } from "./types.js";

/** One value that may hold certificates: a file, a YAML string, a decoded Secret value. */
export interface ValueSource {
  file: string;
  where: string;
  resource: Resource | undefined;
  /** Where block `index` (0-based, among every PEM block of the value) begins in the file, given where it begins in the value. */
  offsetOf(index: number, start: number): number;
}

const CERTIFICATE_LABELS: ReadonlySet<string> = new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]);

/**
 * Adds the certificates and private keys of a PEM text to the inventory, and
 * what looks like a certificate but cannot be read. Returns how many PEM
 * blocks of any kind the text holds (public keys and requests are not kept).
 */
export function readPemText(text: string, source: ValueSource, inventory: CertificateInventory): number {
  const blocks = pemBlocks(text);
  const count = blocks.filter((block) => CERTIFICATE_LABELS.has(block.label)).length;
  let position = 0;
  blocks.forEach((block, index) => {
    const place: CertificatePlace = { file: source.file, offset: source.offsetOf(index, block.start), where: source.where, resource: source.resource };
    if (PRIVATE_KEY_LABELS.has(block.label)) {
      inventory.privateKeys.push({ place, facts: readPrivateKeyBlock(block) });
      return;
    }
    if (!CERTIFICATE_LABELS.has(block.label)) return;
    position += 1;
    if (count > 1) place.bundle = { index: position, count };
    const problem = !block.complete
      ? `it has no -----END ${block.label}----- line (the copy is truncated)`
      : !isStrictBase64(block.base64)
        ? "its body is not valid base64"
        : undefined;
    const parsed = problem === undefined ? parseCertificate(Buffer.from(block.base64, "base64")) : { ok: false as const, reason: problem };
    if (parsed.ok) inventory.certificates.push({ place, facts: parsed.certificate });
    else inventory.unreadable.push({ place, what: "certificate", reason: parsed.reason });
  });
  return blocks.length;
}

/** Adds binary data that is a DER certificate or an unencrypted DER private key. Returns whether it was either. */
export function readDer(bytes: Buffer, source: ValueSource, inventory: CertificateInventory): boolean {
  const place: CertificatePlace = { file: source.file, offset: source.offsetOf(0, 0), where: source.where, resource: source.resource };
  const parsed = parseCertificate(bytes);
  if (parsed.ok) {
    inventory.certificates.push({ place, facts: parsed.certificate });
    return true;
  }
  const key = readDerPrivateKey(bytes);
  if (key) inventory.privateKeys.push({ place, facts: key });
  return key !== undefined;
}
