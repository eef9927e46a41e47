/**
 * The registry client against a real registry: Debian's `docker-registry` (distribution 2.8) on a free loopback
 * port, with images pushed over HTTP. No nock here: every request below reaches the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageReference, type ImageReference } from "../../src/images/reference.js";
import { createRegistryClient, type RegistryClient } from "../../src/registry/client.js";
import {
  DOCKER_MANIFEST,
  OCI_INDEX,
  REGISTRY_MISSING,
  dockerImage,
  ociIndex,
  pushImage,
  registryBinary,
  sha256,
  startLocalRegistry,
  type Image,
  type LocalRegistry,
} from "./local-registry.js";

/** Written out rather than imported, so a change to the client's Accept header fails here too. */
const CLIENT_ACCEPT =
  "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, " +
  "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
const SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
const SHA256 = /^sha256:[a-f0-9]{64}$/;

// On a laptop without the package the suite is skipped, and says so; in CI (CI=true) it runs, and fails loudly.
const skip = registryBinary === undefined && process.env["CI"] !== "true";
if (skip) console.warn(`Skipping the real-registry tests: ${REGISTRY_MISSING} (with CI=true they fail instead).`);

function ref(image: string): ImageReference {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(`${image}: ${parsed.reason}`);
  return parsed.reference;
}

/** A client that reads no real credentials, and records each request it sends ("HEAD /v2/team/app/manifests/1.0"). */
function recordingClient(): { client: RegistryClient; requests: string[] } {
  const requests: string[] = [];
  const client = createRegistryClient({
    env: {},
    dockerConfigPath: "/nonexistent/shipshape-real-registry-test/config.json",
    retries: 0,
    timeoutMs: 5_000,
    log: (message) => void requests.push(`log: ${message}`),
    fetch: (url, init) => {
      requests.push(`${init.method ?? "GET"} ${new URL(url).pathname}`);
      return fetch(url, init);
    },
  });
  return { client, requests };
}

// Failing in beforeAll alone would leave the tests below reported as skipped: this one fails by name instead.
describe.skipIf(skip)("the real registry these tests need", () => {
  it("is installed", () => {
    if (registryBinary === undefined) throw new Error(REGISTRY_MISSING);
    expect(registryBinary).toMatch(/docker-registry$/);
  });
});

