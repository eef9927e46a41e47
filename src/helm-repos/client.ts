/**
 * Chart versions from chart repositories, as `helm dependency update` sees them: http(s) repositories through their
 * index.yaml (pkg/repo/chartrepo.go DownloadIndexFile), OCI registries through their tag lists (pkg/registry/client.go
 * Tags). One look-up per repository (or OCI chart) per client; every request goes through one transport with timeouts,
 * retries and back-off.
 */
import { basicAuthorization } from "../registry/auth.js";
import { environmentPrefix } from "../registry/credentials.js";
import { createDefaultTransport, describeStatus, isRetryableStatus } from "../registry/transport.js";
import { compareMastermindsVersions, parseMastermindsVersion } from "../lockfiles/masterminds-constraint.js";
import { parseIndexFile, type IndexFile } from "./index-file.js";
import type { ChartRepositoryClient, ChartRepositoryClientOptions, ChartVersionsResult } from "./types.js";

export type { ChartRepositoryClient, ChartRepositoryClientOptions, ChartRepositoryStats, ChartVersionsResult } from "./types.js";

const DEFAULT_MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** What one repository's index.yaml or one OCI chart's tag list gave; reasons leave out chart and repository. */
type Source = { ok: true; index: IndexFile } | { ok: true; tags: string[] } | { ok: false; reason: string; retryable: boolean };

type Target =
  | { kind: "http"; indexUrl: string; host: string; credentialPrefix: string }
  | { kind: "oci"; registry: string; repository: string }
  | { kind: "invalid"; reason: string };

export function createChartRepositoryClient(options: ChartRepositoryClientOptions): ChartRepositoryClient {
  const env = options.env ?? process.env;
  const transport = createDefaultTransport({
    ...options,
    insecureRegistries: options.insecureHosts ?? [],
    maxBody: { bytes: options.maxIndexBytes ?? DEFAULT_MAX_INDEX_BYTES, what: "an index.yaml" },
  });
  const sources = new Map<string, Promise<Source>>();
  let lookups = 0;
  let cacheHits = 0;

  function source(key: string, lookUp: () => Promise<Source>): Promise<Source> {
    const known = sources.get(key);
    if (known) {
      cacheHits += 1;
      return known;
    }
    lookups += 1;
    const started = lookUp().catch((error: unknown): Source => ({ ok: false, reason: `the look-up failed unexpectedly (${(error as Error)?.name ?? "error"})`, retryable: true }));
    sources.set(key, started);
    return started;
  }

  async function chartVersions(repository: string, chart: string): Promise<ChartVersionsResult> {
    const shown = `${chart} from ${withoutCredentials(repository)}`;
    const target = targetOf(repository, chart);
    if (target.kind === "invalid") return { ok: false, reason: `${shown}: ${target.reason}`, retryable: false };
    if (options.offline) {
      return { ok: false, reason: `${shown}: looking up chart versions needs the network, and Shipshape is offline`, retryable: false, needsNetwork: true };
    }
    if (target.kind === "oci") {
      const found = await source(`oci://${target.registry}/${target.repository}`, () => listOciTags(target.registry, target.repository));
      if (!found.ok) return { ok: false, reason: `${shown}: ${found.reason}`, retryable: found.retryable };
      return { ok: true, versions: "tags" in found ? helmTagVersions(found.tags) : [] };
    }
    const found = await source(target.indexUrl, () => downloadIndex(target));
    if (!found.ok) return { ok: false, reason: `${shown}: ${found.reason}`, retryable: found.retryable };
    const versions = "index" in found ? found.index.get(chart) : undefined;
    if (versions === undefined) return { ok: false, reason: `${chart} is not in ${withoutCredentials(repository)}'s index.yaml`, retryable: false };
    return { ok: true, versions: [...versions] };
  }

  async function listOciTags(registry: string, repository: string): Promise<Source> {
    const listed = await options.registry.listTags(registry, repository);
    if (listed.ok) return { ok: true, tags: listed.tags };
    const prefix = `${registry}/${repository}: `;
    const reason = listed.reason.startsWith(prefix) ? listed.reason.slice(prefix.length) : listed.reason;
    return { ok: false, reason, retryable: listed.retryable };
  }

  async function downloadIndex(target: Extract<Target, { kind: "http" }>): Promise<Source> {
    const username = env[`${target.credentialPrefix}_USERNAME`];
    const password = env[`${target.credentialPrefix}_PASSWORD`];
    // Helm sends the repository's credentials with the first request (getter.WithBasicAuth); the transport drops them on a redirect to another host.
    const headers: Record<string, string> = username && password ? { Authorization: basicAuthorization(username, password) } : {};
    const outcome = await transport.send(target.host, { url: target.indexUrl, method: "GET", headers });
    if (outcome.kind === "failed") return { ok: false, reason: outcome.reason.replace(/^the registry /, "the repository "), retryable: outcome.retryable };
    if (outcome.status !== 200) {
      const retryable = isRetryableStatus(outcome.status);
      const tries = retryable && outcome.attempts > 1 ? ` on all ${outcome.attempts} attempts; giving up` : "";
      let hint = "";
      if (outcome.status === 401 || outcome.status === 403) {
        hint = username && password
          ? `, to the credentials from ${target.credentialPrefix}_USERNAME/_PASSWORD`
          : `; if it is private, set ${target.credentialPrefix}_USERNAME and ${target.credentialPrefix}_PASSWORD`;
      }
      return { ok: false, reason: `the repository answered ${describeStatus(outcome.status)} for index.yaml${tries}${hint}`, retryable };
    }
    const parsed = parseIndexFile(new TextDecoder().decode(outcome.body));
    return parsed.ok ? { ok: true, index: parsed.index } : { ok: false, reason: parsed.reason, retryable: false };
  }

  function stats(): ReturnType<ChartRepositoryClient["stats"]> {
    const requests = Object.values(transport.requestsByRegistry()).reduce((sum, count) => sum + count, 0);
    return { requests, lookups, cacheHits };
  }

  return { chartVersions, stats };
}

