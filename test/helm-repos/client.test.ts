/**
 * The chart repository client against a real HTTP server on 127.0.0.1 (node:http): every request below reaches it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChartRepositoryClient, helmTagVersions } from "../../src/helm-repos/client.js";
import type { ChartRepositoryClientOptions } from "../../src/helm-repos/types.js";
import type { RegistryClient, TagListResult } from "../../src/registry/types.js";

const INDEX = [
  "apiVersion: v1",
  "entries:",
  "  redis:",
  "  - name: redis",
  "    version: 17.3.2",
  "    urls: [https://charts.example.com/redis-17.3.2.tgz]",
  "  - name: redis",
  "    version: 17.10.0",
  "    urls: [https://charts.example.com/redis-17.10.0.tgz]",
  "  nginx:",
  "  - name: nginx",
  "    version: 1.0.0",
  "    urls: [nginx-1.0.0.tgz]",
  "",
].join("\n");

interface Seen {
  request: string;
  authorization: string | undefined;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let origin = "";
let host = "";
const seen: Seen[] = [];
/** Answers per path, used in turn; the last one repeats. */
let routes = new Map<string, Handler[]>();

const yamlAnswer =
  (body: string, status = 200): Handler =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/x-yaml" });
    response.end(body);
  };

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? "";
    seen.push({ request: `${request.method} ${path}`, authorization: request.headers.authorization });
    const handlers = routes.get(path);
    const handler = handlers && handlers.length > 1 ? handlers.shift()! : handlers?.[0];
    if (!handler) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  routes = new Map();
});

/** A registry client that must not be used: HTTP repositories never reach it. */
const NO_REGISTRY: RegistryClient = {
  resolveDigest: () => Promise.reject(new Error("no registry in this test")),
  listTags: () => Promise.reject(new Error("no registry in this test")),
  stats: () => ({ requestsByRegistry: {}, requests: 0, lookups: 0, cacheHits: 0 }),
};

function client(options: Partial<ChartRepositoryClientOptions> = {}): { sleeps: number[] } & ReturnType<typeof createChartRepositoryClient> {
  const sleeps: number[] = [];
  const made = createChartRepositoryClient({ registry: NO_REGISTRY, env: {}, timeoutMs: 2_000, sleep: async (ms) => void sleeps.push(ms), ...options });
  return Object.assign(made, { sleeps });
}

const requests = (): string[] => seen.map((entry) => entry.request);

