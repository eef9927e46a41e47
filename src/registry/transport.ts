import { setTimeout as delay } from "node:timers/promises";
import { createLimiter } from "./limit.js";
import type { FetchFunction } from "./types.js";

export interface HttpRequest {
  url: string;
  method: "GET" | "HEAD";
  headers: Record<string, string>;
}

/** A response after any retries, or a failure described for people (without the image name, which the caller adds). */
export type HttpOutcome =
  | { kind: "response"; status: number; headers: Headers; body: Uint8Array; attempts: number }
  | { kind: "failed"; reason: string; retryable: boolean };

export interface TransportOptions {
  fetch: FetchFunction;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxRetryAfterMs: number;
  concurrency: number;
  insecureRegistries: readonly string[];
  /** Largest body accepted, and what it is called in the refusal. Default 4 MiB, "a manifest". */
  maxBody?: { bytes: number; what: string };
}

/**
 * A transport with the defaults every client of this run shares (10 s timeout, 3 retries from 500 ms,
 * Retry-After up to 60 s, 4 requests at once per host), for what its options leave out.
 */
export function createDefaultTransport(options: Partial<TransportOptions>): Transport {
  return createTransport({
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    sleep: options.sleep ?? ((ms) => delay(ms)),
    now: options.now ?? Date.now,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 500,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    concurrency: options.concurrency ?? 4,
    insecureRegistries: options.insecureRegistries ?? [],
    ...(options.maxBody ? { maxBody: options.maxBody } : {}),
  });
}

export interface Transport {
  /** Sends a request on behalf of a look-up in `registry`: counted and limited under that registry. */
  send(registry: string, request: HttpRequest): Promise<HttpOutcome>;
  requestsByRegistry(): Record<string, number>;
}

const MAX_REDIRECTS = 5;
/** distribution refuses manifests over 4 MiB; so does this client, and token answers are far smaller. */
const MAX_BODY = { bytes: 4 * 1024 * 1024, what: "a manifest" };
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Attempt =
  | { kind: "response"; status: number; headers: Headers; body: Uint8Array }
  /**
   * `unreachable`: no answer at all (DNS, connection, timeout), as opposed to an answer Shipshape refuses;
   * `noRoute`: the host does not resolve or refuses connections, which waiting does not change.
   */
  | { kind: "failed"; reason: string; retryable: boolean; unreachable?: boolean; noRoute?: boolean };

/** Network errors that say the registry cannot be reached from here at all: not retried, and the registry is not asked again. */
const NO_ROUTE_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);

