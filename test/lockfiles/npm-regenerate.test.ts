import { readdirSync, readlinkSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NPM_REGENERATE_PREFIX, regenerateNpmLock } from "../../src/lockfiles/npm-regenerate.js";
import { startFakeNpmRegistry, type FakeNpmRegistry } from "./fake-npm-registry.js";

const SECRET = "shipshape-test-secret-9f2c61";

let registry: FakeNpmRegistry;
beforeAll(async () => {
  registry = await startFakeNpmRegistry(
    {
      "left-pad": { "1.1.0": {}, "1.2.0": {}, "1.3.0": {}, "2.0.0": {} },
      "is-odd": { "2.0.0": { "is-number": "^6.0.0" }, "2.0.4": { "is-number": "^6.0.0" }, "3.0.0": { "is-number": "^7.0.0" } },
      "is-number": { "6.0.0": {}, "7.0.0": {} },
    },
    { hang: ["slow-pkg"] },
  );
});
afterAll(async () => {
  await registry.stop();
});
afterEach(() => {
  registry.requests.length = 0;
  delete process.env["SHIPSHAPE_TEST_SECRET"];
  // Every regeneration removes its temp folder, whatever happened.
  expect(readdirSync(tmpdir()).filter((name) => name.startsWith(NPM_REGENERATE_PREFIX))).toEqual([]);
});

const manifest = (dependencies: Record<string, string>, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: "fixture", version: "1.0.0", ...extra, dependencies }, null, 2)}\n`;

/** What the lock said before package.json moved left-pad from ^2.0.0 to ^1.1.0 and added is-odd. */
function oldLock(): string {
  const leftPad = registry.tarball("left-pad", "2.0.0");
  const packages = {
    "": { name: "fixture", version: "1.0.0", dependencies: { "left-pad": "^2.0.0" } },
    "node_modules/left-pad": { version: "2.0.0", resolved: leftPad.url, integrity: leftPad.integrity },
  };
  return `${JSON.stringify({ name: "fixture", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

/** The lockfile's folder as a repository has it, written to a temp folder and read back. */
async function repositoryFiles(dependencies: Record<string, string>, npmrcExtra = "", extra: Record<string, unknown> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "shipshape-npm-fixture-"));
  try {
    await writeFile(path.join(dir, "package.json"), manifest(dependencies, extra));
    await writeFile(path.join(dir, "package-lock.json"), oldLock());
    await writeFile(path.join(dir, ".npmrc"), `registry=${registry.url}\n${npmrcExtra}`);
    const read = (name: string) => readFile(path.join(dir, name), "utf8");
    return { packageJson: await read("package.json"), packageLock: await read("package-lock.json"), npmrc: await read(".npmrc") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const WANTED = { "left-pad": "^1.1.0", "is-odd": "~2.0.0" };

/** Live processes whose working directory is (or was) inside a regeneration's temp folder (Linux /proc). */
function processesInRegenerationFolders(): string[] {
  const found: string[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).includes(NPM_REGENERATE_PREFIX)) found.push(pid);
    } catch {
      // gone, or not ours to look at
    }
  }
  return found;
}

describe("regenerateNpmLock", () => {
  it("re-resolves a stale lock against the registry, from packuments only", async () => {
    const started = Date.now();
    const result = await regenerateNpmLock(await repositoryFiles(WANTED), { timeoutMs: 30_000 });
    const elapsed = Date.now() - started;
    expect(result.ok, result.ok ? "" : result.reason).toBe(true);
    if (!result.ok) return;
    const entry = (name: string, version: string, more: Record<string, unknown> = {}) => {
      const { url, integrity } = registry.tarball(name, version);
      return { version, resolved: url, integrity, ...more };
    };
    expect(JSON.parse(result.text)).toEqual({
      name: "fixture",
      version: "1.0.0",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: "fixture", version: "1.0.0", dependencies: WANTED },
        "node_modules/is-number": entry("is-number", "6.0.0"),
        "node_modules/is-odd": entry("is-odd", "2.0.4", { dependencies: { "is-number": "^6.0.0" } }),
        "node_modules/left-pad": entry("left-pad", "1.3.0"),
      },
    });
    expect(result.text).toBe(`${JSON.stringify(JSON.parse(result.text), null, 2)}\n`);
    // --package-lock-only takes integrity from the packuments: no tarball is downloaded.
    expect(registry.requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual(["GET /is-number", "GET /is-odd", "GET /left-pad"]);
    expect(elapsed).toBeLessThan(30_000);
  });

  it("keeps the server's environment from npm: an .npmrc's ${VAR} cannot send a secret to the registry", async () => {
    process.env["SHIPSHAPE_TEST_SECRET"] = SECRET;
    const npmrcLine = `//127.0.0.1:${registry.port}/:_authToken=\${SHIPSHAPE_TEST_SECRET}\n`;
    const result = await regenerateNpmLock(await repositoryFiles(WANTED, npmrcLine), { timeoutMs: 30_000 });
    expect(result.ok).toBe(true);
    expect(registry.requests.length).toBeGreaterThan(0);
    for (const request of registry.requests) {
      expect(JSON.stringify(request.headers)).not.toContain(SECRET);
      // The .npmrc line was in effect, with nothing to fill it in.
      expect(request.headers.authorization).toBe("Bearer ${SHIPSHAPE_TEST_SECRET}");
    }
  });

  it("kills npm and its process group when the registry does not answer in time", async () => {
    const started = Date.now();
    const result = await regenerateNpmLock(await repositoryFiles({ ...WANTED, "slow-pkg": "^1.0.0" }), { timeoutMs: 1500 });
    expect(result).toEqual({ ok: false, reason: "npm install --package-lock-only did not finish within 1.5 s" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(registry.requests.map((request) => request.path)).toContain("/slow-pkg");
    for (let i = 0; i < 50 && registry.closedHangs.length === 0; i++) await delay(20);
    expect(registry.closedHangs).toEqual(["/slow-pkg"]); // npm's connection died with it
    expect(processesInRegenerationFolders()).toEqual([]);
  });

  it("says what npm said when a dependency does not exist", async () => {
    const result = await regenerateNpmLock(await repositoryFiles({ ...WANTED, "no-such-pkg": "^1.0.0" }), { timeoutMs: 30_000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^npm install --package-lock-only failed \(exit 1\): code E404; 404 Not Found - GET http:\/\/127\.0\.0\.1:\d+\/no-such-pkg/);
    expect(result.reason).toContain("'no-such-pkg@^1.0.0' could not be found");
    expect(result.reason.length).toBeLessThanOrEqual(400);
  });

  it("runs nothing when Shipshape is offline", async () => {
    const result = await regenerateNpmLock(await repositoryFiles(WANTED), { timeoutMs: 30_000, offline: true });
    expect(result).toEqual({ ok: false, reason: "regenerating package-lock.json needs the network, and Shipshape is offline" });
    expect(registry.requests).toEqual([]);
  });

  it("refuses npm workspaces without running npm", async () => {
    const result = await regenerateNpmLock(await repositoryFiles(WANTED, "", { workspaces: ["packages/*"] }), { timeoutMs: 30_000 });
    expect(result).toEqual({ ok: false, reason: "package.json uses npm workspaces; Shipshape does not regenerate those" });
    expect(registry.requests).toEqual([]);
  });

  it("says so when npm is not installed", async () => {
    const result = await regenerateNpmLock(await repositoryFiles(WANTED), { timeoutMs: 30_000, npmCommand: "/nonexistent/bin/npm" });
    expect(result).toEqual({ ok: false, reason: "npm is not installed" });
  });
});
