import { createHash } from "node:crypto";
import type { ImageReference } from "../images/reference.js";
import { createAuthenticator, type Authenticator } from "./auth.js";
import { createCredentialFinder } from "./credentials.js";
import { allowsPlainHttp, createDefaultTransport, describeStatus, isRetryableStatus, type HttpOutcome, type Transport } from "./transport.js";
import type { DigestResult, RegistryClient, RegistryClientOptions, TagListResult } from "./types.js";

export type { DigestResult, RegistryClient, RegistryClientOptions, RegistryCredential, RegistryStats, TagListResult } from "./types.js";

/** Every manifest type a tag may point to; distribution answers 404 for OCI manifests unless all four are listed. */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
] as const;

const ACCEPT = MANIFEST_MEDIA_TYPES.join(", ");
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Where the registry API of a registry named in an image reference lives. */
export function apiHost(registry: string): string {
  return registry === "docker.io" ? "registry-1.docker.io" : registry;
}

/** The image as people write it: "nginx:1.25" for Docker Hub's library, "ghcr.io/acme/web:1.4" elsewhere. */
export function displayImage(registry: string, repository: string, tag: string): string {
  if (registry !== "docker.io") return `${registry}/${repository}:${tag}`;
  return `${repository.startsWith("library/") ? repository.slice("library/".length) : repository}:${tag}`;
}

/**
 * A registry client for one run: resolves tags to manifest digests over the registry HTTP API (HEAD, then GET
 * when the registry does not send `Docker-Content-Digest`), with token and Basic auth, retries, a per-registry
 * concurrency limit and one look-up per distinct reference.
 */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const env = options.env ?? process.env;
  const insecureRegistries = options.insecureRegistries ?? [];
  const transport = createDefaultTransport({ ...options, insecureRegistries });
  const findCredential = createCredentialFinder({
    credentials: options.credentials,
    githubToken: options.githubToken,
    env,
    dockerConfigPath: options.dockerConfigPath,
    log: options.log,
  });
  const authenticator = createAuthenticator(transport, findCredential);
  const results = new Map<string, Promise<DigestResult>>();
  let lookups = 0;
  let cacheHits = 0;

  function resolveDigest(reference: ImageReference): Promise<DigestResult> {
    if (reference.tag === undefined && reference.digest !== undefined) return Promise.resolve({ ok: true, digest: reference.digest });
    const tag = reference.tag ?? "latest";
    const image = displayImage(reference.registry, reference.repository, tag);
    if (options.offline) {
      return Promise.resolve({ ok: false, reason: `${image}: looking up the digest needs the network, and Shipshape is offline`, retryable: false, needsNetwork: true });
    }
    const key = `${reference.registry}/${reference.repository}:${tag}`;
    const known = results.get(key);
    if (known) {
      cacheHits += 1;
      return known;
    }
    lookups += 1;
    const result = lookUp({ transport, authenticator, insecureRegistries }, reference.registry, reference.repository, tag).then(
      (answer): DigestResult => (answer.ok ? answer : { ...answer, reason: `${image}: ${answer.reason}` }),
      (error: unknown): DigestResult => ({ ok: false, reason: `${image}: the look-up failed unexpectedly (${(error as Error)?.name ?? "error"})`, retryable: true }),
    );
    results.set(key, result);
    return result;
  }

  function listTags(registry: string, repository: string): Promise<TagListResult> {
    const name = `${registry}/${repository}`;
    if (options.offline) {
      return Promise.resolve({ ok: false, reason: `${name}: listing tags needs the network, and Shipshape is offline`, retryable: false, needsNetwork: true });
    }
    lookups += 1;
    return listAllTags({ transport, authenticator, insecureRegistries }, registry, repository).then(
      (answer): TagListResult => (answer.ok ? answer : { ...answer, reason: `${name}: ${answer.reason}` }),
      (error: unknown): TagListResult => ({ ok: false, reason: `${name}: listing tags failed unexpectedly (${(error as Error)?.name ?? "error"})`, retryable: true }),
    );
  }

  function stats(): ReturnType<RegistryClient["stats"]> {
    const requestsByRegistry = transport.requestsByRegistry();
    const requests = Object.values(requestsByRegistry).reduce((sum, count) => sum + count, 0);
    return { requestsByRegistry, requests, lookups, cacheHits };
  }

  return { resolveDigest, listTags, stats };
}

interface LookUpContext {
  transport: Transport;
  authenticator: Authenticator;
  insecureRegistries: readonly string[];
}

type Failure = { ok: false; reason: string; retryable: boolean };

