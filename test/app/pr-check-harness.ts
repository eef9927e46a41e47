import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createTwoFilesPatch } from "diff";
import nock from "nock";
import { pack } from "tar-stream";
import { INSTALLATION, OWNER, REPO, startApp, type Call, type TestApp } from "./harness.js";

const require = createRequire(import.meta.url);

export const APP_ID = 1;
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const CHECKS_FIXTURES = join(import.meta.dirname, "..", "fixtures", "checks");
/** The shas of GitHub's own pull_request examples: the head of pull request 2 and its base branch. */
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const CHECK_RUN_ID = 4242;

/** Files by path. */
export type Tree = Record<string, string>;

/** The app as the server runs it, with the app id the check runs' payloads name. */
export const startCheckApp = (): Promise<TestApp> => startApp({ offline: true }, { appId: APP_ID });

function examples(name: string): Record<string, unknown>[] {
  const all = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
  return all.find((entry) => entry.name === name)?.examples ?? [];
}

/** GitHub's own pull_request example for the action, sent to this app's installation; `fork` moves the head to a fork. */
export function pullRequestEvent(action: "opened" | "synchronize" | "reopened", options: { fork?: boolean } = {}): Record<string, unknown> {
  const example = examples("pull_request").find((payload) => payload.action === action && payload.installation);
  if (!example) throw new Error(`no pull_request.${action} example in @octokit/webhooks-examples`);
  const payload = structuredClone(example) as Record<string, unknown> & { pull_request: { head: { repo: Record<string, unknown>; label: string } } };
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3" };
  if (options.fork) {
    const head = payload.pull_request.head;
    head.repo = { ...head.repo, id: 186853999, name: REPO, full_name: `octocat/${REPO}`, fork: true, owner: { ...(head.repo.owner as object), login: "octocat", id: 583231 } };
    head.label = "octocat:changes";
  }
  return payload;
}

/** GitHub's own check_run.rerequested example, for a check run of `app` named `name` on the pull request's head. */
export function checkRunRerequested(options: { appId: number; name: string; pullRequests?: boolean; externalId?: string }): Record<string, unknown> {
  const example = examples("check_run").find((payload) => payload.action === "rerequested" && payload.installation);
  if (!example) throw new Error("no check_run.rerequested example in @octokit/webhooks-examples");
  const payload = structuredClone(example) as Record<string, unknown> & { check_run: Record<string, unknown> & { app: Record<string, unknown> } };
  const pullRequests =
    options.pullRequests === false
      ? []
      : [
          {
            url: `https://api.github.com${REPO_PATH}/pulls/2`,
            id: 279147437,
            number: 2,
            head: { ref: "changes", sha: HEAD_SHA, repo: { id: 186853002, url: `https://api.github.com${REPO_PATH}`, name: REPO } },
            base: { ref: "master", sha: BASE_SHA, repo: { id: 186853002, url: `https://api.github.com${REPO_PATH}`, name: REPO } },
          },
        ];
  payload.check_run = { ...payload.check_run, name: options.name, head_sha: HEAD_SHA, external_id: options.externalId ?? "2", app: { ...payload.check_run.app, id: options.appId }, pull_requests: pullRequests };
  payload.repository = { ...(examples("pull_request")[0]?.repository as object) };
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3" };
  return payload;
}

/** The files of a fixture folder. */
export { readTree as treeOf } from "../pins/helpers.js";

/** A GitHub-style tarball (one top folder) of files. */
export async function tarballOfTree(tree: Tree, sha: string): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: unknown) => void chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => archive.on("end", () => resolve()));
  for (const path of Object.keys(tree).sort()) {
    const content = Buffer.from(tree[path] as string);
    archive.entry({ name: `${OWNER}-${REPO}-${sha.slice(0, 7)}/${path}`, size: content.length, mode: 0o644 }, content);
  }
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export function mockToken(scope: nock.Scope): void {
  scope.post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: "ghs_installationtokenfortests", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
}

/** GET tarball/{sha}: GitHub's redirect to codeload, and codeload's gzipped tar (or whatever bytes are given). */
export async function mockTarball(scope: nock.Scope, sha: string, content: Tree | Buffer): Promise<void> {
  const bytes = Buffer.isBuffer(content) ? content : await tarballOfTree(content, sha);
  scope.get(`${REPO_PATH}/tarball/${sha}`).reply(302, "", { location: `https://codeload.github.com/${OWNER}/${REPO}/legacy.tar.gz/${sha}` });
  nock("https://codeload.github.com").get(`/${OWNER}/${REPO}/legacy.tar.gz/${sha}`).reply(200, bytes, { "content-type": "application/x-gzip" });
}

