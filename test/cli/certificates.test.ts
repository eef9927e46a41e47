import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { base64, TestCa } from "../certs/openssl.js";
import { runCli, scanJson, stripAnsi, tempDir } from "./helpers.js";

const ca = new TestCa();
const folder = tempDir();
afterAll(() => {
  ca.dispose();
  folder.cleanup();
});

const web = ca.issue({ subject: "/CN=shop.example.com", sans: "DNS:shop.example.com", notBefore: "2025-12-01", notAfter: "2026-01-10" });
const write = (path: string, text: string) => {
  mkdirSync(join(folder.dir, path, ".."), { recursive: true });
  writeFileSync(join(folder.dir, path), text);
};
write("certs/web.crt", web.pem);
write(
  "apps/web/secret.yaml",
  ["apiVersion: v1", "kind: Secret", "metadata: {name: web-tls, namespace: shop}", "data:", `  tls.crt: ${base64(web.pem)}`, `  tls.key: ${base64(web.keyPem)}`, ""].join("\n"),
);

const SUBJECT = "certificate CN=shop.example.com (SANs: shop.example.com)";
const SECRET = { kind: "Secret", name: "web-tls", namespace: "shop" };

describe("shipshape scan --now", () => {
  it("judges certificates at the time given, in the JSON report", () => {
    const { status, report, stderr } = scanJson([folder.dir, "--now", "2026-01-01"]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(report.findings).toEqual([
      // The Secret is a plain v1 Secret committed with its data: its key is readable by anyone (private-key-committed says which).
      {
        rule: "secret-plaintext",
        severity: "high",
        file: "apps/web/secret.yaml",
        line: 4,
        column: 1,
        message: 'Secret "web-tls" is committed unencrypted: keys "tls.crt" and "tls.key" in data (base64, readable by anyone)',
        resource: SECRET,
        fixable: false,
      },
      {
        rule: "certificate-expiring",
        severity: "high",
        file: "apps/web/secret.yaml",
        line: 5,
        column: 12,
        message: `${SUBJECT} expires on 2026-01-10 (9 days left); also in certs/web.crt`,
        resource: SECRET,
        fixable: false,
      },
      {
        rule: "private-key-committed",
        severity: "critical",
        file: "apps/web/secret.yaml",
        line: 6,
        column: 12,
        message: `unencrypted EC P-256 private key committed in data.tls.key (base64 is an encoding, not encryption): anyone who can read the repository, or its history, can use it; it is the key of ${SUBJECT}`,
        resource: SECRET,
        fixable: false,
      },
      {
        rule: "certificate-expiring",
        severity: "high",
        file: "certs/web.crt",
        line: 1,
        column: 1,
        message: `${SUBJECT} expires on 2026-01-10 (9 days left); also in Secret shop/web-tls (apps/web/secret.yaml)`,
        resource: null,
        fixable: false,
      },
    ]);
    expect(report.summary.bySeverity).toEqual({ critical: 1, high: 3, medium: 0, low: 0 });
  });

  it("gives the same report for SHIPSHAPE_NOW, and a later time finds the certificate expired", () => {
    const fromEnv = scanJson([folder.dir], { env: { SHIPSHAPE_NOW: "2026-01-01" } });
    expect(fromEnv.report).toEqual(scanJson([folder.dir, "--now", "2026-01-01"]).report);
    const later = scanJson([folder.dir, "--now", "2026-02-01T12:00:00Z", "--rule", "certificate-expired"]);
    expect(later.report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.severity} ${finding.message}`)).toEqual([
      `apps/web/secret.yaml:5 critical ${SUBJECT} expired on 2026-01-10 (22 days ago); also in certs/web.crt`,
      `certs/web.crt:1 critical ${SUBJECT} expired on 2026-01-10 (22 days ago); also in Secret shop/web-tls (apps/web/secret.yaml)`,
    ]);
  });

  it("prints the same sentences in the text report", () => {
    const result = runCli(["scan", folder.dir, "--now", "2026-01-01", "--rule", "certificate-expiring"]);
    expect(stripAnsi(result.stdout)).toBe(
      [
        "apps/web/secret.yaml",
        `  5:12  high      certificate-expiring  ${SUBJECT} expires on 2026-01-10 (9 days left); also in certs/web.crt  (Secret shop/web-tls)`,
        "",
        "certs/web.crt",
        `  1:1   high      certificate-expiring  ${SUBJECT} expires on 2026-01-10 (9 days left); also in Secret shop/web-tls (apps/web/secret.yaml)`,
        "",
        "✖ 2 findings (2 high) in 2 files. 2 files scanned, 1 resource — failing: findings at or above high.",
        "",
      ].join("\n"),
    );
  });

  it("refuses a --now that is not a time", () => {
    const result = runCli(["scan", folder.dir, "--now", "soon"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--now: "soon" is not an ISO 8601 time');
  });
});

describe("shipshape scan --fix: cert-manager takes over an expiring Secret that an Ingress serves", () => {
  const repos: (() => void)[] = [];
  afterAll(() => repos.forEach((cleanup) => cleanup()));
  const SECRET_TEXT = ["apiVersion: v1", "kind: Secret", "metadata: {name: web-tls, namespace: shop}", "type: kubernetes.io/tls", "data:", `  tls.crt: ${base64(web.pem)}`, ""].join("\n");
  const INGRESS = [
    "apiVersion: networking.k8s.io/v1",
    "kind: Ingress",
    "metadata:",
    "  name: storefront",
    "  namespace: shop",
    "spec:",
    "  tls:",
    "    - hosts: [shop.example.com]",
    "      secretName: web-tls",
    "",
  ].join("\n");
  /** A fresh repository: the Secret, the Ingress that serves it, and a config naming a ClusterIssuer. */
  const newRepo = (): string => {
    const repo = tempDir();
    repos.push(repo.cleanup);
    const put = (path: string, text: string) => {
      mkdirSync(join(repo.dir, path, ".."), { recursive: true });
      writeFileSync(join(repo.dir, path), text);
    };
    put(".shipshape.yml", "certificates:\n  issuer: {name: letsencrypt-prod}\n");
    put("apps/web/secret.yaml", SECRET_TEXT);
    put("apps/web/ingress.yaml", INGRESS);
    return repo.dir;
  };
  const args = (dir: string) => [dir, "--now", "2026-01-01", "--rule", "certificate-expiring"];
  const MESSAGE = `${SUBJECT} expires on 2026-01-10 (9 days left); used by Ingress shop/storefront (shop.example.com)`;
  const RISK =
    'cert-manager replaces the certificate in the Secret once this is deployed and the ClusterIssuer "letsencrypt-prod" (which must exist in the cluster) can solve the challenge for every host the Ingress lists for it; delete the static Secret from the repository afterwards, or Argo CD will put the old certificate back.';
  const FINDING = { rule: "certificate-expiring", severity: "high", file: "apps/web/secret.yaml", line: 6, column: 12, message: MESSAGE, resource: SECRET };

  it("annotates the Ingress, says the static Secret can then be deleted, and still reports the finding", () => {
    const dir = newRepo();
    const result = runCli(["scan", ...args(dir), "--fix"]);
    expect(result.stderr).toBe(
      [
        'Fixed 1 finding in 1 file; 1 stays reported until people do what "Check before merging" says.',
        '  apps/web/ingress.yaml  certificate-expiring  Lets cert-manager issue Secret "web-tls" for Ingress shop/storefront (ClusterIssuer "letsencrypt-prod", through the annotation cert-manager.io/cluster-issuer): the static certificate in apps/web/secret.yaml can then be deleted.',
        "Check before merging:",
        `  certificate-expiring: ${RISK}`,
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(dir, "apps/web/ingress.yaml"), "utf8")).toBe(INGRESS.replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt-prod\n"));
    expect(readFileSync(join(dir, "apps/web/secret.yaml"), "utf8")).toBe(SECRET_TEXT);
    expect(stripAnsi(result.stdout)).toBe(
      [
        "apps/web/secret.yaml",
        `  6:12  high      certificate-expiring  ${MESSAGE}  (Secret shop/web-tls)`,
        "",
        "✖ 1 finding (1 high) in 1 file. 3 files scanned, 2 resources — failing: findings at or above high.",
        "",
      ].join("\n"),
    );
    expect(result.status).toBe(1);
  });

  it("reports the finding as no longer fixable, and on a rerun changes nothing and says why", () => {
    const dir = newRepo();
    expect(scanJson(args(dir)).report.findings).toEqual([{ ...FINDING, fixable: true }]);
    const fixed = scanJson([...args(dir), "--fix"]);
    expect(fixed.stderr.split("\n")[0]).toBe('Fixed 1 finding in 1 file; 1 stays reported until people do what "Check before merging" says.');
    expect(fixed.report.findings).toEqual([{ ...FINDING, fixable: false }]);

    const again = runCli(["scan", ...args(dir), "--fix"]);
    expect(again.stderr).toBe(
      [
        "Fixed 0 findings in 0 files.",
        "Not fixed: 1.",
        '  apps/web/secret.yaml:6:12  certificate-expiring  cert-manager already manages Secret "web-tls" through the cert-manager.io/cluster-issuer annotation of Ingress shop/storefront: once that is deployed it reissues the certificate; delete the static Secret from the repository (apps/web/secret.yaml)',
        "",
      ].join("\n"),
    );
    expect(scanJson(args(dir)).report.findings).toEqual([{ ...FINDING, fixable: false }]);
  });
});
