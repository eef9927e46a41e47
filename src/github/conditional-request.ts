import type { GitHubClient } from "./octokit.js";
import { statusOf } from "./octokit.js";

/**
 * ETags of GET requests and what was read from their answers, in memory
 * only: the app keeps no database, and losing this cache costs requests,
 * never correctness (GitHub says whether the ETag still holds). Only the
 * small value read from an answer is kept, not the answer. The oldest entry
 * goes when the cache is full.
 */
export class EtagCache {
  private readonly entries = new Map<string, { etag: string; value: unknown }>();

  constructor(private readonly maxEntries = 50_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): { etag: string; value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, etag: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { etag, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** What GitHub says of the installation's hourly allowance, from the headers of every answer. */
export class RateBudget {
  remaining: number | undefined;
  limit: number | undefined;

  note(headers: Record<string, unknown> | undefined): void {
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    const limit = Number(headers?.["x-ratelimit-limit"]);
    if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) this.remaining = remaining;
    if (headers?.["x-ratelimit-limit"] !== undefined && Number.isFinite(limit)) this.limit = limit;
  }

  /** The requests kept back for pushes, pull requests and commands: a tenth of the hourly allowance, at least 100. */
  get reserve(): number {
    return Math.max(100, Math.floor((this.limit ?? 5000) / 10));
  }

  get low(): boolean {
    return this.remaining !== undefined && this.remaining < this.reserve;
  }
}

export interface ConditionalAnswer<T> {
  value: T;
  /** GitHub answered 304 Not Modified: the value is the cached one, and the request did not count against the rate limit. */
  notModified: boolean;
}

/**
 * A GET that sends the ETag of the last answer (If-None-Match) and reads
 * `read(data)` from a fresh answer; a 304 returns what was read last time.
 * Errors (404 and the like) are thrown as Octokit throws them.
 */
export async function conditionalGet<T>(
  octokit: GitHubClient,
  cache: EtagCache,
  budget: RateBudget,
  route: string,
  parameters: Record<string, unknown>,
  read: (data: unknown) => T,
): Promise<ConditionalAnswer<T>> {
  const endpoint = octokit.request.endpoint(route, parameters);
  const key = `${endpoint.url} ${String(endpoint.headers.accept ?? "")}`;
  const cached = cache.get(key);
  const headers = { ...(parameters["headers"] as Record<string, string> | undefined), ...(cached ? { "if-none-match": cached.etag } : {}) };
  try {
    const response = await octokit.request(route, { ...parameters, headers });
    budget.note(response.headers);
    const value = read(response.data);
    const etag = response.headers.etag;
    if (typeof etag === "string" && etag !== "") cache.set(key, etag, value);
    return { value, notModified: false };
  } catch (error) {
    budget.note((error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
    if (statusOf(error) === 304 && cached) return { value: cached.value as T, notModified: true };
    throw error;
  }
}
