import { createHash } from "node:crypto";
import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { createRegistryClient } from "../../src/registry/client.js";
import { ACCEPT, DIGEST_A, DIGEST_B, MISSING_CONFIG, OCI_INDEX, record, ref, testClient, useNock } from "./helpers.js";

useNock();

describe("resolveDigest", () => {
  it("reads the digest from Docker-Content-Digest on a HEAD, sending all four manifest types", async () => {
    const scope = nock("https://registry.example.com")
      .head("/v2/team/web/manifests/1.4")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A, "Content-Type": OCI_INDEX });
    const requests = record(scope);
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/web:1.4"))).toEqual({ ok: true, digest: DIGEST_A, mediaType: OCI_INDEX });
    expect(requests).toEqual([{ method: "HEAD", url: "https://registry.example.com/v2/team/web/manifests/1.4", headers: { accept: ACCEPT } }]);
    expect(client.stats()).toEqual({ requestsByRegistry: { "registry.example.com": 1 }, requests: 1, lookups: 1, cacheHits: 0 });
  });

  it.each([
    ["is missing", {}],
    ["is not a valid digest", { "Docker-Content-Digest": "sha256:abc" }],
  ])("hashes the manifest from a GET when Docker-Content-Digest %s", async (_case, digestHeader) => {
    const manifest = '{\n  "schemaVersion": 2,\n  "mediaType": "application/vnd.oci.image.index.v1+json",\n  "manifests": []\n}\n';
    const expected = "sha256:" + createHash("sha256").update(manifest, "utf8").digest("hex");
    const scope = nock("https://registry.example.com")
      .head("/v2/team/web/manifests/1.4")
      .reply(200, undefined, { ...digestHeader, "Content-Type": OCI_INDEX })
      .get("/v2/team/web/manifests/1.4")
      .reply(200, manifest, { "Content-Type": OCI_INDEX });
    const requests = record(scope);
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/web:1.4"))).toEqual({ ok: true, digest: expected, mediaType: OCI_INDEX });
    expect(requests).toEqual([
      { method: "HEAD", url: "https://registry.example.com/v2/team/web/manifests/1.4", headers: { accept: ACCEPT } },
      { method: "GET", url: "https://registry.example.com/v2/team/web/manifests/1.4", headers: { accept: ACCEPT } },
    ]);
  });

  it("falls back to GET when the registry does not allow HEAD", async () => {
    const manifest = '{"schemaVersion":2}';
    const scope = nock("https://registry.example.com")
      .head("/v2/app/manifests/v1")
      .reply(405)
      .get("/v2/app/manifests/v1")
      .reply(200, manifest, { "Content-Type": "application/vnd.docker.distribution.manifest.v2+json; charset=utf-8" });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app:v1"))).toEqual({
      ok: true,
      digest: "sha256:" + createHash("sha256").update(manifest).digest("hex"),
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    });
    expect(scope.isDone()).toBe(true);
  });

  it("gets an anonymous token for Docker Hub and reuses it for the next tag of the repository", async () => {
    const challenge = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';
    const hub = nock("https://registry-1.docker.io")
      .head("/v2/library/nginx/manifests/1.25")
      .reply(401, undefined, { "WWW-Authenticate": challenge })
      .head("/v2/library/nginx/manifests/1.25")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A, "Content-Type": OCI_INDEX })
      .head("/v2/library/nginx/manifests/1.26")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_B, "Content-Type": OCI_INDEX });
    const auth = nock("https://auth.docker.io")
      .get("/token")
      .query({ service: "registry.docker.io", scope: "repository:library/nginx:pull" })
      .reply(200, { token: "anonymous-hub-token", expires_in: 300 });
    const requests = record(hub, auth);
    const { client } = testClient();

    expect(await client.resolveDigest(ref("nginx:1.25"))).toEqual({ ok: true, digest: DIGEST_A, mediaType: OCI_INDEX });
    expect(await client.resolveDigest(ref("nginx:1.26"))).toEqual({ ok: true, digest: DIGEST_B, mediaType: OCI_INDEX });
    expect(requests).toEqual([
      { method: "HEAD", url: "https://registry-1.docker.io/v2/library/nginx/manifests/1.25", headers: { accept: ACCEPT } },
      {
        method: "GET",
        url: "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull",
        headers: { accept: "application/json" },
      },
      {
        method: "HEAD",
        url: "https://registry-1.docker.io/v2/library/nginx/manifests/1.25",
        headers: { accept: ACCEPT, authorization: "Bearer anonymous-hub-token" },
      },
      {
        method: "HEAD",
        url: "https://registry-1.docker.io/v2/library/nginx/manifests/1.26",
        headers: { accept: ACCEPT, authorization: "Bearer anonymous-hub-token" },
      },
    ]);
    expect(client.stats()).toEqual({ requestsByRegistry: { "docker.io": 4 }, requests: 4, lookups: 2, cacheHits: 0 });
  });

  it("says 404 means no such tag, naming the image", async () => {
    nock("https://ghcr.io").head("/v2/acme/web/manifests/1.4").reply(404);
    const { client } = testClient();

    expect(await client.resolveDigest(ref("ghcr.io/acme/web:1.4"))).toEqual({
      ok: false,
      reason: "ghcr.io/acme/web:1.4: the registry answered 404 (no such tag)",
      retryable: false,
    });
  });

  it("names Docker Hub images the way people write them", async () => {
    nock("https://registry-1.docker.io").head("/v2/bitnami/redis/manifests/7.2").reply(403);
    const { client } = testClient();

    expect(await client.resolveDigest(ref("bitnami/redis:7.2"))).toEqual({
      ok: false,
      reason: "bitnami/redis:7.2: the registry answered 403 (forbidden)",
      retryable: false,
    });
  });

  it("looks up latest when the reference has no tag, and answers a digest-only reference without asking", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/latest").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(await client.resolveDigest(ref(`registry.example.com/app@${DIGEST_B}`))).toEqual({ ok: true, digest: DIGEST_B });
    expect(client.stats().requests).toBe(1);
  });
});