export function createTransport(options: TransportOptions): Transport {
  const counts = new Map<string, number>();
  const limiters = new Map<string, <T>(task: () => Promise<T>) => Promise<T>>();
  const insecure = options.insecureRegistries.map((host) => host.toLowerCase());
  const maxBody = options.maxBody ?? MAX_BODY;
  /** Registries that did not answer on any attempt: the rest of the run does not wait for them again. */
  const unreachable = new Map<string, string>();

  const limiterFor = (registry: string): (<T>(task: () => Promise<T>) => Promise<T>) => {
    let limiter = limiters.get(registry);
    if (!limiter) limiters.set(registry, (limiter = createLimiter(options.concurrency)));
    return limiter;
  };

  async function once(registry: string, request: HttpRequest): Promise<Attempt> {
    let url = new URL(request.url);
    let method = request.method;
    const headers = { ...request.headers };
    for (let hop = 0; ; hop += 1) {
      if (url.protocol !== "https:" && !(url.protocol === "http:" && allowsPlainHttp(url.host, insecure))) {
        return { kind: "failed", reason: plainHttpRefusal(url, hop > 0), retryable: false };
      }
      counts.set(registry, (counts.get(registry) ?? 0) + 1);
      let response: Response;
      let body: Uint8Array;
      try {
        response = await options.fetch(url.href, { method, headers, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs) });
        const length = Number(response.headers.get("content-length") ?? "0");
        if (length > maxBody.bytes) {
          await response.body?.cancel();
          return { kind: "failed", reason: `${url.host} sent ${length} bytes, more than the ${maxBody.bytes} ${maxBody.what} may have`, retryable: false };
        }
        body = method === "HEAD" ? new Uint8Array() : await readBody(response, maxBody.bytes);
      } catch (error) {
        const noRoute = NO_ROUTE_CODES.has(networkErrorCode(error) ?? "");
        return { kind: "failed", reason: describeNetworkError(error, url.host, options.timeoutMs), retryable: true, unreachable: true, noRoute };
      }
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) {
        if (body.byteLength > maxBody.bytes) {
          return { kind: "failed", reason: `${url.host} sent more than the ${maxBody.bytes} bytes ${maxBody.what} may have`, retryable: false };
        }
        return { kind: "response", status: response.status, headers: response.headers, body };
      }
      if (hop === MAX_REDIRECTS) return { kind: "failed", reason: `${url.host} redirected more than ${MAX_REDIRECTS} times`, retryable: false };
      const next = new URL(location, url);
      if (next.origin !== url.origin) delete headers["Authorization"]; // credentials are for the host that asked for them
      if (response.status === 303) method = "GET";
      url = next;
    }
  }

  async function send(registry: string, request: HttpRequest): Promise<HttpOutcome> {
    const limit = limiterFor(registry);
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await limit(() => {
        const down = unreachable.get(registry);
        return down === undefined ? once(registry, request) : Promise.resolve<Attempt>({ kind: "failed", reason: down, retryable: true });
      });
      const again = outcome.kind === "failed" ? outcome.retryable && !outcome.noRoute && outcome.reason !== unreachable.get(registry) : isRetryableStatus(outcome.status);
      if (!again || attempt >= options.retries) {
        if (outcome.kind === "response") return { ...outcome, attempts: attempt + 1 };
        const tries = attempt === 0 ? "" : `, on all ${attempt + 1} attempts`;
        if (!outcome.unreachable) return { kind: "failed", reason: `${outcome.reason}${tries}`, retryable: outcome.retryable };
        const reason = `${outcome.reason}${tries}; not asked again in this run`;
        unreachable.set(registry, reason);
        return { kind: "failed", reason, retryable: true };
      }
      let delay = options.backoffMs * 2 ** attempt;
      if (outcome.kind === "response") {
        const asked = parseRetryAfter(outcome.headers.get("retry-after"), options.now());
        if (asked !== undefined && asked > options.maxRetryAfterMs) {
          return {
            kind: "failed",
            reason: `the registry answered ${describeStatus(outcome.status)} and asked to wait ${formatDuration(asked)}, longer than the ${formatDuration(options.maxRetryAfterMs)} Shipshape waits`,
            retryable: true,
          };
        }
        if (asked !== undefined) delay = asked;
      }
      await options.sleep(delay);
    }
  }

  return { send, requestsByRegistry: () => Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** The body, or its first bytes past `limit` (the caller refuses it then) without reading the rest of a chunked answer. */
async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks, size);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Milliseconds a `Retry-After` value (delay in seconds, or an HTTP date) asks for; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // Date.parse reads bare numbers such as "1.5" as years
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** True for loopback hosts ("localhost", "127.x.x.x", "[::1]", with or without a port) and hosts listed as insecure. */
export function allowsPlainHttp(host: string, insecureRegistries: readonly string[] = []): boolean {
  const lower = host.toLowerCase();
  const name = lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.replace(/:\d+$/, "");
  if (name === "localhost" || name === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return true;
  return insecureRegistries.some((entry) => entry === lower || entry === name);
}

function plainHttpRefusal(url: URL, redirected: boolean): string {
  if (url.protocol !== "http:") return `${redirected ? "was redirected to" : "was asked to use"} ${url.protocol} at ${url.host}, which is not HTTP(S)`;
  return `${redirected ? "was redirected to" : "was asked to use"} plain HTTP at ${url.host}; Shipshape uses plain HTTP only for loopback hosts and registries listed as insecure`;
}

function describeNetworkError(error: unknown, host: string, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `${host} did not answer within ${formatDuration(timeoutMs)}`;
  const code = networkErrorCode(error);
  const message = (error as { message?: unknown } | null)?.message;
  const detail = code ?? (typeof message === "string" && message !== "" ? message.slice(0, 200) : "network error");
  return `could not reach ${host} (${detail})`;
}

/** fetch wraps the socket's error: its code is on the error or on its cause. */
function networkErrorCode(error: unknown): string | undefined {
  return errorCode(error) ?? errorCode((error as { cause?: unknown } | null)?.cause);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" && code !== "" ? code : undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  429: "too many requests",
  500: "internal server error",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
};

/** "404 (no such tag)", "503 (service unavailable)", "418". */
export function describeStatus(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `${status} (${text})` : String(status);
}

export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