/** The digest `tag` points to; failure reasons leave out the image, which the caller puts first. */
async function lookUp(context: LookUpContext, registry: string, repository: string, tag: string): Promise<DigestResult> {
  const host = apiHost(registry);
  const scheme = allowsPlainHttp(host, context.insecureRegistries) ? "http" : "https";
  const url = `${scheme}://${host}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
  const scope = `repository:${repository}:pull`;

  const head = await authorizedRequest(context, registry, scope, url, "HEAD");
  if (!("kind" in head)) return head;
  if (head.kind === "failed") return { ok: false, reason: head.reason, retryable: head.retryable };
  if (head.status === 200) {
    const digest = head.headers.get("docker-content-digest")?.trim();
    if (digest && DIGEST.test(digest) && (!digest.startsWith("sha256:") || SHA256_DIGEST.test(digest))) {
      return withMediaType({ ok: true, digest }, head.headers);
    }
  } else if (head.status !== 405) {
    return statusFailure(head);
  }

  // No usable Docker-Content-Digest (or no HEAD support): the digest is the hash of the manifest's bytes.
  const get = await authorizedRequest(context, registry, scope, url, "GET");
  if (!("kind" in get)) return get;
  if (get.kind === "failed") return { ok: false, reason: get.reason, retryable: get.retryable };
  if (get.status !== 200) return statusFailure(get);
  if (get.body.byteLength === 0) return { ok: false, reason: "the registry sent an empty manifest", retryable: false };
  const digest = `sha256:${createHash("sha256").update(get.body).digest("hex")}`;
  return withMediaType({ ok: true, digest }, get.headers);
}

/** Pages of a tag list one registry answer may link to; more means a loop. */
const MAX_TAG_PAGES = 1000;

/** Every tag, following `Link: <…>; rel="next"` (OCI distribution spec, "Listing Tags"); reasons leave out the repository. */
async function listAllTags(context: LookUpContext, registry: string, repository: string): Promise<TagListResult> {
  const host = apiHost(registry);
  const scheme = allowsPlainHttp(host, context.insecureRegistries) ? "http" : "https";
  const first = new URL(`${scheme}://${host}/v2/${repository}/tags/list`);
  const scope = `repository:${repository}:pull`;
  const tags: string[] = [];
  const seen = new Set<string>();
  for (let url: URL | undefined = first; url !== undefined; ) {
    if (seen.has(url.href) || seen.size === MAX_TAG_PAGES) return { ok: false, reason: `the registry's tag list did not end after ${seen.size} pages`, retryable: false };
    seen.add(url.href);
    const page = await authorizedRequest(context, registry, scope, url.href, "GET", "application/json");
    if (!("kind" in page)) return page;
    if (page.kind === "failed") return { ok: false, reason: page.reason, retryable: page.retryable };
    if (page.status !== 200) {
      const status = page.status === 404 ? "404 (no such repository)" : describeStatus(page.status);
      const tries = isRetryableStatus(page.status) && page.attempts > 1 ? ` on all ${page.attempts} attempts; giving up` : "";
      return { ok: false, reason: `the registry answered ${status} to the tag list${tries}`, retryable: isRetryableStatus(page.status) };
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(page.body));
    } catch {
      return { ok: false, reason: "the registry answered the tag list with something other than JSON", retryable: false };
    }
    const listed = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["tags"] : undefined;
    if (listed !== null && listed !== undefined && (!Array.isArray(listed) || listed.some((tag) => typeof tag !== "string"))) {
      return { ok: false, reason: "the registry's tag list has no list of tag names", retryable: false };
    }
    tags.push(...((listed ?? []) as string[]));
    const next = nextLink(page.headers.get("link"));
    if (next === undefined) break;
    url = new URL(next, url);
    if (url.origin !== first.origin) return { ok: false, reason: `the registry's tag list links to another host (${url.host})`, retryable: false };
  }
  return { ok: true, tags };
}

/** The target of a `rel="next"` link in a `Link` header (RFC 8288), if any. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const match of header.matchAll(/<([^>]*)>([^,<]*)/g)) {
    const params = match[2] ?? "";
    if (/(?:^|;)\s*rel\s*=\s*(?:"[^"]*\bnext\b[^"]*"|next\b)/i.test(params)) return match[1];
  }
  return undefined;
}

/** Sends the request with what this run already knows about auth, and answers one 401 challenge. */
async function authorizedRequest(
  context: LookUpContext,
  registry: string,
  scope: string,
  url: string,
  method: "HEAD" | "GET",
  accept: string = ACCEPT,
): Promise<HttpOutcome | Failure> {
  const known = await context.authenticator.cached(registry, scope);
  const send = (authorization: string | undefined): Promise<HttpOutcome> =>
    context.transport.send(registry, { url, method, headers: { Accept: accept, ...(authorization ? { Authorization: authorization } : {}) } });
  const first = await send(known);
  if (first.kind === "failed" || first.status !== 401) return first;
  const answer = await context.authenticator.answer(registry, scope, first.headers.get("www-authenticate"), known !== undefined);
  if (!answer.ok) return answer;
  const second = await send(answer.authorization);
  if (second.kind === "response" && (second.status === 401 || second.status === 403)) {
    return {
      ok: false,
      reason: `the registry answered ${describeStatus(second.status)} after authenticating: the repository does not exist, or it is private and the credentials do not reach it`,
      retryable: false,
    };
  }
  return second;
}

function statusFailure(outcome: Extract<HttpOutcome, { kind: "response" }>): Failure {
  const status = outcome.status === 404 ? "404 (no such tag)" : describeStatus(outcome.status);
  if (isRetryableStatus(outcome.status) && outcome.attempts > 1) {
    return { ok: false, reason: `the registry answered ${status} on all ${outcome.attempts} attempts; giving up`, retryable: true };
  }
  return { ok: false, reason: `the registry answered ${status}`, retryable: isRetryableStatus(outcome.status) };
}

function withMediaType(result: { ok: true; digest: string }, headers: Headers): DigestResult {
  const mediaType = headers.get("content-type")?.split(";")[0]?.trim();
  return mediaType ? { ...result, mediaType } : result;
}
