import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { spkiPinOf } from "./parse-certificate.js";
import { canonicalPem, isStrictBase64, type PemBlock } from "./pem-blocks.js";

/** What Shipshape reads from a private key without ever needing its passphrase. */
export interface PrivateKeyFacts {
  /** `RSA 2048-bit`, `EC P-256`, `Ed25519`, `OpenSSH`… (`unknown` for a key Node cannot read). */
  algorithm: string;
  /** Protected by a passphrase: PKCS#8 `ENCRYPTED PRIVATE KEY`, a legacy `Proc-Type: 4,ENCRYPTED` header, or an OpenSSH cipher. */
  encrypted: boolean;
  /** The SPKI pin of its public key, to name the certificate it belongs to. */
  spkiPin: string | undefined;
  /** Why an unencrypted key cannot be read (truncated, bad base64). */
  unreadable: string | undefined;
}

/** PEM labels of private keys, the encrypted PKCS#8 one included. */
export const PRIVATE_KEY_LABELS: ReadonlySet<string> = new Set([
  "PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "DSA PRIVATE KEY",
  "OPENSSH PRIVATE KEY",
]);

const OPENSSH_MAGIC = "openssh-key-v1\0";

/** Reads a private key block. Never throws, and never asks for a passphrase: an encrypted key is only recognised. */
export function readPrivateKeyBlock(block: PemBlock): PrivateKeyFacts {
  const legacyEncrypted = /ENCRYPTED/i.test(block.headers.get("Proc-Type") ?? "");
  if (block.label === "ENCRYPTED PRIVATE KEY" || legacyEncrypted) return { algorithm: algorithmOfLabel(block.label), encrypted: true, spkiPin: undefined, unreadable: undefined };
  const problem = !block.complete ? `it has no -----END ${block.label}----- line` : !isStrictBase64(block.base64) ? "its body is not valid base64" : undefined;
  if (problem) return { algorithm: algorithmOfLabel(block.label), encrypted: false, spkiPin: undefined, unreadable: problem };
  if (block.label === "OPENSSH PRIVATE KEY") return readOpenSshKey(Buffer.from(block.base64, "base64"));
  try {
    return describeKey(createPrivateKey(canonicalPem(block.label, block.base64)));
  } catch {
    return { algorithm: algorithmOfLabel(block.label), encrypted: false, spkiPin: undefined, unreadable: "it does not parse as a private key" };
  }
}

/** A binary key file or a base64 Secret value: unencrypted DER in any of OpenSSL's forms, or undefined. */
export function readDerPrivateKey(der: Buffer): PrivateKeyFacts | undefined {
  for (const type of ["pkcs8", "pkcs1", "sec1"] as const) {
    try {
      return describeKey(createPrivateKey({ key: der, format: "der", type }));
    } catch {
      // Not this form: try the next.
    }
  }
  return undefined;
}

function describeKey(key: KeyObject): PrivateKeyFacts {
  let spkiPin: string | undefined;
  try {
    spkiPin = spkiPinOf(createPublicKey(key));
  } catch {
    spkiPin = undefined;
  }
  return { algorithm: algorithmOf(key), encrypted: false, spkiPin, unreadable: undefined };
}

const CURVE_NAMES: Readonly<Record<string, string>> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

function algorithmOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "rsa":
    case "rsa-pss":
    case "dsa":
      return `${key.asymmetricKeyType.toUpperCase()} ${details.modulusLength ?? "?"}-bit`;
    case "ec":
      return `EC ${CURVE_NAMES[details.namedCurve ?? ""] ?? details.namedCurve ?? "?"}`;
    case "ed25519":
      return "Ed25519";
    case "ed448":
      return "Ed448";
    default:
      return key.asymmetricKeyType ?? "unknown";
  }
}

function algorithmOfLabel(label: string): string {
  const kind = /^(RSA|EC|DSA|OPENSSH) /.exec(label)?.[1];
  return kind === "OPENSSH" ? "OpenSSH" : (kind ?? "unknown");
}

/** OpenSSH's own format: magic, then the cipher name as a length-prefixed string (`none` when unencrypted). */
function readOpenSshKey(bytes: Buffer): PrivateKeyFacts {
  const base = { algorithm: "OpenSSH", spkiPin: undefined };
  if (bytes.subarray(0, OPENSSH_MAGIC.length).toString("latin1") !== OPENSSH_MAGIC || bytes.length < OPENSSH_MAGIC.length + 4) {
    return { ...base, encrypted: false, unreadable: "it is not in the openssh-key-v1 format" };
  }
  const length = bytes.readUInt32BE(OPENSSH_MAGIC.length);
  const cipher = bytes.subarray(OPENSSH_MAGIC.length + 4, OPENSSH_MAGIC.length + 4 + length).toString("latin1");
  return { ...base, encrypted: cipher !== "none", unreadable: undefined };
}