describe.skipIf(skip)("the registry client against a real registry (docker-registry, distribution 2.8)", () => {
  let registry: LocalRegistry | undefined;
  let host = "";
  let app: Image;
  let index: Image;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    host = registry.host;
    app = await dockerImage("team/app 1.0");
    expect(await pushImage(host, "team/app", "1.0", app)).toBe(app.digest);
    index = await ociIndex("team/multi 2.0");
    expect(await pushImage(host, "team/multi", "2.0", index)).toBe(index.digest);
  });

  afterAll(async () => {
    await registry?.stop();
  });

  /** A request with only the headers given, outside the client. */
  async function raw(method: "HEAD" | "GET", path: string, accept: string): Promise<{ status: number; digest: string | null; type: string | null; body: Buffer }> {
    const response = await fetch(`http://${host}${path}`, { method, headers: { accept } });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, digest: response.headers.get("docker-content-digest"), type: response.headers.get("content-type"), body };
  }

  it("resolves a Docker v2 image's tag to exactly the digest of the manifest bytes pushed, with one HEAD", async () => {
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(app.digest).toMatch(SHA256);
    const { client, requests } = recordingClient();

    expect(await client.resolveDigest(ref(`${host}/team/app:1.0`))).toEqual({ ok: true, digest: app.digest, mediaType: DOCKER_MANIFEST });
    expect(await client.resolveDigest(ref(`${host}/team/app:1.0`))).toEqual({ ok: true, digest: app.digest, mediaType: DOCKER_MANIFEST });

    expect(requests).toEqual(["HEAD /v2/team/app/manifests/1.0"]);
    expect(client.stats()).toEqual({ requestsByRegistry: { [host]: 1 }, requests: 1, lookups: 1, cacheHits: 1 });
  });

  it("resolves a multi-arch tag to the OCI index's own digest, not a platform manifest's", async () => {
    const children = index.children.map((child) => child.digest);
    expect(children).toHaveLength(2);
    expect(new Set([index.digest, ...children]).size).toBe(3);
    // The registry keeps the exact bytes pushed: the index digest is the hash of what it serves.
    const stored = await raw("GET", "/v2/team/multi/manifests/2.0", CLIENT_ACCEPT);
    expect(stored.status).toBe(200);
    expect(stored.body.equals(Buffer.from(index.bytes))).toBe(true);
    expect(sha256(stored.body)).toBe(index.digest);
    expect((JSON.parse(stored.body.toString("utf8")) as { manifests: { digest: string; platform: unknown }[] }).manifests).toEqual([
      { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: children[0], size: index.children[0]!.bytes.byteLength, platform: { architecture: "amd64", os: "linux" } },
      { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: children[1], size: index.children[1]!.bytes.byteLength, platform: { architecture: "arm64", os: "linux" } },
    ]);

    const { client, requests } = recordingClient();
    expect(await client.resolveDigest(ref(`${host}/team/multi:2.0`))).toEqual({ ok: true, digest: index.digest, mediaType: OCI_INDEX });
    expect(requests).toEqual(["HEAD /v2/team/multi/manifests/2.0"]);
    expect(client.stats()).toEqual({ requestsByRegistry: { [host]: 1 }, requests: 1, lookups: 1, cacheHits: 0 });
  });

  it("after a tag moves, a new client resolves the new digest while the old client's cache (per run) keeps the old one", async () => {
    const before = await dockerImage("team/moving stable, first build");
    const after = await dockerImage("team/moving stable, second build");
    expect(after.digest).not.toBe(before.digest);
    await pushImage(host, "team/moving", "stable", before);
    const earlier = recordingClient();
    expect(await earlier.client.resolveDigest(ref(`${host}/team/moving:stable`))).toEqual({ ok: true, digest: before.digest, mediaType: DOCKER_MANIFEST });

    await pushImage(host, "team/moving", "stable", after);
    expect((await raw("HEAD", "/v2/team/moving/manifests/stable", CLIENT_ACCEPT)).digest).toBe(after.digest);

    const later = recordingClient();
    expect(await later.client.resolveDigest(ref(`${host}/team/moving:stable`))).toEqual({ ok: true, digest: after.digest, mediaType: DOCKER_MANIFEST });
    expect(await earlier.client.resolveDigest(ref(`${host}/team/moving:stable`))).toEqual({ ok: true, digest: before.digest, mediaType: DOCKER_MANIFEST });

    expect(earlier.requests).toEqual(["HEAD /v2/team/moving/manifests/stable"]);
    expect(earlier.client.stats()).toEqual({ requestsByRegistry: { [host]: 1 }, requests: 1, lookups: 1, cacheHits: 1 });
    expect(later.requests).toEqual(["HEAD /v2/team/moving/manifests/stable"]);
    expect(later.client.stats()).toEqual({ requestsByRegistry: { [host]: 1 }, requests: 1, lookups: 1, cacheHits: 0 });
  });

  it("answers a missing tag with the registry's 404, not retryable", async () => {
    const { client, requests } = recordingClient();
    expect(await client.resolveDigest(ref(`${host}/team/app:9.9`))).toEqual({
      ok: false,
      reason: `${host}/team/app:9.9: the registry answered 404 (no such tag)`,
      retryable: false,
    });
    expect(requests).toEqual(["HEAD /v2/team/app/manifests/9.9"]);
    expect(client.stats()).toEqual({ requestsByRegistry: { [host]: 1 }, requests: 1, lookups: 1, cacheHits: 0 });
  });

  it("answers a missing repository with a 404 too: distribution 2.8 says MANIFEST_UNKNOWN, as for a missing tag", async () => {
    const { client, requests } = recordingClient();
    expect(await client.resolveDigest(ref(`${host}/team/absent:1.0`))).toEqual({
      ok: false,
      reason: `${host}/team/absent:1.0: the registry answered 404 (no such tag)`,
      retryable: false,
    });
    expect(requests).toEqual(["HEAD /v2/team/absent/manifests/1.0"]);
    expect(client.stats()).toEqual({ requestsByRegistry: { [host]: 1 }, requests: 1, lookups: 1, cacheHits: 0 });

    const answer = await raw("GET", "/v2/team/absent/manifests/1.0", CLIENT_ACCEPT);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString("utf8"))).toEqual({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: "1.0" } }] });
  });

  it("looks each distinct reference up once, with one HEAD, however often and however concurrently it is asked", async () => {
    const { client, requests } = recordingClient();
    const images = [`${host}/team/app:1.0`, `${host}/team/multi:2.0`, `${host}/team/app:1.0`, `${host}/team/app:9.9`, `${host}/team/multi:2.0`, `${host}/team/app:1.0`];
    const results = await Promise.all(images.map((image) => client.resolveDigest(ref(image))));
    expect(results.map((result) => (result.ok ? result.digest : result.reason))).toEqual([
      app.digest,
      index.digest,
      app.digest,
      `${host}/team/app:9.9: the registry answered 404 (no such tag)`,
      index.digest,
      app.digest,
    ]);
    expect([...requests].sort()).toEqual(["HEAD /v2/team/app/manifests/1.0", "HEAD /v2/team/app/manifests/9.9", "HEAD /v2/team/multi/manifests/2.0"]);
    expect(client.stats()).toEqual({ requestsByRegistry: { [host]: 3 }, requests: 3, lookups: 3, cacheHits: 3 });
  });

  describe("why the client's Accept header lists all four manifest types (DESIGN: real parts in tests)", () => {
    it("answers 404 for the OCI index to an Accept header of only the Docker v2 type, and the index digest to the client's", async () => {
      const narrow = await raw("HEAD", "/v2/team/multi/manifests/2.0", DOCKER_MANIFEST);
      expect([narrow.status, narrow.digest]).toEqual([404, null]);
      const narrowGet = await raw("GET", "/v2/team/multi/manifests/2.0", DOCKER_MANIFEST);
      expect(narrowGet.status).toBe(404);
      expect(JSON.parse(narrowGet.body.toString("utf8"))).toEqual({
        errors: [{ code: "MANIFEST_UNKNOWN", message: "OCI index found, but accept header does not support OCI indexes" }],
      });

      const full = await raw("HEAD", "/v2/team/multi/manifests/2.0", CLIENT_ACCEPT);
      expect([full.status, full.digest, full.type]).toEqual([200, index.digest, OCI_INDEX]);
    });

    it("needs each type listed for its own kind: the index type alone serves the index, but rewrites a Docker v2 image to schema 1", async () => {
      const indexOnly = await raw("HEAD", "/v2/team/multi/manifests/2.0", OCI_INDEX);
      expect([indexOnly.status, indexOnly.digest, indexOnly.type]).toEqual([200, index.digest, OCI_INDEX]);

      // Without the v2 type, distribution converts a schema 2 image to a signed schema 1 manifest: another digest.
      const converted = await raw("HEAD", "/v2/team/app/manifests/1.0", OCI_INDEX);
      expect([converted.status, converted.type]).toEqual([200, SCHEMA1]);
      expect(converted.digest).toMatch(SHA256);
      expect(converted.digest).not.toBe(app.digest);

      const full = await raw("HEAD", "/v2/team/app/manifests/1.0", CLIENT_ACCEPT);
      expect([full.status, full.digest, full.type]).toEqual([200, app.digest, DOCKER_MANIFEST]);
    });
  });
});