export interface CheckReadOptions {
  base: Tree | Buffer;
  head: Tree | Buffer;
  /** The text of .github/shipshape.yml on the base branch, if it has one. */
  config?: string;
  /** What compare answers as the merge base (default: the base branch's commit). */
  mergeBase?: string;
}

/** Every call of a check before it completes its check run: token, check run, config, compare, both tarballs. */
export async function mockCheckRead(scope: nock.Scope, options: CheckReadOptions): Promise<void> {
  const mergeBase = options.mergeBase ?? BASE_SHA;
  mockToken(scope);
  scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID, name: "Shipshape", head_sha: HEAD_SHA, status: "in_progress" });
  scope
    .get(`${REPO_PATH}/contents/.github%2Fshipshape.yml`)
    .query({ ref: BASE_SHA })
    .reply(options.config === undefined ? 404 : 200, options.config ?? { message: "Not Found" }, options.config === undefined ? {} : { "content-type": "text/plain; charset=utf-8" });
  if (options.config === undefined) scope.get(`/repos/${OWNER}/.github/contents/.github%2Fshipshape.yml`).reply(404, { message: "Not Found" });
  scope.get(`${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`).query({ per_page: 1 }).reply(200, { status: "ahead", merge_base_commit: { sha: mergeBase }, commits: [], files: [] });
  await mockTarball(scope, mergeBase, options.base);
  await mockTarball(scope, HEAD_SHA, options.head);
}

/** The calls of mockCheckRead, as recordCalls lists them, with the check run's creation. */
export function checkReadCalls(options: { config?: boolean; mergeBase?: string } = {}): Call[] {
  return [
    [`POST /app/installations/${INSTALLATION}/access_tokens`, undefined],
    [`POST ${REPO_PATH}/check-runs`, { name: "Shipshape", head_sha: HEAD_SHA, status: "in_progress", external_id: "2" }],
    [`GET ${REPO_PATH}/contents/.github%2Fshipshape.yml?ref=${BASE_SHA}`, undefined],
    ...(options.config ? [] : [[`GET /repos/${OWNER}/.github/contents/.github%2Fshipshape.yml`, undefined] as Call]),
    [`GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}?per_page=1`, undefined],
    [`GET ${REPO_PATH}/tarball/${options.mergeBase ?? BASE_SHA}`, undefined],
    [`GET ${REPO_PATH}/tarball/${HEAD_SHA}`, undefined],
  ];
}

/** A pull request file as GET /pulls/{n}/files lists it, with the patch GitHub computes between the two texts. */
export function pullRequestFile(path: string, before: string | undefined, after: string): object {
  const full = createTwoFilesPatch(`a/${path}`, `b/${path}`, before ?? "", after, "", "", { context: 3 });
  const patch = full.slice(full.indexOf("@@")).replace(/\n$/, "");
  const additions = patch.split("\n").filter((line) => line.startsWith("+")).length;
  const deletions = patch.split("\n").filter((line) => line.startsWith("-")).length;
  return {
    sha: "9".repeat(40),
    filename: path,
    status: before === undefined ? "added" : "modified",
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/${path}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/${HEAD_SHA}/${path}`,
    contents_url: `https://api.github.com${REPO_PATH}/contents/${path}?ref=${HEAD_SHA}`,
    patch,
  };
}

/** 60 Deployments, each with one container that lacks one probe: a readiness probe (high) for odd ones, a liveness probe (medium) for even ones. */
export function sixtyWorkers(): { text: string; lines: number[] } {
  const documents: string[] = [];
  const lines: number[] = [];
  let line = 1;
  for (let index = 1; index <= 60; index++) {
    const name = `worker-${String(index).padStart(2, "0")}`;
    const probe = index % 2 === 1 ? "livenessProbe" : "readinessProbe";
    const document = [
      "---",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      `  name: ${name}`,
      "  namespace: batch",
      "spec:",
      "  selector:",
      "    matchLabels:",
      `      app: ${name}`,
      "  template:",
      "    metadata:",
      "      labels:",
      `        app: ${name}`,
      "    spec:",
      "      securityContext:",
      "        runAsNonRoot: true",
      "      containers:",
      "        - name: worker",
      "          image: ghcr.io/acme/worker:3.1.0@sha256:6bcd3f1e0a7f6b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c",
      "          ports:",
      "            - name: http",
      "              containerPort: 8080",
      `          ${probe}:`,
      "            tcpSocket:",
      "              port: http",
      "          resources:",
      "            requests:",
      "              cpu: 100m",
      "              memory: 128Mi",
      "            limits:",
      "              memory: 256Mi",
      "          securityContext:",
      "            allowPrivilegeEscalation: false",
    ];
    lines.push(line + document.indexOf("        - name: worker"));
    line += document.length;
    documents.push(document.join("\n"));
  }
  return { text: `${documents.join("\n")}\n`, lines };
}
