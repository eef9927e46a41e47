import { afterAll, describe, expect, it } from "vitest";
import { certificateRows, scanCertificates, tempTree, yaml, lineOf } from "./helpers.js";
import { base64, indent, TestCa } from "./openssl.js";

/**
 * The certificate rules at a fixed time (NOW = 2026-01-01T00:00:00Z), on
 * certificates openssl makes with fixed validity windows.
 */
const ca = new TestCa();
afterAll(() => ca.dispose());

const root = ca.issue({ subject: "/CN=Shop Root CA", ca: true, notBefore: "2024-01-01", notAfter: "2034-01-01" });
const issuing = ca.issue({ subject: "/CN=Shop Issuing CA", ca: true, notBefore: "2024-06-01", notAfter: "2025-12-31", signer: root });
const web = ca.issue({ subject: "/CN=shop.example.com", sans: "DNS:shop.example.com,DNS:www.shop.example.com", notBefore: "2025-12-01", notAfter: "2026-01-10", signer: root });
const api = ca.issue({ subject: "/CN=api.example.com", sans: "DNS:api.example.com,IP:10.0.0.1", notBefore: "2025-11-01", notAfter: "2026-01-25", signer: root });
const gone = ca.issue({ subject: "/CN=old.example.com", sans: "DNS:old.example.com", notBefore: "2025-01-01", notAfter: "2025-12-02", signer: root });
const later = ca.issue({ subject: "/CN=later.example.com", notBefore: "2025-12-01", notAfter: "2026-02-15", signer: root });

const BEGIN = "-----BEGIN CERTIFICATE-----";

const WEB = "certificate CN=shop.example.com (SANs: shop.example.com, www.shop.example.com)";
const API = "certificate CN=api.example.com (SANs: api.example.com, IP 10.0.0.1)";

describe("certificate-expired and certificate-expiring, wherever a certificate is written", () => {
  const bundle = `${web.pem}${issuing.pem}${root.pem}`;
  const trust = yaml("apiVersion: v1", "kind: ConfigMap", "metadata: {name: trust, namespace: shop}", "data:", "  ca.crt: |", indent(issuing.pem + root.pem, 4));
  const values = yaml("ingress:", "  tls:", "    crt: |", indent(api.pem, 6));
  const stringData = yaml("apiVersion: v1", "kind: Secret", "metadata: {name: old-tls, namespace: shop}", "stringData:", "  tls.crt: |", indent(gone.pem, 4));
  const secret = yaml(
    "apiVersion: v1",
    "kind: Secret",
    "metadata: {name: web-tls, namespace: shop}",
    "type: kubernetes.io/tls",
    "data:",
    `  tls.crt: ${base64(web.pem)}`,
    `  ca.crt: ${base64(issuing.pem + root.pem)}`,
  );
  const ingress = yaml(
    "apiVersion: networking.k8s.io/v1",
    "kind: Ingress",
    "metadata: {name: storefront, namespace: shop}",
    "spec:",
    "  tls:",
    "    - hosts: [shop.example.com, www.shop.example.com]",
    "      secretName: web-tls",
  );
  const deployment = yaml(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web, namespace: shop}",
    "spec:",
    "  template:",
    "    spec:",
    "      containers: [{name: web, image: web:1}]",
    "      volumes:",
    "        - name: certs",
    "          projected:",
    "            sources: [{secret: {name: web-tls}}, {configMap: {name: trust}}]",
  );
  const root_ = tempTree({
    "certs/bundle.pem": bundle,
    "certs/old.der": gone.der,
    "apps/web/trust.yaml": trust,
    "apps/web/secret.yaml": secret,
    "apps/web/ingress.yaml": ingress,
    "apps/web/deployment.yaml": deployment,
    "apps/old/secret.yaml": stringData,
    "charts/api/values.yaml": values,
  });
  const findings = scanCertificates(root_, { rules: ["certificate-expired", "certificate-expiring"] });

  it("reports each certificate where it is written, with its dates, days and every place it is used", () => {
    const issuingExpired = "CA certificate CN=Shop Issuing CA (certificate 1 of 2 in the bundle) expired on 2025-12-31 (1 day ago)";
    expect(certificateRows(findings)).toEqual([
      ["certificate-expired", "apps/old/secret.yaml", 6, 5, "critical", "certificate CN=old.example.com (SANs: old.example.com) expired on 2025-12-02 (30 days ago); also in certs/old.der"],
      [
        "certificate-expiring",
        "apps/web/secret.yaml",
        6,
        12,
        "high",
        `${WEB} expires on 2026-01-10 (9 days left); used by Deployment shop/web (volume certs), Ingress shop/storefront (shop.example.com, www.shop.example.com); also in certs/bundle.pem`,
      ],
      [
        "certificate-expired",
        "apps/web/secret.yaml",
        7,
        11,
        "critical",
        `${issuingExpired}; used by Deployment shop/web (volume certs), Ingress shop/storefront (shop.example.com, www.shop.example.com); also in ConfigMap shop/trust (apps/web/trust.yaml), certs/bundle.pem`,
      ],
      [
        "certificate-expired",
        "apps/web/trust.yaml",
        6,
        5,
        "critical",
        `${issuingExpired}; used by Deployment shop/web (volume certs); also in Secret shop/web-tls (apps/web/secret.yaml), certs/bundle.pem`,
      ],
      [
        "certificate-expiring",
        "certs/bundle.pem",
        1,
        1,
        "high",
        "certificate CN=shop.example.com (certificate 1 of 3 in the bundle; SANs: shop.example.com, www.shop.example.com) expires on 2026-01-10 (9 days left); also in Secret shop/web-tls (apps/web/secret.yaml)",
      ],
      [
        "certificate-expired",
        "certs/bundle.pem",
        lineOf(bundle, BEGIN, 2),
        1,
        "critical",
        "CA certificate CN=Shop Issuing CA (certificate 2 of 3 in the bundle) expired on 2025-12-31 (1 day ago); also in ConfigMap shop/trust (apps/web/trust.yaml), Secret shop/web-tls (apps/web/secret.yaml)",
      ],
      ["certificate-expired", "certs/old.der", 1, 1, "critical", "certificate CN=old.example.com (SANs: old.example.com) expired on 2025-12-02 (30 days ago); also in Secret shop/old-tls (apps/old/secret.yaml)"],
      ["certificate-expiring", "charts/api/values.yaml", 4, 7, "medium", `${API} expires on 2026-01-25 (24 days left)`],
    ]);
  });

  it("puts each finding on the object holding the certificate", () => {
    expect(findings.map((finding) => (finding.resource ? `${finding.resource.kind}/${finding.resource.name}` : "-"))).toEqual([
      "Secret/old-tls",
      "Secret/web-tls",
      "Secret/web-tls",
      "ConfigMap/trust",
      "-",
      "-",
      "-",
      "-",
    ]);
    expect(findings.every((finding) => !finding.fixable)).toBe(true);
  });

  it("judges at the time given: a month later the root CA is all that is left unexpired", () => {
    const later = scanCertificates(root_, { rules: ["certificate-expired", "certificate-expiring"], now: new Date("2026-02-01T00:00:00Z") });
    expect(later.map((finding) => [finding.rule, finding.file, finding.line])).toEqual([
      ["certificate-expired", "apps/old/secret.yaml", 6],
      ["certificate-expired", "apps/web/secret.yaml", 6],
      ["certificate-expired", "apps/web/secret.yaml", 7],
      ["certificate-expired", "apps/web/trust.yaml", 6],
      ["certificate-expired", "certs/bundle.pem", 1],
      ["certificate-expired", "certs/bundle.pem", lineOf(bundle, BEGIN, 2)],
      ["certificate-expired", "certs/old.der", 1],
      ["certificate-expired", "charts/api/values.yaml", 4],
    ]);
    expect(later.find((finding) => finding.file === "charts/api/values.yaml")?.message).toBe(`${API} expired on 2026-01-25 (7 days ago)`);
  });
});

