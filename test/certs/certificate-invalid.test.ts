import { createPrivateKey } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { catalog } from "../rules/helpers.js";
import { certificateRows, NOW, scanCertificates, tempTree, yaml } from "./helpers.js";
import { base64, indent, TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const RULE = "certificate-invalid";
const web = ca.issue({ subject: "/CN=shop.example.com", notBefore: "2025-12-01", notAfter: "2026-03-01" });
const encryptedKey = String(createPrivateKey(web.keyPem).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }));

describe(RULE, () => {
  const badBody = web.pem.replace(/\n(.{10})/, "\n$1!!");
  const secret = yaml(
    "apiVersion: v1",
    "kind: Secret",
    "metadata: {name: web-tls, namespace: shop}",
    "type: kubernetes.io/tls",
    "data:",
    `  tls.crt: ${base64(web.pem).slice(0, 201)}`,
    `  tls.key: ${base64(web.keyPem.slice(0, 120))}`,
    `  ca.crt: ${base64(web.pem.slice(0, 300))}`,
  );
  const folder = tempTree({
    "apps/web/secret.yaml": secret,
    "apps/web/configmap.yaml": yaml("apiVersion: v1", "kind: ConfigMap", "metadata: {name: trust, namespace: shop}", "data:", "  ca.crt: |", indent(web.pem + badBody, 4)),
    "certs/web.der": web.der,
    "certs/web.crt": "-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n",
    "certs/encrypted.key": encryptedKey,
    "certs/readme.pem": "The certificates live in Vault.\n",
  });
  const secondBlock = 6 + web.pem.trimEnd().split("\n").length;

  it("reports bad PEM, truncated base64 and certificates that do not parse, where they are, with why", () => {
    expect(certificateRows(scanCertificates(folder, { rules: [RULE] }))).toEqual([
      [RULE, "apps/web/configmap.yaml", secondBlock, 5, "high", "certificate in data.ca.crt (certificate 2 of 2 in the bundle) cannot be read: its body is not valid base64"],
      [RULE, "apps/web/secret.yaml", 6, 12, "high", "Secret value data.tls.crt cannot be read: it is not valid base64 (201 characters, not a multiple of 4: truncated?)"],
      [RULE, "apps/web/secret.yaml", 7, 12, "high", "private key in data.tls.key cannot be read: it has no -----END PRIVATE KEY----- line"],
      [RULE, "apps/web/secret.yaml", 8, 11, "high", "certificate in data.ca.crt cannot be read: it has no -----END CERTIFICATE----- line (the copy is truncated)"],
      [RULE, "certs/readme.pem", 1, 1, "high", "certificate file cannot be read: it holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)"],
      [RULE, "certs/web.crt", 1, 1, "high", "certificate cannot be read: its 4 bytes do not parse as an X.509 certificate"],
    ]);
  });

  it("reads a DER certificate file like any other: judged by the other rules, not a parse error", () => {
    const findings = scanDirectory({ root: folder, rules: activeRules(catalog, {}), now: new Date("2026-03-02T00:00:00Z") }).findings;
    expect(findings.filter((finding) => finding.file === "certs/web.der").map((finding) => [finding.rule, finding.message])).toEqual([
      ["certificate-expired", "certificate CN=shop.example.com expired on 2026-03-01 (1 day ago); also in ConfigMap shop/trust (apps/web/configmap.yaml)"],
    ]);
    expect(findings.filter((finding) => finding.rule === "parse-error")).toEqual([]);
  });
});

describe("bad input never stops a scan", () => {
  it("scans everything else around broken PEM, truncated base64, DER, encrypted keys and binary junk", () => {
    const folder = tempTree({
      "a.pem": "-----BEGIN CERTIFICATE-----\n",
      "b.pem": "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
      "c.crt": Buffer.from([0x30, 0x82, 0xff, 0xff, 0x00, 0x01]),
      "d.cer": web.der.subarray(0, 50),
      "e.key": encryptedKey,
      "f.key": Buffer.from([0x00, 0x01, 0x02]),
      "g.yaml": yaml("apiVersion: v1", "kind: Secret", "metadata: {name: x}", "data:", "  tls.crt: '!!!'", "  ca.crt: LS0tLS1CRUdJTiBDRVJU", "  tls.key: [not, a, string]"),
      "h.yaml": yaml("key: |", "  -----BEGIN RSA PRIVATE KEY-----", "  Proc-Type: 4,ENCRYPTED", "  DEK-Info: AES-128-CBC,00", "", "  QUJD", "  -----END RSA PRIVATE KEY-----"),
      "pod.yaml": yaml("apiVersion: v1", "kind: Pod", "metadata: {name: web}", "spec:", "  containers: [{name: web, image: web:latest}]"),
    });
    const findings = scanDirectory({ root: folder, rules: activeRules(catalog, {}), now: NOW }).findings;
    expect(findings.filter((finding) => finding.rule.startsWith("certificate") || finding.rule === "private-key-committed").map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`)).toEqual([
      "a.pem:1 certificate-invalid: certificate cannot be read: it has no -----END CERTIFICATE----- line (the copy is truncated)",
      "b.pem:1 certificate-invalid: certificate cannot be read: its 0 bytes do not parse as an X.509 certificate",
      "c.crt:1 certificate-invalid: certificate file cannot be read: it holds binary data that starts like a DER certificate but does not parse (truncated?)",
      "d.cer:1 certificate-invalid: certificate file cannot be read: it holds binary data that starts like a DER certificate but does not parse (truncated?)",
      "g.yaml:5 certificate-invalid: Secret value data.tls.crt cannot be read: it is not valid base64 (3 characters, not a multiple of 4: truncated?)",
      // base64 of "-----BEGIN CERT": cut before the BEGIN line ends.
      "g.yaml:6 certificate-invalid: Secret value data.ca.crt cannot be read: it decodes to text that starts like PEM but holds no BEGIN line",
    ]);
    expect(findings.some((finding) => finding.rule === "image-tag-mutable" && finding.file === "pod.yaml")).toBe(true);
  });
});
