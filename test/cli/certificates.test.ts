import { mkdirSync, writeFileSync } from "node:fs";
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
    expect(report.summary.bySeverity).toEqual({ critical: 1, high: 2, medium: 0, low: 0 });
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
