import { createHmac, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import nock from "nock";
import { afterEach, beforeEach, expect } from "vitest";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { pack } from "tar-stream";
import { createShipshapeApp } from "../../src/app/index.js";
import { ScanQueue } from "../../src/app/queue.js";
import type { RegistryClientOptions } from "../../src/registry/types.js";

export const API = "https://api.github.com";
export const SECRET = "webhook-secret-for-tests";
export const INSTALLATION = 957387;
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const BASE_SHA = "a".repeat(40);
export const TREE_SHA = "b".repeat(40);
export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "app");

const require = createRequire(import.meta.url);

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

export interface TestApp {
  probot: Probot;
  queue: ScanQueue;
  /** Sends a signed webhook through Probot's verification and waits for the scans it queued. */
  deliver(name: string, payload: object): Promise<void>;
  logs: string[];
}

/**
 * The app as the server runs it (every handler createShipshapeApp registers). `registry` defaults to offline:
 * scans find unpinned images, and their pins are skipped as needing the network.
 */
export async function startApp(registry: RegistryClientOptions = { offline: true }, options: { appId?: number } = {}): Promise<TestApp> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const queue = new ScanQueue(log);
  const probot = new Probot({
    appId: options.appId ?? 1,
    privateKey,
    secret: SECRET,
    log,
    // Exact call lists: no automatic retries, and no spacing of writes (Probot sets its own throttle options, so override last).
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load(createShipshapeApp({ queue, registry, schedule: "off" }), { cwd: process.cwd(), addHandler: () => {} });
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
  archive.on("data", (chunk: unknown) => void chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => archive.on("end", () => resolve()));
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

export interface RepositoryReadOptions {
  fixtureDir: string;
  /** The text of .github/shipshape.yml, as the contents API returns it with the raw media type. */
  config?: string;
  /** The default branch's head: BASE_SHA and TREE_SHA unless the branch has moved on. */
  head?: { sha: string; treeSha: string };
  /** False when the app already holds an installation token (Probot caches it across events). */
  token?: boolean;
  /** Holds the answer to the scan's first call about the repository until this resolves. */
  hold?: () => Promise<void>;
}

/** The calls every scan makes before it looks at pull requests. */
export async function mockRepositoryRead(scope: nock.Scope, options: RepositoryReadOptions): Promise<void> {
  const tarball = await tarballOf(options.fixtureDir);
  const head = options.head ?? { sha: BASE_SHA, treeSha: TREE_SHA };
  if (options.token !== false) {
    scope
      .post(`/app/installations/${INSTALLATION}/access_tokens`)
      .reply(201, { token: "ghs_installationtokenfortests", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
  }
  const details = { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main", archived: false, disabled: false };
  const hold = options.hold;
  scope
    .get(`/repos/${OWNER}/${REPO}`)
    .reply(hold ? async () => (await hold(), [200, details]) : () => [200, details])
    .get(`/repos/${OWNER}/${REPO}/branches/main`)
    .reply(200, { name: "main", commit: { sha: head.sha, commit: { tree: { sha: head.treeSha } } } })
    .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fshipshape.yml`)
    .query({ ref: head.sha })
    .reply(
      options.config === undefined ? 404 : 200,
      options.config === undefined ? { message: "Not Found" } : options.config,
      options.config === undefined ? {} : { "content-type": "text/plain; charset=utf-8" },
    );
  // With no config of its own, Probot's config plugin looks for the organisation's defaults in its .github repository.
  if (options.config === undefined) scope.get(`/repos/${OWNER}/.github/contents/.github%2Fshipshape.yml`).reply(404, { message: "Not Found" });
  scope
    .get(`/repos/${OWNER}/${REPO}/tarball/${head.sha}`)
    .reply(302, "", { location: `https://codeload.github.com/${OWNER}/${REPO}/legacy.tar.gz/${head.sha}` });
  nock("https://codeload.github.com").get(`/${OWNER}/${REPO}/legacy.tar.gz/${head.sha}`).reply(200, tarball, { "content-type": "application/x-gzip" });
}

/** The read calls of mockRepositoryRead, as recordCalls lists them. */
export function repositoryReadCalls(options: { config?: boolean; head?: string; token?: boolean } = {}): Call[] {
  const head = options.head ?? BASE_SHA;
  return [
    ...(options.token === false ? [] : [[`POST /app/installations/${INSTALLATION}/access_tokens`, undefined] as Call]),
    [`GET /repos/${OWNER}/${REPO}`, undefined],
    [`GET /repos/${OWNER}/${REPO}/branches/main`, undefined],
    [`GET /repos/${OWNER}/${REPO}/contents/.github%2Fshipshape.yml?ref=${head}`, undefined],
    ...(options.config ? [] : [[`GET /repos/${OWNER}/.github/contents/.github%2Fshipshape.yml`, undefined] as Call]),
    [`GET /repos/${OWNER}/${REPO}/tarball/${head}`, undefined],
  ];
}

/** One request: "METHOD /path?query" and its JSON body (undefined when it had none). */
export type Call = [string, unknown];

/** Every request the scope answers, in the order they were made, with their bodies. */
export function recordCalls(scope: nock.Scope): Call[] {
  const calls: Call[] = [];
  scope.on("request", (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
    calls.push([`${req.method} ${req.path}`, body ? JSON.parse(body) : undefined]);
  });
  return calls;
}

/** Requests nock had no interceptor for (each one also fails the scan that made it): start before delivering, stop after. */
export function watchUnmatched(): { requests: string[]; stop(): void } {
  const requests: string[] = [];
  const listener = (req: { method?: string; path?: string; host?: string; hostname?: string }) => void requests.push(`${req.method ?? "?"} ${req.hostname ?? req.host ?? ""}${req.path ?? ""}`);
  nock.emitter.on("no match", listener);
  return { requests, stop: () => void nock.emitter.removeListener("no match", listener) };
}

/** The report of every scan that finished, in order, and the errors logged (a failed scan among them). */
export function scanReports(app: TestApp): unknown[] {
  return app.logs.map((line) => JSON.parse(line) as { msg?: string; report?: unknown }).filter((entry) => entry.msg === "scan finished").map((entry) => entry.report);
}

export function errorLogs(app: TestApp): string[] {
  return app.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
}

/** Mocks the two listings a scan makes of pull requests: the open ones, then the 100 most recently updated closed ones. */
export function mockPullRequestListings(scope: nock.Scope, pulls: { open?: object[]; closed?: object[] } = {}): void {
  scope
    .get(`/repos/${OWNER}/${REPO}/pulls`)
    .query({ state: "open", per_page: 100 })
    .reply(200, pulls.open ?? [])
    .get(`/repos/${OWNER}/${REPO}/pulls`)
    .query({ state: "closed", sort: "updated", direction: "desc", per_page: 100 })
    .reply(200, pulls.closed ?? []);
}

/**
 * Answers the writes that open one pull request, in order: the tree, the commit, the branch, the pull request and
 * its labels. `record`, when given, is shown each request's body under its name (tree, commit, ref, pull, labels).
 */
export function mockPullRequestCreation(
  scope: nock.Scope,
  pull: { tree: string; commit: string; number: number },
  record?: (name: string) => (body: unknown) => boolean,
): void {
  const repoPath = `/repos/${OWNER}/${REPO}`;
  const body = (name: string) => record?.(name) ?? (() => true);
  scope
    .post(`${repoPath}/git/trees`, body("tree"))
    .reply(201, { sha: pull.tree })
    .post(`${repoPath}/git/commits`, body("commit"))
    .reply(201, { sha: pull.commit })
    .post(`${repoPath}/git/refs`, body("ref"))
    .reply(201, {})
    .post(`${repoPath}/pulls`, body("pull"))
    .reply(201, { number: pull.number })
    .post(`${repoPath}/issues/${pull.number}/labels`, body("labels"))
    .reply(200, []);
}

export const PULL_LISTING_CALLS: Call[] = [
  [`GET /repos/${OWNER}/${REPO}/pulls?state=open&per_page=100`, undefined],
  [`GET /repos/${OWNER}/${REPO}/pulls?state=closed&sort=updated&direction=desc&per_page=100`, undefined],
];

/** The app's bot account, as GitHub shows it on what the app made. */
export const BOT = { login: "shipshape[bot]", id: 158329944, node_id: "BOT_kgDOCW_nWA", type: "Bot", site_admin: false };
/** A person. */
export const PERSON = { login: "octocat", id: 583231, node_id: "MDQ6VXNlcjU4MzIzMQ==", type: "User", site_admin: false };

const repositoryJson = { id: 186853002, node_id: "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", name: REPO, full_name: `${OWNER}/${REPO}`, private: false, owner: { login: OWNER, id: 21031067, type: "User" }, default_branch: "main" };

export interface PullRequestFields {
  number: number;
  /** The head branch, `shipshape/<rule>` for Shipshape's. */
  branch: string;
  body: string | null;
  title?: string;
  headSha?: string;
  user?: object;
  createdAt?: string;
  /** For a closed pull request: when it was closed and, if it was, merged. */
  closedAt?: string;
  mergedAt?: string | null;
  draft?: boolean;
}

/** A pull request as GitHub's pulls listing returns it (the fields that matter, in their real shape). */
export function pullRequestJson(fields: PullRequestFields): object {
  const closed = fields.closedAt !== undefined;
  const user = (fields.user ?? BOT) as { type?: string };
  const createdAt = fields.createdAt ?? "2024-05-01T09:00:00Z";
  return {
    url: `${API}/repos/${OWNER}/${REPO}/pulls/${fields.number}`,
    id: 1800000000 + fields.number,
    node_id: `PR_kwDOCyNiCs5rQ${fields.number}`,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${fields.number}`,
    number: fields.number,
    state: closed ? "closed" : "open",
    locked: false,
    title: fields.title ?? `Pull request ${fields.number}`,
    user,
    body: fields.body,
    labels: [{ id: 7000000001, name: "shipshape", color: "0e8a16", default: false }],
    created_at: createdAt,
    updated_at: fields.closedAt ?? createdAt,
    closed_at: fields.closedAt ?? null,
    merged_at: fields.mergedAt ?? null,
    merge_commit_sha: fields.mergedAt ? "9".repeat(40) : null,
    draft: fields.draft ?? false,
    head: { label: `${OWNER}:${fields.branch}`, ref: fields.branch, sha: fields.headSha ?? "e".repeat(40), user: repositoryJson.owner, repo: repositoryJson },
    base: { label: `${OWNER}:main`, ref: "main", sha: BASE_SHA, user: repositoryJson.owner, repo: repositoryJson },
    author_association: user.type === "Bot" ? "NONE" : "MEMBER",
    auto_merge: null,
  };
}

/** GitHub's answer to GET compare/{base}...{head}: the head branch's commits that the base does not have, oldest first. */
export function comparisonJson(commits: { sha: string; author: { login: string; type: string } | null; message: string }[]): object {
  return {
    status: "diverged",
    ahead_by: commits.length,
    behind_by: 1,
    total_commits: commits.length,
    commits: commits.map((commit) => ({
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 12)}`,
      commit: {
        author: { name: commit.author?.login ?? "Someone", email: "someone@example.com", date: "2024-05-02T10:00:00Z" },
        committer: { name: "GitHub", email: "noreply@github.com", date: "2024-05-02T10:00:00Z" },
        message: commit.message,
      },
      author: commit.author,
      committer: { login: "web-flow", type: "User" },
      parents: [],
    })),
    files: [],
  };
}

/** A push webhook (GitHub's own example, moved to this repository) as an app installation receives it. */
export function pushEvent(fields: { ref: string; before: string; after: string; deleted?: boolean }): object {
  const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
  const all = examples.find((entry) => entry.name === "push")?.examples ?? [];
  const example = fields.deleted ? all.find((push) => push.deleted === true && push.installation) : all.find((push) => push.deleted === false && String(push.ref).startsWith("refs/heads/") && push.installation);
  if (!example) throw new Error("no such push example in @octokit/webhooks-examples");
  const payload = structuredClone(example) as Record<string, unknown> & { repository: Record<string, unknown> };
  payload.ref = fields.ref;
  payload.before = fields.before;
  payload.after = fields.after;
  payload.compare = `https://github.com/${OWNER}/${REPO}/compare/${fields.before.slice(0, 12)}...${fields.after.slice(0, 12)}`;
  payload.repository = { ...payload.repository, name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main", master_branch: "main" };
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3" };
  if (!fields.deleted) {
    const commit = { ...(payload.head_commit as Record<string, unknown>), id: fields.after };
    payload.head_commit = commit;
    payload.commits = [commit];
    payload.created = false;
  }
  return payload;
}

export function installationCreated(): object {
  return {
    action: "created",
    installation: { id: INSTALLATION, account: { login: OWNER, id: 21031067, type: "User" } },
    repositories: [{ id: 186853002, node_id: "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", name: REPO, full_name: `${OWNER}/${REPO}`, private: false }],
    sender: { login: OWNER, id: 21031067, type: "User" },
  };
}

/** A fresh app and GitHub mock per test: what the end-to-end test files share. */
export interface AppSession {
  app: TestApp;
  github: nock.Scope;
  /** Every request GitHub got, in order, with its body. */
  calls: Call[];
  unmatched: ReturnType<typeof watchUnmatched>;
  /** Every mocked call was made, no other call was attempted and no scan failed. */
  expectAllAnswered(): void;
}

/** Registers the beforeEach/afterEach of an AppSession; the object it returns is filled in anew for every test. */
export function useAppSession(start: () => Promise<TestApp> = () => startApp()): AppSession {
  const session = {
    expectAllAnswered() {
      expect(session.unmatched.requests).toEqual([]);
      expect(errorLogs(session.app)).toEqual([]);
      expect(session.github.pendingMocks()).toEqual([]);
    },
  } as AppSession;
  beforeEach(async () => {
    nock.disableNetConnect();
    session.app = await start();
    session.github = nock(API);
    session.calls = recordCalls(session.github);
    session.unmatched = watchUnmatched();
  });
  afterEach(() => {
    session.unmatched.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return session;
}
