/** `checkParams` / `fixParams` in .shipshape.yml, through the built CLI. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0
`;

describe("rule params in the config", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function repository(config: string): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, "apps"));
    writeFileSync(join(dir, "apps", "web.yaml"), DEPLOYMENT);
    writeFileSync(join(dir, ".shipshape.yml"), config);
    return dir;
  }

  it("fixParams egress: restrict makes --fix write the egress policies", () => {
    const dir = repository("rules:\n  network-policy-missing:\n    fixParams: {egress: restrict}\n");
    const result = runCli(["scan", dir, "--rule", "network-policy-missing", "--fix", "--offline", "--fail-on", "none"]);
    expect(result.status).toBe(0);
    // What was fixed is told on stderr.
    expect(result.stderr).toContain('"default-deny-egress" (no pod opens connections unless a policy below allows them)');
    const written = readFileSync(join(dir, "apps", "shop-network-policies.yaml"), "utf8");
    expect([...written.matchAll(/^ {2}name: (.+)$/gm)].map((match) => match[1])).toEqual(["default-deny-ingress", "default-deny-egress", "allow-dns-egress"]);
  });

  it("an invalid value stops the scan with exit code 2, naming the key", () => {
    const dir = repository("rules:\n  network-policy-missing:\n    fixParams: {egress: closed}\n");
    const result = runCli(["scan", dir]);
    expect([result.status, result.stdout, result.stderr]).toEqual([2, "", "shipshape: rules.network-policy-missing.fixParams.egress: must be one of open, restrict\n"]);
  });
});