describe("certificate-expiring: the tiers", () => {
  const folder = tempTree({ "web.pem": web.pem, "api.pem": api.pem, "later.pem": later.pem });
  const tiers = (options: Parameters<typeof scanCertificates>[1]) =>
    scanCertificates(folder, { rules: ["certificate-expiring", "certificate-expired"], ...options }).map((finding) => `${finding.file} ${finding.rule} ${finding.severity}: ${finding.message.replace(/^.* (expire)/, "$1")}`);

  it("is high within 14 whole days, medium within 30, silent beyond", () => {
    expect(tiers({})).toEqual(["api.pem certificate-expiring medium: expires on 2026-01-25 (24 days left)", "web.pem certificate-expiring high: expires on 2026-01-10 (9 days left)"]);
  });

  it("takes its thresholds from the config's certificates section", () => {
    expect(tiers({ config: { certificates: { expiringHighDays: 7, expiringMediumDays: 60 } } })).toEqual([
      "api.pem certificate-expiring medium: expires on 2026-01-25 (24 days left)",
      "later.pem certificate-expiring medium: expires on 2026-02-15 (45 days left)",
      "web.pem certificate-expiring medium: expires on 2026-01-10 (9 days left)",
    ]);
  });

  it("counts whole days, inclusive at the threshold", () => {
    // 2025-12-27: web has exactly 14 days left (high), api exactly 29 (medium).
    expect(tiers({ now: new Date("2025-12-27T00:00:00Z") })).toEqual([
      "api.pem certificate-expiring medium: expires on 2026-01-25 (29 days left)",
      "web.pem certificate-expiring high: expires on 2026-01-10 (14 days left)",
    ]);
    // One second later web has 13 days, 23 hours… left: 13 whole days.
    expect(tiers({ now: new Date("2025-12-27T00:00:01Z") })[1]).toBe("web.pem certificate-expiring high: expires on 2026-01-10 (13 days left)");
  });

  it("is expiring up to the last second of notAfter, and expired after", () => {
    expect(tiers({ now: new Date("2026-01-10T00:00:00Z") })[1]).toBe("web.pem certificate-expiring high: expires on 2026-01-10 (less than a day left)");
    expect(tiers({ now: new Date("2026-01-10T00:00:01Z") })[1]).toBe("web.pem certificate-expired critical: expired on 2026-01-10 (less than a day ago)");
  });

  it("lets a severity set in the config replace the tiers", () => {
    expect(tiers({ config: { rules: { "certificate-expiring": "low" } } }).map((row) => row.split(":")[0])).toEqual(["api.pem certificate-expiring low", "web.pem certificate-expiring low"]);
  });
});

describe("the ignore annotation and exclusions", () => {
  it("apply to the object holding the certificate", () => {
    const folder = tempTree({
      "secret.yaml": yaml(
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        "  name: legacy",
        "  annotations: {shipshape.dev/ignore: certificate-expired}",
        "stringData:",
        "  tls.crt: |",
        indent(gone.pem, 4),
      ),
      "other.yaml": yaml("apiVersion: v1", "kind: Secret", "metadata: {name: other, namespace: sandbox}", "stringData:", "  tls.crt: |", indent(gone.pem, 4)),
      "gone.pem": gone.pem,
    });
    const config = { rules: { "certificate-expired": { exclude: [{ namespace: "sandbox" }] } } };
    expect(scanCertificates(folder, { rules: ["certificate-expired"], config }).map((finding) => finding.file)).toEqual(["gone.pem"]);
  });
});