describe("caching", () => {
  it("asks the registry once per reference, sharing a look-up already under way", async () => {
    const scope = nock("https://registry.example.com").head("/v2/app/manifests/1.0").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const requests = record(scope);
    const { client } = testClient();

    const [first, second] = await Promise.all([
      client.resolveDigest(ref("registry.example.com/app:1.0")),
      client.resolveDigest(ref("registry.example.com/app:1.0")),
    ]);
    const third = await client.resolveDigest(ref("registry.example.com/app:1.0"));

    expect([first, second, third]).toEqual([
      { ok: true, digest: DIGEST_A },
      { ok: true, digest: DIGEST_A },
      { ok: true, digest: DIGEST_A },
    ]);
    expect(requests).toHaveLength(1);
    expect(client.stats()).toEqual({ requestsByRegistry: { "registry.example.com": 1 }, requests: 1, lookups: 1, cacheHits: 2 });
  });

  it("keeps failures for the run too", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/9.9").reply(404);
    const { client } = testClient();

    const first = await client.resolveDigest(ref("registry.example.com/app:9.9"));
    const second = await client.resolveDigest(ref("registry.example.com/app:9.9"));

    expect(second).toEqual(first);
    expect(first.ok).toBe(false);
    expect(client.stats()).toEqual({ requestsByRegistry: { "registry.example.com": 1 }, requests: 1, lookups: 1, cacheHits: 1 });
  });
});

describe("concurrency", () => {
  /** How many requests are in flight now, and the most there ever were. */
  class InFlight {
    now = 0;
    max = 0;
    enter(): void {
      this.now += 1;
      this.max = Math.max(this.max, this.now);
    }
    leave(): void {
      this.now -= 1;
    }
  }

  /** Answers HEADs after `ms` real milliseconds, with a digest made of the tag's digits, counting requests in flight. */
  function slowRegistry(origin: string, count: number, ms: number, ...trackers: InFlight[]): void {
    nock(origin)
      .head(/^\/v2\/app\/manifests\/1\.\d$/)
      .times(count)
      .reply((uri, _body, callback) => {
        for (const tracker of trackers) tracker.enter();
        setTimeout(() => {
          for (const tracker of trackers) tracker.leave();
          const tag = uri.slice(uri.lastIndexOf("/") + 1);
          callback(null, [200, "", { "Docker-Content-Digest": "sha256:" + tag.replace(/\D/g, "").padStart(64, "0") }]);
        }, ms);
      });
  }

  it("keeps at most the limit of requests in flight per registry", async () => {
    const inFlight = new InFlight();
    slowRegistry("https://registry.example.com", 8, 15, inFlight);
    const { client } = testClient({ concurrency: 2 });

    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => client.resolveDigest(ref(`registry.example.com/app:1.${i}`))));

    expect(results).toEqual(Array.from({ length: 8 }, (_, i) => ({ ok: true, digest: "sha256:" + `1${i}`.padStart(64, "0") })));
    expect(inFlight.max).toBe(2);
    expect(client.stats()).toEqual({ requestsByRegistry: { "registry.example.com": 8 }, requests: 8, lookups: 8, cacheHits: 0 });
  });

  it("limits each registry on its own", async () => {
    const [one, two, both] = [new InFlight(), new InFlight(), new InFlight()];
    slowRegistry("https://one.example.com", 3, 15, one, both);
    slowRegistry("https://two.example.com", 3, 15, two, both);
    const { client } = testClient({ concurrency: 1 });

    const results = await Promise.all(
      [0, 1, 2].flatMap((i) => [client.resolveDigest(ref(`one.example.com/app:1.${i}`)), client.resolveDigest(ref(`two.example.com/app:1.${i}`))]),
    );

    expect(results.filter((result) => result.ok)).toHaveLength(6);
    expect([one.max, two.max, both.max]).toEqual([1, 1, 2]);
    expect(client.stats().requestsByRegistry).toEqual({ "one.example.com": 3, "two.example.com": 3 });
  });
});

describe("offline", () => {
  it("never touches the network and says the look-up needs it", async () => {
    const fetch = vi.fn<(url: string, init: RequestInit) => Promise<Response>>();
    const client = createRegistryClient({ offline: true, fetch, env: {}, dockerConfigPath: MISSING_CONFIG });

    expect(await client.resolveDigest(ref("nginx:1.25"))).toEqual({
      ok: false,
      reason: "nginx:1.25: looking up the digest needs the network, and Shipshape is offline",
      retryable: false,
      needsNetwork: true,
    });
    expect(fetch).not.toHaveBeenCalled();
    expect(client.stats()).toEqual({ requestsByRegistry: {}, requests: 0, lookups: 0, cacheHits: 0 });
  });

  it("uses the injected fetch when online", async () => {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => new Response(null, { status: 200, headers: { "Docker-Content-Digest": DIGEST_A } }));
    const client = createRegistryClient({ fetch, env: {}, dockerConfigPath: MISSING_CONFIG });

    expect(await client.resolveDigest(ref("quay.io/org/tool:3"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]?.[0]).toBe("https://quay.io/v2/org/tool/manifests/3");
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: "HEAD", headers: { Accept: ACCEPT }, redirect: "manual" });
  });
});
