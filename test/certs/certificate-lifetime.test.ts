import { afterAll, describe, expect, it } from "vitest";
import { certificateRows, scanCertificates, tempTree, yaml } from "./helpers.js";
import { base64, TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const RULE = "certificate-lifetime-too-long";
const root = ca.issue({ subject: "/CN=Shop Root CA", ca: true, notBefore: "2024-01-01", notAfter: "2034-01-01" });
const year = ca.issue({ subject: "/CN=year.example.com", notBefore: "2025-06-01", notAfter: "2026-07-05", signer: root });
const limit = ca.issue({ subject: "/CN=limit.example.com", notBefore: "2025-06-01", notAfter: "2026-07-04", signer: root });
const threeYears = ca.issue({ subject: "/O=Shop", sans: "DNS:legacy.example.com", notBefore: "2024-01-01", notAfter: "2026-12-31", signer: root });

/** 1-based line of the n-th (1-based) occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string, nth = 1): number {
  let at = -1;
  for (let count = 0; count < nth; count += 1) at = text.indexOf(needle, at + 1);
  if (at === -1) throw new Error(`"${needle}" #${nth} not found`);
  return text.slice(0, at).split("\n").length;
}

function certificate(name: string, spec: string[]): string {
  return yaml("apiVersion: cert-manager.io/v1", "kind: Certificate", `metadata: {name: ${name}, namespace: shop}`, "spec:", `  secretName: ${name}`, ...spec.map((line) => `  ${line}`));
}

describe(RULE, () => {
  // limit.example.com lives 398 days (2025-06-01 to 2026-07-04): at the limit, not over it; year.example.com a day more.
  // The root lives ten years, but it is a CA.
  const chain = year.pem + threeYears.pem;
  const certificates = [
    certificate("year", ["duration: 8760h", "issuerRef: {name: letsencrypt, kind: ClusterIssuer}"]),
    certificate("quarter", ["duration: 2160h"]),
    certificate("default", ["issuerRef: {name: letsencrypt}"]),
    certificate("ca", ["isCA: true", "duration: 87600h"]),
  ].join("---\n");
  const folder = tempTree({
    "certs/limit.pem": limit.pem,
    "certs/root.pem": root.pem,
    "certs/chain.pem": chain,
    "apps/legacy/secret.yaml": yaml("apiVersion: v1", "kind: Secret", "metadata: {name: legacy-tls, namespace: shop}", "data:", `  tls.crt: ${base64(threeYears.pem)}`),
    "apps/web/certificates.yaml": certificates,
  });
  const second = lineOf(chain, "-----BEGIN", 2);

  it("reports leaves valid for more than 398 days and Certificates asking for more than 2160h", () => {
    expect(certificateRows(scanCertificates(folder, { rules: [RULE] }))).toEqual([
      [RULE, "apps/legacy/secret.yaml", 5, 12, "medium", "certificate O=Shop (SANs: legacy.example.com) is valid for 1095 days (2024-01-01 to 2026-12-31), longer than certificates.maxLeafDays (398 days); also in certs/chain.pem"],
      [RULE, "apps/web/certificates.yaml", 6, 13, "medium", "duration 8760h (365 days) is longer than certificates.maxDuration 2160h (90 days)"],
      [RULE, "certs/chain.pem", 1, 1, "medium", "certificate CN=year.example.com (certificate 1 of 2 in the bundle) is valid for 399 days (2025-06-01 to 2026-07-05), longer than certificates.maxLeafDays (398 days)"],
      [RULE, "certs/chain.pem", second, 1, "medium", "certificate O=Shop (certificate 2 of 2 in the bundle; SANs: legacy.example.com) is valid for 1095 days (2024-01-01 to 2026-12-31), longer than certificates.maxLeafDays (398 days); also in Secret shop/legacy-tls (apps/legacy/secret.yaml)"],
    ]);
  });

  it("offers the certificate-duration fix for cert-manager Certificates, and says why a static certificate cannot be shortened", () => {
    const findings = scanCertificates(folder, { rules: [RULE] });
    expect(findings.map((finding) => [finding.file, finding.fixable, finding.notFixableReason])).toEqual([
      ["apps/legacy/secret.yaml", false, "a static certificate's lifetime is fixed when it is issued: reissue it for at most 398 days, or let cert-manager issue it"],
      ["apps/web/certificates.yaml", true, undefined],
      ["certs/chain.pem", false, undefined],
      ["certs/chain.pem", false, undefined],
    ]);
    expect(findings[1]?.resource).toEqual({ kind: "Certificate", name: "year", namespace: "shop" });
  });

  it("takes its limits from the config: a Certificate without duration gets cert-manager's default, 2160h", () => {
    const config = { certificates: { maxLeafDays: 90, maxDuration: "720h" } };
    expect(certificateRows(scanCertificates(folder, { rules: [RULE], config })).map((row) => `${row[1]}:${row[2]}:${row[3]} ${row[5]}`)).toEqual([
      "apps/legacy/secret.yaml:5:12 certificate O=Shop (SANs: legacy.example.com) is valid for 1095 days (2024-01-01 to 2026-12-31), longer than certificates.maxLeafDays (90 days); also in certs/chain.pem",
      "apps/web/certificates.yaml:6:13 duration 8760h (365 days) is longer than certificates.maxDuration 720h (30 days)",
      `apps/web/certificates.yaml:${lineOf(certificates, "duration: 2160h")}:13 duration 2160h (90 days) is longer than certificates.maxDuration 720h (30 days)`,
      `apps/web/certificates.yaml:${lineOf(certificates, "spec:", 3)}:1 no duration is set, and cert-manager's default 2160h (90 days) is longer than certificates.maxDuration 720h (30 days)`,
      "certs/chain.pem:1:1 certificate CN=year.example.com (certificate 1 of 2 in the bundle) is valid for 399 days (2025-06-01 to 2026-07-05), longer than certificates.maxLeafDays (90 days)",
      `certs/chain.pem:${second}:1 certificate O=Shop (certificate 2 of 2 in the bundle; SANs: legacy.example.com) is valid for 1095 days (2024-01-01 to 2026-12-31), longer than certificates.maxLeafDays (90 days); also in Secret shop/legacy-tls (apps/legacy/secret.yaml)`,
      "certs/limit.pem:1:1 certificate CN=limit.example.com is valid for 398 days (2025-06-01 to 2026-07-04), longer than certificates.maxLeafDays (90 days)",
    ]);
  });
});
