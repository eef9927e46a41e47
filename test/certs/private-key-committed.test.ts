import { createPrivateKey } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { certificateRows, scanCertificates, tempTree, yaml } from "./helpers.js";
import { base64, indent, TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const RULE = "private-key-committed";
const web = ca.issue({ subject: "/CN=shop.example.com", sans: "DNS:shop.example.com", notBefore: "2025-12-01", notAfter: "2026-03-01" });
const api = ca.issue({ subject: "/CN=api.example.com", notBefore: "2025-12-01", notAfter: "2026-03-01" });
const key = createPrivateKey(web.keyPem);
const encryptedPkcs8 = String(key.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }));
const encryptedLegacy = String(key.export({ type: "sec1", format: "pem", cipher: "aes-128-cbc", passphrase: "secret" }));
const sec1 = String(key.export({ type: "sec1", format: "pem" }));

const LEAK = "anyone who can read the repository, or its history, can use it";
const OF_WEB = "it is the key of certificate CN=shop.example.com (SANs: shop.example.com)";

describe(RULE, () => {
  const values = yaml("tls:", "  crt: |", indent(api.pem, 4), "  key: |", indent(api.keyPem, 4));
  const folder = tempTree({
    "certs/web.crt": web.pem,
    "certs/web.key": web.keyPem,
    "certs/web-sec1.pem": sec1,
    "certs/web.der.key": key.export({ type: "pkcs8", format: "der" }),
    "certs/encrypted.key": encryptedPkcs8,
    "certs/legacy-encrypted.key": encryptedLegacy,
    "apps/web/secret.yaml": yaml(
      "apiVersion: v1",
      "kind: Secret",
      "metadata: {name: web-tls, namespace: shop}",
      "type: kubernetes.io/tls",
      "data:",
      `  tls.crt: ${base64(web.pem)}`,
      `  tls.key: ${base64(web.keyPem)}`,
      `  encrypted.key: ${base64(encryptedPkcs8)}`,
    ),
    "apps/web/string-secret.yaml": yaml("apiVersion: v1", "kind: Secret", "metadata: {name: web-tls-plain}", "stringData:", "  tls.key: |", indent(web.keyPem, 4)),
    "apps/web/sealed.yaml": yaml(
      "apiVersion: bitnami.com/v1alpha1",
      "kind: SealedSecret",
      "metadata: {name: web-tls}",
      "spec:",
      "  encryptedData: {tls.key: AgBy3i4OJSWK+PiTySYZZA==}",
      "  template:",
      "    stringData:",
      "      note: |",
      indent(web.keyPem, 8),
    ),
    "charts/api/values.yaml": values,
  });

  it("reports unencrypted keys in files, Secret data and stringData and Helm values; never encrypted keys or sealed secrets", () => {
    expect(certificateRows(scanCertificates(folder, { rules: [RULE] }))).toEqual([
      [RULE, "apps/web/secret.yaml", 7, 12, "critical", `unencrypted EC P-256 private key committed in data.tls.key (base64 is an encoding, not encryption): ${LEAK}; ${OF_WEB}`],
      [RULE, "apps/web/string-secret.yaml", 6, 5, "critical", `unencrypted EC P-256 private key committed in stringData.tls.key: ${LEAK}; ${OF_WEB}`],
      [RULE, "certs/web-sec1.pem", 1, 1, "critical", `unencrypted EC P-256 private key committed: ${LEAK}; ${OF_WEB}`],
      [RULE, "certs/web.der.key", 1, 1, "critical", `unencrypted EC P-256 private key committed: ${LEAK}; ${OF_WEB}`],
      [RULE, "certs/web.key", 1, 1, "critical", `unencrypted EC P-256 private key committed: ${LEAK}; ${OF_WEB}`],
      [RULE, "charts/api/values.yaml", values.split("\n").indexOf("  key: |") + 2, 5, "critical", `unencrypted EC P-256 private key committed in tls.key: ${LEAK}; it is the key of certificate CN=api.example.com`],
    ]);
  });

  it("does not report an encrypted key as unreadable either", () => {
    expect(scanCertificates(folder, { rules: ["certificate-invalid"] })).toEqual([]);
  });
});
