import { createHmac, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { pack } from "tar-stream";
import { createShipshapeApp } from "../../src/app/index.js";
import { ScanQueue } from "../../src/app/queue.js";

export const API = "https://api.github.com";
export const SECRET = "webhook-secret-for-tests";
export const INSTALLATION = 957387;
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const BASE_SHA = "a".repeat(40);
export const TREE_SHA = "b".repeat(40);
export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "app");

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

export interface TestApp {
  probot: Probot;
  queue: ScanQueue;
  /** Sends a signed webhook through Probot's verification and waits for the scans it queued. */
  deliver(name: string, payload: object): Promise<void>;
  logs: string[];
}

export async function startApp(): Promise<TestApp> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const queue = new ScanQueue(log);
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: SECRET,
    log,
    // Exact call lists: no automatic retries, and no spacing of writes (Probot sets its own throttle options, so override last).
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load(createShipshapeApp({ queue }), { cwd: process.cwd(), addHandler: () => {} });
  return {
    probot,
    queue,
    logs,
    async deliver(name, payload) {
      const body = JSON.stringify(payload);
      await probot.webhooks.verifyAndReceive({ id: `delivery-${name}`, name: name as never, payload: body, signature: sign(body) });
      await queue.idle();
    },
  };
}

export function sign(body: string): string {
  return `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
}

/** A GitHub-style tarball (one top folder) of a fixture folder. */
export async function tarballOf(dir: string): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => archive.on("end", resolve));
  for (const file of walk(dir)) {
    const content = readFileSync(file);
    archive.entry({ name: `${OWNER}-${REPO}-${BASE_SHA.slice(0, 7)}/${relative(dir, file).split("\\").join("/")}`, size: content.length, mode: 0o644 }, content);
  }
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

/** The calls every scan makes before it looks at pull requests. */
export async function mockRepositoryRead(scope: nock.Scope, options: { fixtureDir: string; config?: string }): Promise<void> {
  const tarball = await tarballOf(options.fixtureDir);
  scope
    .post(`/app/installations/${INSTALLATION}/access_tokens`)
    .reply(201, { token: "ghs_installationtokenfortests", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" })
    .get(`/repos/${OWNER}/${REPO}`)
    .reply(200, { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main", archived: false, disabled: false })
    .get(`/repos/${OWNER}/${REPO}/branches/main`)
    .reply(200, { name: "main", commit: { sha: BASE_SHA, commit: { tree: { sha: TREE_SHA } } } })
    .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fshipshape.yml`)
    .reply(options.config === undefined ? 404 : 200, options.config === undefined ? { message: "Not Found" } : options.config);
  // With no config of its own, Probot's config plugin looks for the organisation's defaults in its .github repository.
  if (options.config === undefined) scope.get(`/repos/${OWNER}/.github/contents/.github%2Fshipshape.yml`).reply(404, { message: "Not Found" });
  scope
    .get(`/repos/${OWNER}/${REPO}/tarball/${BASE_SHA}`)
    .reply(302, "", { location: `https://codeload.github.com/${OWNER}/${REPO}/legacy.tar.gz/${BASE_SHA}` });
  nock("https://codeload.github.com").get(`/${OWNER}/${REPO}/legacy.tar.gz/${BASE_SHA}`).reply(200, tarball, { "content-type": "application/x-gzip" });
}

export function installationCreated(): object {
  return {
    action: "created",
    installation: { id: INSTALLATION, account: { login: OWNER, id: 21031067, type: "User" } },
    repositories: [{ id: 186853002, node_id: "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", name: REPO, full_name: `${OWNER}/${REPO}`, private: false }],
    sender: { login: OWNER, id: 21031067, type: "User" },
  };
}
