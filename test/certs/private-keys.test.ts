import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pemBlocks } from "../../src/certs/pem-blocks.js";
import { readDerPrivateKey, readPrivateKeyBlock } from "../../src/certs/private-keys.js";
import { spkiPinOf } from "../../src/certs/parse-certificate.js";

const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
const ed = generateKeyPairSync("ed25519");
const blockOf = (pem: string) => pemBlocks(pem)[0]!;
const expectLabel = (label: string, pem: string) => expect(blockOf(pem).label).toBe(label);

/** A minimal openssh-key-v1 blob: magic, then the cipher name (the rest is not read). */
function openSsh(cipher: string): string {
  const name = Buffer.from(cipher);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), length, name, Buffer.alloc(16)]).toString("base64");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

describe("readPrivateKeyBlock", () => {
  it("reads unencrypted PKCS#8, PKCS#1 and SEC1 keys, with the SPKI pin of their public key", () => {
    const cases = [
      [ec.privateKey.export({ type: "pkcs8", format: "pem" }), "PRIVATE KEY", "EC P-256", ec.publicKey],
      [ec.privateKey.export({ type: "sec1", format: "pem" }), "EC PRIVATE KEY", "EC P-256", ec.publicKey],
      [rsa.privateKey.export({ type: "pkcs1", format: "pem" }), "RSA PRIVATE KEY", "RSA 1024-bit", rsa.publicKey],
      [ed.privateKey.export({ type: "pkcs8", format: "pem" }), "PRIVATE KEY", "Ed25519", ed.publicKey],
    ] as const;
    for (const [pem, label, algorithm, publicKey] of cases) {
      expectLabel(label, String(pem));
      expect(readPrivateKeyBlock(blockOf(String(pem)))).toEqual({ algorithm, encrypted: false, spkiPin: spkiPinOf(publicKey), unreadable: undefined });
    }
  });

  it("recognises encrypted keys without a passphrase: PKCS#8, legacy Proc-Type headers, OpenSSH with a cipher", () => {
    const pkcs8 = String(ec.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }));
    const legacy = String(rsa.privateKey.export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "secret" }));
    expect(legacy).toContain("Proc-Type: 4,ENCRYPTED");
    expect(readPrivateKeyBlock(blockOf(pkcs8))).toEqual({ algorithm: "unknown", encrypted: true, spkiPin: undefined, unreadable: undefined });
    expect(readPrivateKeyBlock(blockOf(legacy))).toEqual({ algorithm: "RSA", encrypted: true, spkiPin: undefined, unreadable: undefined });
    expect(readPrivateKeyBlock(blockOf(openSsh("aes256-ctr")))).toEqual({ algorithm: "OpenSSH", encrypted: true, spkiPin: undefined, unreadable: undefined });
    expect(readPrivateKeyBlock(blockOf(openSsh("none")))).toEqual({ algorithm: "OpenSSH", encrypted: false, spkiPin: undefined, unreadable: undefined });
  });

  it("says why an unencrypted key cannot be read, never throwing", () => {
    const pem = String(ec.privateKey.export({ type: "pkcs8", format: "pem" }));
    const truncated = pem.slice(0, 80);
    expect(readPrivateKeyBlock(blockOf(truncated)).unreadable).toBe("it has no -----END PRIVATE KEY----- line");
    expect(readPrivateKeyBlock(blockOf(pem.replace(/\n(.)/, "\n!$1"))).unreadable).toBe("its body is not valid base64");
    expect(readPrivateKeyBlock(blockOf("-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----\n"))).toEqual({
      algorithm: "RSA",
      encrypted: false,
      spkiPin: undefined,
      unreadable: "it does not parse as a private key",
    });
  });
});

describe("readDerPrivateKey", () => {
  it("reads unencrypted DER keys in any of OpenSSL's forms, and nothing else", () => {
    for (const type of ["pkcs8", "sec1"] as const) {
      expect(readDerPrivateKey(ec.privateKey.export({ type, format: "der" }))?.algorithm).toBe("EC P-256");
    }
    expect(readDerPrivateKey(rsa.privateKey.export({ type: "pkcs1", format: "der" }))?.algorithm).toBe("RSA 1024-bit");
    expect(readDerPrivateKey(Buffer.from("not a key"))).toBeUndefined();
  });
});
