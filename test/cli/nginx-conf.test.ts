import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, scanJson, tempDir } from "./helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const NGINX = `http {
    server {
        listen 443 ssl;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;   # legacy
    }
}
`;

/** A repository with an edge nginx.conf allowing TLS 1.0 and 1.1, and a redis.conf that is no nginx configuration. */
function repo(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  mkdirSync(join(dir, "edge"));
  writeFileSync(join(dir, "edge", "nginx.conf"), NGINX);
  writeFileSync(join(dir, "redis.conf"), 'bind 127.0.0.1\ntls-protocols "TLSv1 TLSv1.1"\n');
  return dir;
}

describe("scan of nginx configuration files", () => {
  it("reports ssl_protocols in an nginx .conf file, fixes it in place, and a rescan is clean", () => {
    const dir = repo();
    const scanned = scanJson([dir, "--rule", "tls-protocol-weak", "--offline"]);
    expect(scanned.report.findings).toEqual([
      {
        rule: "tls-protocol-weak",
        severity: "high",
        file: "edge/nginx.conf",
        line: 4,
        column: 9,
        message: "ssl_protocols allows TLSv1 and TLSv1.1: clients can be made to use a protocol version with known attacks",
        resource: null,
        fixable: true,
      },
    ]);
    expect(scanned.report.summary.files).toBe(1);
    expect(scanned.status).toBe(1);

    const fixed = runCli(["scan", dir, "--rule", "tls-protocol-weak", "--offline", "--fix", "--format", "json"]);
    expect(readFileSync(join(dir, "edge", "nginx.conf"), "utf8")).toBe(NGINX.replace("TLSv1 TLSv1.1 TLSv1.2;", "TLSv1.2 TLSv1.3;"));
    expect(readFileSync(join(dir, "redis.conf"), "utf8")).toBe('bind 127.0.0.1\ntls-protocols "TLSv1 TLSv1.1"\n');
    expect(fixed.status).toBe(0);
    const rescan = scanJson([dir, "--rule", "tls-protocol-weak", "--offline"]);
    expect([rescan.report.findings, rescan.status]).toEqual([[], 0]);
  });
});