/**
 * Where a chart's versions are listed. For http(s), index.yaml joined to the repository URL as Helm's
 * ResolveReferenceURL does (one trailing slash dropped, then "/index.yaml"; the query string kept). For OCI, the tags
 * of `<host>/<path>/<chart>`, as Helm's resolver asks its registry client.
 */
function targetOf(repository: string, chart: string): Target {
  if (chart === "" || chart.includes("/")) return { kind: "invalid", reason: "the chart name is empty or holds a slash" };
  if (/^oci:\/\//i.test(repository)) {
    const rest = repository.slice("oci://".length);
    const slash = rest.indexOf("/");
    const registry = (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
    const path = slash === -1 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
    if (registry === "" || /[@?#\s]/.test(rest)) return { kind: "invalid", reason: "the OCI repository is not of the form oci://host/path" };
    return { kind: "oci", registry, repository: path === "" ? chart : `${path}/${chart}` };
  }
  let base: URL;
  try {
    base = new URL(repository);
  } catch {
    return { kind: "invalid", reason: "the repository is not a URL" };
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    return { kind: "invalid", reason: "Shipshape looks up chart versions only in http(s):// and oci:// repositories" };
  }
  if (base.username !== "" || base.password !== "") {
    const prefix = environmentPrefix(base.host);
    return { kind: "invalid", reason: `the repository URL holds a user name or password; set ${prefix}_USERNAME and ${prefix}_PASSWORD instead` };
  }
  const query = base.search;
  base.pathname = `${base.pathname.replace(/\/$/, "")}/`;
  const index = new URL("index.yaml", base);
  index.search = query;
  return { kind: "http", indexUrl: index.href, host: base.host, credentialPrefix: environmentPrefix(base.host) };
}

/** Strict semver 2.0.0, as Masterminds' StrictNewVersion reads it: three numbers without leading zeros, no `v`. */
const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * The chart versions Helm reads from an OCI repository's tags (pkg/registry/client.go Tags): `_` turned back into
 * `+`, only strict semver kept, newest first (build metadata ignored; equal versions keep the registry's order).
 */
export function helmTagVersions(tags: readonly string[]): string[] {
  const kept = tags
    .map((tag) => tag.replaceAll("_", "+"))
    .filter((text) => STRICT_SEMVER.test(text))
    .map((text) => ({ text, version: parseMastermindsVersion(text)! }));
  return kept.sort((a, b) => compareMastermindsVersions(b.version, a.version)).map((entry) => entry.text);
}

/** The repository as people wrote it, minus any user name and password. */
function withoutCredentials(repository: string): string {
  return repository.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1");
}
