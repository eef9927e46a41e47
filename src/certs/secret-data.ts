import type { Resource } from "../model/resource.js";
import type { YamlScalar } from "../yaml/nodes.js";
import { isStrictBase64 } from "./pem-blocks.js";
import { readDer, readPemText } from "./read-value.js";
import type { CertificateInventory } from "./types.js";

/** Keys whose values are meant to be certificates or keys: `tls.crt`, `ca.crt`, `tls.key`, `client.pem`… */
const CERTIFICATE_KEY = /\.(crt|cer|cert|pem|der)$/i;
const KEY_KEY = /\.key$/i;
/** base64 of "-----BEGI": a PEM value, whatever its key is called. */
const BASE64_PEM_START = "LS0tLS1CRUdJT";

export interface Base64Source {
  file: string;
  /** Where the value's text starts in the file. */
  offset: number;
  where: string;
  resource: Resource | undefined;
}

/**
 * One value of a Secret's `data` (or a ConfigMap's `binaryData`): base64 of
 * PEM text, of a DER certificate or key, or of something else entirely
 * (passwords are left alone). Every block points at the value: its lines are
 * base64, not the certificate's.
 */
export function readBase64Value(node: YamlScalar, key: string, source: Base64Source, inventory: CertificateInventory): void {
  const value = node.text.replace(/\s+/g, "");
  if (value === "") return;
  const valueSource = { file: source.file, where: source.where, resource: source.resource, offsetOf: () => source.offset };
  const place = { file: source.file, offset: source.offset, where: source.where, resource: source.resource };
  const certificateKey = CERTIFICATE_KEY.test(key);
  const looksLikePem = value.startsWith(BASE64_PEM_START);
  if (node.text.includes("-----BEGIN ")) {
    const reason = "it is PEM text, but Secret data values must be base64: the API server rejects it (write it under stringData, or base64-encode it)";
    inventory.unreadable.push({ place, what: "Secret value", reason });
    return;
  }
  if (!isStrictBase64(value)) {
    if (certificateKey || KEY_KEY.test(key) || looksLikePem) {
      inventory.unreadable.push({ place, what: "Secret value", reason: `it is not valid base64 (${value.length} characters${value.length % 4 === 0 ? "" : ", not a multiple of 4"}: truncated?)` });
    }
    return;
  }
  const bytes = Buffer.from(value, "base64");
  if (looksLikePem || bytes.includes("-----BEGIN ")) {
    if (readPemText(bytes.toString("utf8"), valueSource, inventory) === 0) {
      inventory.unreadable.push({ place, what: "Secret value", reason: "it decodes to text that starts like PEM but holds no BEGIN line" });
    }
    return;
  }
  if (!certificateKey && !KEY_KEY.test(key)) return;
  if (!readDer(bytes, valueSource, inventory) && certificateKey) {
    inventory.unreadable.push({ place, what: "Secret value", reason: "it decodes to neither PEM text nor a DER certificate" });
  }
}
