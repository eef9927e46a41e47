import { afterAll, describe, expect, it } from "vitest";
import { parseCertificate } from "../../src/certs/parse-certificate.js";
import { TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const root = ca.issue({ subject: "/O=Shop, Inc/CN=Shop Root CA", ca: true, notBefore: "2024-01-01", notAfter: "2034-01-01" });
const leaf = ca.issue({
  subject: "/O=Shop/CN=shop.example.com",
  sans: "DNS:shop.example.com,DNS:www.shop.example.com,IP:10.0.0.1,URI:spiffe://shop/web",
  notBefore: "2025-12-01T08:30:00",
  notAfter: "2026-01-10T12:00:00",
  signer: root,
});

describe("parseCertificate", () => {
  // The expected fingerprint and pin are openssl's (x509 -fingerprint, and the pin pipeline of rules/spki-pin-mismatch.yaml).
  it("reads subject, issuer, SANs of every kind, dates to the second, fingerprint and SPKI pin", () => {
    const parsed = parseCertificate(leaf.der);
    expect(parsed).toEqual({
      ok: true,
      certificate: {
        subject: "O=Shop, CN=shop.example.com",
        commonName: "shop.example.com",
        issuer: "O=Shop\\, Inc, CN=Shop Root CA",
        sans: ["DNS:shop.example.com", "DNS:www.shop.example.com", "IP Address:10.0.0.1", "URI:spiffe://shop/web"],
        notBefore: new Date("2025-12-01T08:30:00Z"),
        notAfter: new Date("2026-01-10T12:00:00Z"),
        fingerprint256: leaf.fingerprint256,
        spkiPin: leaf.spkiPin,
        isCA: false,
        selfSigned: false,
      },
    });
  });

  it("knows a self-signed CA", () => {
    const parsed = parseCertificate(root.der);
    expect(parsed.ok && [parsed.certificate.isCA, parsed.certificate.selfSigned, parsed.certificate.commonName, parsed.certificate.sans]).toEqual([true, true, "Shop Root CA", []]);
  });

  it("reads OpenSSL's TRUSTED CERTIFICATE form: the certificate, then trust settings", () => {
    const trusted = Buffer.concat([leaf.der, Buffer.from([0x30, 0x03, 0x06, 0x01, 0x00])]);
    const parsed = parseCertificate(trusted);
    expect(parsed.ok && parsed.certificate.fingerprint256).toBe(leaf.fingerprint256);
  });

  it("never throws: truncated, empty and random bytes come back with a reason", () => {
    expect(parseCertificate(leaf.der.subarray(0, 100))).toEqual({ ok: false, reason: "its 100 bytes do not parse as an X.509 certificate" });
    expect(parseCertificate(Buffer.alloc(0))).toEqual({ ok: false, reason: "its 0 bytes do not parse as an X.509 certificate" });
    expect(parseCertificate(Buffer.from("not a certificate"))).toEqual({ ok: false, reason: "its 17 bytes do not parse as an X.509 certificate" });
  });
});
