import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./free-port.js";
import { healthHandler, readinessFromEnv, type Readiness } from "../../src/app/health.js";

const READY: Readiness = { appLoaded: () => true, hasPrivateKey: true, hasWebhookSecret: true };

let server: HttpServer | undefined;

/** A real HTTP server on loopback with the handler in front of a 404 fallback, like Probot's. */
async function serve(readiness: Readiness): Promise<string> {
  const handle = healthHandler(readiness);
  server = createServer((req, res) => {
    if (handle(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" }).end("fallback");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

function headersOf(response: Response, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));
}

describe("GET /healthz", () => {
  it("answers 200 {\"status\":\"ok\"} as uncached JSON", async () => {
    const base = await serve(READY);
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(headersOf(response, ["content-type", "cache-control", "content-length"])).toEqual({ ...JSON_HEADERS, "content-length": "15" });
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  it("answers 200 even when the app is not ready: it only says the process is alive", async () => {
    const base = await serve({ appLoaded: () => false, hasPrivateKey: false, hasWebhookSecret: false });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  it("ignores a query string", async () => {
    const base = await serve(READY);
    const response = await fetch(`${base}/healthz?probe=kubelet`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ok"}');
  });
});

describe("GET /readyz", () => {
  it("answers 200 with every check true when all are met", async () => {
    const base = await serve(READY);
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(headersOf(response, ["content-type", "cache-control"])).toEqual(JSON_HEADERS);
    expect(await response.text()).toBe('{"status":"ready","checks":{"app":true,"privateKey":true,"webhookSecret":true}}');
  });

  it.each([
    ["the app has not loaded", { appLoaded: () => false, hasPrivateKey: true, hasWebhookSecret: true }, '{"app":false,"privateKey":true,"webhookSecret":true}'],
    ["the private key is missing", { appLoaded: () => true, hasPrivateKey: false, hasWebhookSecret: true }, '{"app":true,"privateKey":false,"webhookSecret":true}'],
    ["the webhook secret is missing", { appLoaded: () => true, hasPrivateKey: true, hasWebhookSecret: false }, '{"app":true,"privateKey":true,"webhookSecret":false}'],
    ["nothing is in place", { appLoaded: () => false, hasPrivateKey: false, hasWebhookSecret: false }, '{"app":false,"privateKey":false,"webhookSecret":false}'],
  ])("answers 503 when %s, naming the failed check", async (_label, readiness: Readiness, checks) => {
    const base = await serve(readiness);
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(headersOf(response, ["content-type", "cache-control"])).toEqual(JSON_HEADERS);
    expect(await response.text()).toBe(`{"status":"not ready","checks":${checks}}`);
  });

  it("asks whether the app is loaded on every request, so it turns ready once loading finishes", async () => {
    let loaded = false;
    const base = await serve({ appLoaded: () => loaded, hasPrivateKey: true, hasWebhookSecret: true });
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    loaded = true;
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ready","checks":{"app":true,"privateKey":true,"webhookSecret":true}}');
  });
});

describe("HEAD", () => {
  it("answers /healthz with GET's status and headers and no body", async () => {
    const base = await serve(READY);
    const response = await fetch(`${base}/healthz`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(headersOf(response, ["content-type", "cache-control", "content-length"])).toEqual({ ...JSON_HEADERS, "content-length": "15" });
    expect(await response.text()).toBe("");
  });

  it("answers /readyz with 503 and no body when not ready", async () => {
    const base = await serve({ ...READY, hasWebhookSecret: false });
    const response = await fetch(`${base}/readyz`, { method: "HEAD" });
    expect(response.status).toBe(503);
    expect(headersOf(response, ["content-type", "cache-control"])).toEqual(JSON_HEADERS);
    expect(await response.text()).toBe("");
  });
});

describe("other methods", () => {
  it.each([
    ["POST", "/healthz"],
    ["PUT", "/readyz"],
    ["DELETE", "/healthz"],
    ["OPTIONS", "/readyz"],
  ])("%s %s answers 405 with allow: GET, HEAD", async (method, path) => {
    const base = await serve(READY);
    const response = await fetch(`${base}${path}`, { method });
    expect(response.status).toBe(405);
    expect(headersOf(response, ["allow", "content-type", "cache-control"])).toEqual({ allow: "GET, HEAD", ...JSON_HEADERS });
    expect(await response.text()).toBe('{"status":"method not allowed"}');
  });
});

describe("other paths", () => {
  it.each([["GET", "/"], ["GET", "/ping"], ["GET", "/healthz/extra"], ["GET", "/health"], ["POST", "/api/github/webhooks"], ["GET", "/readyzz"]])(
    "%s %s is left to the next handler",
    async (method, path) => {
      const base = await serve(READY);
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("fallback");
    },
  );
});

describe("readinessFromEnv", () => {
  const loaded = () => true;

  it("finds the private key in PRIVATE_KEY and the secret in WEBHOOK_SECRET", () => {
    const readiness = readinessFromEnv({ PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----", WEBHOOK_SECRET: "s3cret" }, loaded);
    expect({ hasPrivateKey: readiness.hasPrivateKey, hasWebhookSecret: readiness.hasWebhookSecret }).toEqual({ hasPrivateKey: true, hasWebhookSecret: true });
  });

  it("accepts PRIVATE_KEY_PATH instead of PRIVATE_KEY", () => {
    const readiness = readinessFromEnv({ PRIVATE_KEY_PATH: "/run/secrets/key.pem", WEBHOOK_SECRET: "s3cret" }, loaded);
    expect(readiness.hasPrivateKey).toBe(true);
  });

  it("reports both missing in an empty environment", () => {
    const readiness = readinessFromEnv({}, loaded);
    expect({ hasPrivateKey: readiness.hasPrivateKey, hasWebhookSecret: readiness.hasWebhookSecret }).toEqual({ hasPrivateKey: false, hasWebhookSecret: false });
  });

  it("treats empty and blank values as missing", () => {
    const readiness = readinessFromEnv({ PRIVATE_KEY: "", PRIVATE_KEY_PATH: "  ", WEBHOOK_SECRET: "" }, loaded);
    expect({ hasPrivateKey: readiness.hasPrivateKey, hasWebhookSecret: readiness.hasWebhookSecret }).toEqual({ hasPrivateKey: false, hasWebhookSecret: false });
  });

  it("ignores unrelated variables that merely look alike", () => {
    const readiness = readinessFromEnv({ APP_PRIVATE_KEY: "x", GITHUB_WEBHOOK_SECRET: "y" }, loaded);
    expect({ hasPrivateKey: readiness.hasPrivateKey, hasWebhookSecret: readiness.hasWebhookSecret }).toEqual({ hasPrivateKey: false, hasWebhookSecret: false });
  });

  it("passes the appLoaded function through unchanged", () => {
    let state = false;
    const appLoaded = () => state;
    const readiness = readinessFromEnv({}, appLoaded);
    expect(readiness.appLoaded).toBe(appLoaded);
    state = true;
    expect(readiness.appLoaded()).toBe(true);
  });

  it("feeds the handler: a full environment is ready", async () => {
    const base = await serve(readinessFromEnv({ PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: "s3cret" }, loaded));
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ready","checks":{"app":true,"privateKey":true,"webhookSecret":true}}');
  });
});

describe("inside Probot's server", () => {
  it("is reached through addHandler, after Probot's own routes, before its 404", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const probotServer = new Server({
      Probot: Probot.defaults({ appId: 1, privateKey, secret: "s3cret" }),
      log: pino({ level: "silent" }),
      host: "127.0.0.1",
      port: await freePort(),
    });
    let loaded = false;
    await probotServer.load((_app, { addHandler }) => {
      addHandler(healthHandler({ appLoaded: () => loaded, hasPrivateKey: true, hasWebhookSecret: true }));
      loaded = true;
    });
    await probotServer.start();
    try {
      const base = `http://127.0.0.1:${probotServer.port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('{"status":"ok"}');
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe('{"status":"ready","checks":{"app":true,"privateKey":true,"webhookSecret":true}}');
      const ping = await fetch(`${base}/ping`);
      expect(await ping.text()).toBe("PONG");
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    } finally {
      await probotServer.stop();
    }
  });
});
