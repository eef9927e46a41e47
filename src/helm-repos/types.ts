import type { FetchFunction } from "../registry/types.js";
import type { RegistryClient } from "../registry/types.js";

/** A chart's versions in a repository, or why they could not be found. Network and repository problems are results, never exceptions. */
export type ChartVersionsResult =
  /** Newest first, as Helm's resolver walks them; each as the repository writes it (Helm locks `Version.Original()`). */
  | { ok: true; versions: string[] }
  | {
      ok: false;
      /** A sentence naming chart and repository, e.g. `redis from https://charts.example.com: the repository answered 404 (not found) for index.yaml`. Never holds credentials. */
      reason: string;
      /** True when the same look-up could succeed later without any change (rate limits, outages, timeouts). */
      retryable: boolean;
      /** True when the look-up was not tried because the client is offline. */
      needsNetwork?: boolean;
    };

export interface ChartRepositoryStats {
  /** HTTP requests made for http(s) repositories (retries and redirects included); OCI requests count in the registry client's stats. */
  requests: number;
  /** Distinct index.yaml files and OCI tag lists looked up. */
  lookups: number;
  /** Asks answered from this run's cache (or sharing a look-up already under way). */
  cacheHits: number;
}

export interface ChartRepositoryClient {
  /** `repository`: an http(s):// chart repository URL or oci://host/path. */
  chartVersions(repository: string, chart: string): Promise<ChartVersionsResult>;
  stats(): ChartRepositoryStats;
}

export interface ChartRepositoryClientOptions {
  /** Lists tags for `oci://` repositories. */
  registry: RegistryClient;
  /** Never touch the network: every look-up answers that it needs the network. */
  offline?: boolean;
  fetch?: FetchFunction;
  /** Per request, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Further attempts after a 429, a 5xx, a network error or a timeout. Default 3. */
  retries?: number;
  /** First back-off delay in milliseconds, doubled on each retry. Default 500. */
  backoffMs?: number;
  /** A `Retry-After` longer than this (milliseconds) is not waited for: the look-up fails as retryable. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Largest index.yaml accepted, in bytes. Default 64 MiB (Bitnami's is tens of MB). */
  maxIndexBytes?: number;
  /** Hosts (with port) whose repositories may be reached over plain HTTP. Loopback hosts always may. */
  insecureHosts?: string[];
  /** Where `SHIPSHAPE_REGISTRY_<HOST>_USERNAME` / `_PASSWORD` are read, for HTTP Basic auth. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `Retry-After` dates. Default `Date.now`. */
  now?: () => number;
}