describe("chart versions from an http repository's index.yaml", () => {
  it("asks once per repository, for two charts and a repeat, and answers newest first", async () => {
    routes.set("/index.yaml", [yamlAnswer(INDEX)]);
    const charts = client();
    const [redis, nginx] = await Promise.all([charts.chartVersions(origin, "redis"), charts.chartVersions(origin, "nginx")]);
    expect(redis).toEqual({ ok: true, versions: ["17.10.0", "17.3.2"] });
    expect(nginx).toEqual({ ok: true, versions: ["1.0.0"] });
    expect(await charts.chartVersions(`${origin}/`, "redis")).toEqual({ ok: true, versions: ["17.10.0", "17.3.2"] });
    expect(requests()).toEqual(["GET /index.yaml"]);
    expect(seen[0]?.authorization).toBeUndefined();
    expect(charts.stats()).toEqual({ requests: 1, lookups: 1, cacheHits: 2 });
  });

  it("joins index.yaml to a sub-path with or without a trailing slash, keeping the query string", async () => {
    routes.set("/charts/stable/index.yaml", [yamlAnswer(INDEX)]);
    routes.set("/other/index.yaml?token=abc", [yamlAnswer(INDEX)]);
    const charts = client();
    expect(await charts.chartVersions(`${origin}/charts/stable/`, "redis")).toEqual({ ok: true, versions: ["17.10.0", "17.3.2"] });
    expect(await charts.chartVersions(`${origin}/charts/stable`, "nginx")).toEqual({ ok: true, versions: ["1.0.0"] });
    expect(await charts.chartVersions(`${origin}/other?token=abc`, "nginx")).toEqual({ ok: true, versions: ["1.0.0"] });
    expect(requests()).toEqual(["GET /charts/stable/index.yaml", "GET /other/index.yaml?token=abc"]);
    expect(charts.stats()).toEqual({ requests: 2, lookups: 2, cacheHits: 1 });
  });

  it("sends HTTP Basic auth from SHIPSHAPE_REGISTRY_<HOST>_USERNAME / _PASSWORD", async () => {
    routes.set("/index.yaml", [yamlAnswer(INDEX)]);
    const prefix = `SHIPSHAPE_REGISTRY_127_0_0_1_${host.split(":")[1]}`;
    const charts = client({ env: { [`${prefix}_USERNAME`]: "robot", [`${prefix}_PASSWORD`]: "s3cret" } });
    expect(await charts.chartVersions(origin, "redis")).toEqual({ ok: true, versions: ["17.10.0", "17.3.2"] });
    expect(seen).toEqual([{ request: "GET /index.yaml", authorization: `Basic ${Buffer.from("robot:s3cret").toString("base64")}` }]);
  });

  it("says which chart and repository a 404 is for, and does not ask again", async () => {
    const charts = client();
    const expected = { ok: false, reason: `redis from ${origin}/missing: the repository answered 404 (not found) for index.yaml`, retryable: false };
    expect(await charts.chartVersions(`${origin}/missing`, "redis")).toEqual(expected);
    expect(await charts.chartVersions(`${origin}/missing`, "nginx")).toEqual({ ...expected, reason: expected.reason.replace("redis", "nginx") });
    expect(requests()).toEqual(["GET /missing/index.yaml"]);
  });

  it("names the credentials to set when the repository answers 401", async () => {
    routes.set("/private/index.yaml", [yamlAnswer("no", 401)]);
    const port = host.split(":")[1];
    expect(await client().chartVersions(`${origin}/private`, "redis")).toEqual({
      ok: false,
      reason: `redis from ${origin}/private: the repository answered 401 (unauthorized) for index.yaml; if it is private, set SHIPSHAPE_REGISTRY_127_0_0_1_${port}_USERNAME and SHIPSHAPE_REGISTRY_127_0_0_1_${port}_PASSWORD`,
      retryable: false,
    });
  });

  it("retries a 500 after backing off, then reads the 200", async () => {
    routes.set("/index.yaml", [yamlAnswer("oops", 500), yamlAnswer(INDEX)]);
    const charts = client();
    expect(await charts.chartVersions(origin, "redis")).toEqual({ ok: true, versions: ["17.10.0", "17.3.2"] });
    expect(requests()).toEqual(["GET /index.yaml", "GET /index.yaml"]);
    expect(charts.sleeps).toEqual([500]);
    expect(charts.stats()).toEqual({ requests: 2, lookups: 1, cacheHits: 0 });
  });

  it("waits as long as Retry-After asks, and gives up after the retries", async () => {
    routes.set("/index.yaml", [
      (_request, response) => {
        response.writeHead(503, { "retry-after": "2" });
        response.end();
      },
    ]);
    const charts = client({ retries: 2 });
    expect(await charts.chartVersions(origin, "redis")).toEqual({
      ok: false,
      reason: `redis from ${origin}: the repository answered 503 (service unavailable) for index.yaml on all 3 attempts; giving up`,
      retryable: true,
    });
    expect(requests()).toEqual(["GET /index.yaml", "GET /index.yaml", "GET /index.yaml"]);
    expect(charts.sleeps).toEqual([2000, 2000]);
  });

  it("gives up on a repository that does not answer in time", async () => {
    routes.set("/slow/index.yaml", [() => undefined]);
    const charts = client({ timeoutMs: 200, retries: 1 });
    expect(await charts.chartVersions(`${origin}/slow`, "redis")).toEqual({
      ok: false,
      reason: `redis from ${origin}/slow: ${host} did not answer within 200 ms, on all 2 attempts; not asked again in this run`,
      retryable: true,
    });
    expect(requests()).toEqual(["GET /slow/index.yaml", "GET /slow/index.yaml"]);
    expect(charts.sleeps).toEqual([500]);
  });

  it("says when the chart is not in the index", async () => {
    routes.set("/index.yaml", [yamlAnswer(INDEX)]);
    expect(await client().chartVersions(origin, "postgresql")).toEqual({ ok: false, reason: `postgresql is not in ${origin}'s index.yaml`, retryable: false });
  });

  it("says when index.yaml is not valid YAML, or is too big", async () => {
    routes.set("/bad/index.yaml", [yamlAnswer("apiVersion: v1\nentries: [\n")]);
    const big = `${INDEX}#${"x".repeat(2_000)}\n`;
    routes.set("/big/index.yaml", [
      (_request, response) => {
        response.writeHead(200, { "content-length": String(Buffer.byteLength(big)) });
        response.end(big);
      },
    ]);
    routes.set("/chunked/index.yaml", [yamlAnswer(big)]);
    const charts = client({ maxIndexBytes: 1_000 });
    expect(await charts.chartVersions(`${origin}/bad`, "redis")).toEqual({
      ok: false,
      reason: `redis from ${origin}/bad: index.yaml is not valid YAML (deficient indentation (3:1))`,
      retryable: false,
    });
    expect(await charts.chartVersions(`${origin}/big`, "redis")).toEqual({
      ok: false,
      reason: `redis from ${origin}/big: ${host} sent ${INDEX.length + 2_002} bytes, more than the 1000 an index.yaml may have`,
      retryable: false,
    });
    expect(await charts.chartVersions(`${origin}/chunked`, "redis")).toEqual({
      ok: false,
      reason: `redis from ${origin}/chunked: ${host} sent more than the 1000 bytes an index.yaml may have`,
      retryable: false,
    });
  });

  it("makes no request when offline", async () => {
    routes.set("/index.yaml", [yamlAnswer(INDEX)]);
    const charts = client({ offline: true });
    expect(await charts.chartVersions("https://charts.example.com", "redis")).toEqual({
      ok: false,
      reason: "redis from https://charts.example.com: looking up chart versions needs the network, and Shipshape is offline",
      retryable: false,
      needsNetwork: true,
    });
    expect(await charts.chartVersions(origin, "redis")).toMatchObject({ ok: false, needsNetwork: true });
    expect(await charts.chartVersions("oci://ghcr.io/acme/charts", "redis")).toEqual({
      ok: false,
      reason: "redis from oci://ghcr.io/acme/charts: looking up chart versions needs the network, and Shipshape is offline",
      retryable: false,
      needsNetwork: true,
    });
    expect(requests()).toEqual([]);
    expect(charts.stats()).toEqual({ requests: 0, lookups: 0, cacheHits: 0 });
  });

  it("refuses repositories it cannot ask, without a request and without repeating credentials", async () => {
    const charts = client();
    expect(await charts.chartVersions("file://../redis", "redis")).toEqual({
      ok: false,
      reason: "redis from file://../redis: Shipshape looks up chart versions only in http(s):// and oci:// repositories",
      retryable: false,
    });
    expect(await charts.chartVersions("https://robot:s3cret@charts.example.com", "redis")).toEqual({
      ok: false,
      reason:
        "redis from https://charts.example.com: the repository URL holds a user name or password; set SHIPSHAPE_REGISTRY_CHARTS_EXAMPLE_COM_USERNAME and SHIPSHAPE_REGISTRY_CHARTS_EXAMPLE_COM_PASSWORD instead",
      retryable: false,
    });
    expect(await charts.chartVersions("http://charts.example.com", "redis")).toEqual({
      ok: false,
      reason:
        "redis from http://charts.example.com: was asked to use plain HTTP at charts.example.com; Shipshape uses plain HTTP only for loopback hosts and registries listed as insecure",
      retryable: false,
    });
    expect(requests()).toEqual([]);
  });
});

