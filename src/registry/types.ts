import type { ImageReference } from "../images/reference.js";

/** The digest a tag points to, or why it could not be found. Registry and network problems are results, never exceptions. */
export type DigestResult =
  | { ok: true; digest: string; mediaType?: string }
  | {
      ok: false;
      /** A sentence naming the image, e.g. `ghcr.io/acme/web:1.4: the registry answered 404 (no such tag)`. Never holds credentials. */
      reason: string;
      /** True when the same look-up could succeed later without any change (rate limits, outages, timeouts). */
      retryable: boolean;
      /** True when the look-up was not tried because the client is offline. */
      needsNetwork?: boolean;
    };

/** The tags of a repository, in the registry's order, or why they could not be listed. */
export type TagListResult =
  | { ok: true; tags: string[] }
  | {
      ok: false;
      /** A sentence naming the repository, e.g. `ghcr.io/acme/charts/redis: the registry answered 404 (no such repository)`. Never holds credentials. */
      reason: string;
      retryable: boolean;
      needsNetwork?: boolean;
    };

/** Credentials for one registry: a user name and password (or personal access token), or a ready registry bearer token. */
export type RegistryCredential = { username: string; password: string } | { token: string };

export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface RegistryClientOptions {
  /** Credentials per registry host as written in image references ("ghcr.io", "docker.io", "localhost:5000"). */
  credentials?: Record<string, RegistryCredential>;
  /** A GitHub token, used as the password for ghcr.io. Defaults to `GITHUB_TOKEN` from `env`. */
  githubToken?: string;
  /** Where `SHIPSHAPE_REGISTRY_<HOST>_USERNAME` / `_PASSWORD` and `GITHUB_TOKEN` are read. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Docker's config.json. Defaults to `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. A missing file is fine. */
  dockerConfigPath?: string;
  /** Registry hosts (with port, as written in image references) that may be reached over plain HTTP. Loopback hosts always may. */
  insecureRegistries?: string[];
  /** Never touch the network: every look-up answers that it needs the network. */
  offline?: boolean;
  /** Per request, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Further attempts after a 429, a 5xx, a network error or a timeout. Default 3. */
  retries?: number;
  /** First back-off delay in milliseconds, doubled on each retry. Default 500. */
  backoffMs?: number;
  /** A `Retry-After` longer than this (milliseconds) is not waited for: the look-up fails as retryable. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Requests in flight at once per registry. Default 4. */
  concurrency?: number;
  fetch?: FetchFunction;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
  /** Warnings, such as an unreadable Docker config.json. Never given secrets. */
  log?: (message: string) => void;
}

export interface RegistryStats {
  /** HTTP requests made, per registry of the image looked up (token and redirect requests included). */
  requestsByRegistry: Record<string, number>;
  requests: number;
  /** Distinct references looked up. */
  lookups: number;
  /** Asks answered from this run's cache (or sharing a look-up already under way). */
  cacheHits: number;
}

export interface RegistryClient {
  /**
   * The digest of the manifest `reference.tag` points to (an index's own digest for multi-arch images).
   * Without a tag, a reference that has a digest answers it as is, and one without either resolves "latest".
   */
  resolveDigest(reference: ImageReference): Promise<DigestResult>;
  /**
   * Every tag of `repository` ("acme/charts/redis") in `registry` ("ghcr.io", "localhost:5000"), from
   * `GET /v2/<repository>/tags/list`, following `Link: <…>; rel="next"` pages. Not cached: callers keep what they need.
   */
  listTags(registry: string, repository: string): Promise<TagListResult>;
  stats(): RegistryStats;
}
