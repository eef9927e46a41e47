import { createHmac, generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "./free-port.js";
import { createShipshapeApp } from "../../src/app/index.js";
import { ScanQueue } from "../../src/app/queue.js";
import { CallLog, FULL_READ_CALLS, mockFullRead, secretsIn } from "./errors-harness.js";
import { mockDashboardCreate } from "./dashboard-harness.js";
import { API, BASE_SHA, FIXTURES, INSTALLATION, OWNER, REPO } from "./harness.js";

const SECRET = "server-test-webhook-secret";
const repoPath = `/repos/${OWNER}/${REPO}`;
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

const ENV_KEYS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET"] as const;

interface Running {
  base: string;
  queue: ScanQueue;
  logs: string[];
  stop(): Promise<void>;
}

/** Probot's own HTTP server with the app loaded, as `probot run` starts it, on loopback. */
async function startServer(env: Partial<Record<(typeof ENV_KEYS)[number], string>>): Promise<Running> {
  for (const key of ENV_KEYS) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const queue = new ScanQueue(log);
  const server = new Server({
    Probot: Probot.defaults({
      appId: 1,
      privateKey,
      secret: SECRET,
      // Exact call lists, as in the harness: no automatic retries, no spacing of writes.
      Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    }),
    log,
    host: "127.0.0.1",
    port: await freePort(),
  });
  await server.load(createShipshapeApp({ queue, registry: { offline: true }, schedule: "off" }));
  const http = await server.start();
  const { port } = http.address() as AddressInfo;
  expect(port).toBe(server.port);
  return { base: `http://127.0.0.1:${port}`, queue, logs, stop: () => server.stop() };
}

function pushPayload(): object {
  return {
    ref: "refs/heads/main",
    before: "c".repeat(40),
    after: BASE_SHA,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${OWNER}/${REPO}/compare/cccccccccccc...aaaaaaaaaaaa`,
    commits: [],
    head_commit: null,
    repository: { id: 186853002, node_id: "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", name: REPO, full_name: `${OWNER}/${REPO}`, private: false, owner: { login: OWNER, id: 21031067, type: "User" }, default_branch: "main" },
    pusher: { name: OWNER, email: "21031067+Codertocat@users.noreply.github.com" },
    installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3" },
    sender: { login: OWNER, id: 21031067, type: "User" },
  };
}

function signature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function postWebhook(base: string, body: string, sig: string): Promise<Response> {
  return fetch(`${base}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "x-hub-signature-256": sig },
    body,
  });
}

describe("Probot's HTTP server with Shipshape loaded", () => {
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  let running: Running | undefined;
  let log: CallLog;

  beforeEach(() => {
    nock.disableNetConnect();
    // The test's own requests to the server on loopback are real; GitHub stays mocked.
    nock.enableNetConnect((host: string) => host === "127.0.0.1" || host.startsWith("127.0.0.1:"));
    log = new CallLog();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    log.stop();
    nock.cleanAll();
    nock.enableNetConnect();
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  });

  const FULL_ENV = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET };

  it("answers 400 to a push with a wrong signature, and calls GitHub not at all", async () => {
    running = await startServer(FULL_ENV);
    const github = log.watch(nock(API));
    const body = JSON.stringify(pushPayload());

    const response = await postWebhook(running.base, body, signature(body, "not-the-secret"));
    await running.queue.idle();

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Error: [@octokit/webhooks] signature does not match event payload and secret" });
    expect(log.calls).toEqual([]);
    expect(log.unmatched).toEqual([]);
    expect(github.pendingMocks()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const messages = running.logs.map((line) => (JSON.parse(line) as { msg?: string }).msg);
    expect(messages).not.toContain("scan finished");
    expect(messages).not.toContain("scan failed");
    expect(secretsIn(running.logs)).toEqual([]);
    expect(running.logs.join("\n")).not.toContain(SECRET);
  });

  it("answers 200 to a correctly signed push to the default branch, and the scan runs", async () => {
    running = await startServer(FULL_ENV);
    const github = log.watch(nock(API));
    await mockFullRead(github, { fixtureDir: join(FIXTURES, "repo"), config: "rules:\n  privilege-escalation-allowed: off\n", log });
    const heads: string[] = [];
    github
      .get(`${repoPath}/pulls`).query({ state: "open", per_page: 100 }).reply(200, [])
      .get(`${repoPath}/pulls`).query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 }).reply(200, [])
      .post(`${repoPath}/git/trees`).reply(201, { sha: "t1".padEnd(40, "0") })
      .post(`${repoPath}/git/commits`).reply(201, { sha: "c1".padEnd(40, "0") })
      .post(`${repoPath}/git/refs`).reply(201, {})
      .post(`${repoPath}/pulls`, (pull: { head: string }) => heads.push(pull.head) > 0).reply(201, { number: 11 })
      .post(`${repoPath}/issues/11/labels`).reply(200, []);
    mockDashboardCreate(github);
    const body = JSON.stringify(pushPayload());

    const response = await postWebhook(running.base, body, signature(body, SECRET));
    await running.queue.idle();

    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
    expect(log.calls).toEqual([
      ...FULL_READ_CALLS,
      `GET ${repoPath}/pulls?state=open&per_page=100`,
      `GET ${repoPath}/pulls?state=closed&sort=updated&direction=desc&per_page=100`,
      `POST ${repoPath}/git/trees`,
      `POST ${repoPath}/git/commits`,
      `POST ${repoPath}/git/refs`,
      `POST ${repoPath}/pulls`,
      `POST ${repoPath}/issues/11/labels`,
      `POST ${repoPath}/issues`,
    ]);
    expect(heads).toEqual(["shipshape/liveness-probe-missing"]);
    expect(github.pendingMocks()).toEqual([]);
    expect(log.unmatched).toEqual([]);
    const reports = running.logs.map((line) => JSON.parse(line) as { msg?: string; report?: unknown }).filter((entry) => entry.msg === "scan finished");
    expect(reports).toMatchObject([{ report: { repository: `${OWNER}/${REPO}`, pullRequests: { "shipshape/liveness-probe-missing": "opened" } } }]);
    expect(secretsIn(running.logs)).toEqual([]);
    expect(running.logs.join("\n")).not.toContain(SECRET);
  });

  it("serves GET /healthz and, with APP_ID, PRIVATE_KEY and WEBHOOK_SECRET set, GET /readyz as 200 JSON", async () => {
    running = await startServer(FULL_ENV);

    const health = await fetch(`${running.base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await health.json()).toEqual({ status: "ok" });

    const ready = await fetch(`${running.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await ready.json()).toEqual({ status: "ready", checks: { app: true, privateKey: true, webhookSecret: true } });
    expect(log.unmatched).toEqual([]);
  });

  it("answers GET /readyz with 503 when the environment lacks the webhook secret", async () => {
    running = await startServer({ APP_ID: "1", PRIVATE_KEY: privateKey });

    const ready = await fetch(`${running.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "not ready", checks: { app: true, privateKey: true, webhookSecret: false } });
    expect((await fetch(`${running.base}/healthz`)).status).toBe(200);
  });
});