describe("chart versions from an OCI repository's tags", () => {
  function fakeRegistry(answer: TagListResult): { registry: RegistryClient; asked: string[] } {
    const asked: string[] = [];
    const registry: RegistryClient = {
      resolveDigest: () => Promise.reject(new Error("not in this test")),
      listTags: async (registryHost, repository) => {
        asked.push(`${registryHost} ${repository}`);
        return answer;
      },
      stats: () => ({ requestsByRegistry: {}, requests: 0, lookups: 0, cacheHits: 0 }),
    };
    return { registry, asked };
  }

  it("lists <host>/<path>/<chart> once, and keeps only strict semver tags, `_` read as `+`", async () => {
    const { registry, asked } = fakeRegistry({ ok: true, tags: ["1.0.0", "latest", "v2.0.0", "2.0.0_build.1", "1.10.0", "01.0.0", "1.2", "3.0.0-rc.1"] });
    const charts = client({ registry });
    const expected = { ok: true, versions: ["3.0.0-rc.1", "2.0.0+build.1", "1.10.0", "1.0.0"] };
    expect(await charts.chartVersions("oci://GHCR.io/acme/charts/", "redis")).toEqual(expected);
    expect(await charts.chartVersions("oci://ghcr.io/acme/charts", "redis")).toEqual(expected);
    expect(asked).toEqual(["ghcr.io acme/charts/redis"]);
    expect(charts.stats()).toEqual({ requests: 0, lookups: 1, cacheHits: 1 });
  });

  it("names chart and repository once in the registry's reason", async () => {
    const { registry } = fakeRegistry({ ok: false, reason: "ghcr.io/acme/charts/redis: the registry answered 404 (no such repository) to the tag list", retryable: false });
    expect(await client({ registry }).chartVersions("oci://ghcr.io/acme/charts", "redis")).toEqual({
      ok: false,
      reason: "redis from oci://ghcr.io/acme/charts: the registry answered 404 (no such repository) to the tag list",
      retryable: false,
    });
  });

  it("orders tags as Helm's registry client does", () => {
    expect(helmTagVersions(["1.0.0+b", "1.0.0-alpha", "1.0.0_a", "0.1.0", "1.0.0-alpha.1", "1.0.0-01"])).toEqual(["1.0.0+b", "1.0.0+a", "1.0.0-alpha.1", "1.0.0-alpha", "0.1.0"]);
  });
});
