import nock from "nock";
import { describe, expect, it } from "vitest";
import { allowsPlainHttp, parseRetryAfter } from "../../src/registry/transport.js";
import { ACCEPT, DIGEST_A, record, ref, testClient, useNock } from "./helpers.js";

useNock();

describe("retries", () => {
  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    const scope = nock("https://registry.example.com")
      .head("/v2/app/manifests/1")
      .reply(429, undefined, { "Retry-After": "2" })
      .head("/v2/app/manifests/1")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const requests = record(scope);
    const { client, sleeps } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(sleeps).toEqual([2000]);
    expect(requests).toHaveLength(2);
    expect(client.stats().requestsByRegistry).toEqual({ "registry.example.com": 2 });
  });

  it("reads a Retry-After date against the injected clock", async () => {
    const at = "Wed, 21 Oct 2026 07:28:00 GMT";
    nock("https://registry.example.com")
      .head("/v2/app/manifests/1")
      .reply(503, undefined, { "Retry-After": at })
      .head("/v2/app/manifests/1")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const { client, sleeps } = testClient({ now: () => Date.parse(at) - 7_000 });

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(sleeps).toEqual([7000]);
  });

  it("backs off exponentially after 503s and gives up after the retry limit", async () => {
    const scope = nock("https://registry.example.com").head("/v2/app/manifests/1").times(4).reply(503);
    const requests = record(scope);
    const { client, sleeps } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason: "registry.example.com/app:1: the registry answered 503 (service unavailable) on all 4 attempts; giving up",
      retryable: true,
    });
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(requests).toHaveLength(4);
  });

  it("follows the retries and back-off options", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/1").times(2).reply(502);
    const { client, sleeps } = testClient({ retries: 1, backoffMs: 10 });

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason: "registry.example.com/app:1: the registry answered 502 (bad gateway) on all 2 attempts; giving up",
      retryable: true,
    });
    expect(sleeps).toEqual([10]);
  });

  it("does not wait for a Retry-After longer than the cap", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/1").reply(429, undefined, { "Retry-After": "3600" });
    const { client, sleeps } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason: "registry.example.com/app:1: the registry answered 429 (too many requests) and asked to wait 3600 s, longer than the 60 s Shipshape waits",
      retryable: true,
    });
    expect(sleeps).toEqual([]);
  });

  it("retries network errors, then names the error", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/1").times(4).replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    const { client, sleeps } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason: "registry.example.com/app:1: could not reach registry.example.com (ECONNRESET), on all 4 attempts; not asked again in this run",
      retryable: true,
    });
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it("does not wait again for a registry that never answered: other images there fail at once, other registries are asked", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/1").times(2).replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    const other = nock("https://ghcr.io").head("/v2/acme/app/manifests/1").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const { client, sleeps } = testClient({ retries: 1 });

    const dead = "could not reach registry.example.com (ECONNRESET), on all 2 attempts; not asked again in this run";
    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({ ok: false, reason: `registry.example.com/app:1: ${dead}`, retryable: true });
    expect(await client.resolveDigest(ref("registry.example.com/app:2"))).toEqual({ ok: false, reason: `registry.example.com/app:2: ${dead}`, retryable: true });
    expect(await client.resolveDigest(ref("ghcr.io/acme/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(sleeps).toEqual([500]);
    expect(client.stats().requestsByRegistry).toEqual({ "ghcr.io": 1, "registry.example.com": 2 });
    expect(other.isDone()).toBe(true);
  });

  it.each(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"])("does not retry %s: the registry cannot be reached from here, and is not asked again", async (code) => {
    const scope = nock("https://registry.example.com").head("/v2/app/manifests/1").replyWithError({ code, message: `connect ${code}` });
    const requests = record(scope);
    const { client, sleeps } = testClient();

    const reason = `could not reach registry.example.com (${code}); not asked again in this run`;
    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({ ok: false, reason: `registry.example.com/app:1: ${reason}`, retryable: true });
    expect(await client.resolveDigest(ref("registry.example.com/app:2"))).toEqual({ ok: false, reason: `registry.example.com/app:2: ${reason}`, retryable: true });
    expect([requests.length, sleeps]).toEqual([1, []]);
  });

  it("does not retry a 404", async () => {
    const scope = nock("https://registry.example.com").head("/v2/app/manifests/1").reply(404);
    const requests = record(scope);
    const { client, sleeps } = testClient();

    expect((await client.resolveDigest(ref("registry.example.com/app:1"))).ok).toBe(false);
    expect([requests.length, sleeps]).toEqual([1, []]);
  });

  it("gives up on a registry that does not answer within the timeout, as retryable", async () => {
    const scope = nock("https://registry.example.com")
      .head("/v2/app/manifests/1")
      .times(2)
      .delay(400)
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const requests = record(scope);
    const { client, sleeps } = testClient({ timeoutMs: 50, retries: 1 });

    const started = Date.now();
    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason: "registry.example.com/app:1: registry.example.com did not answer within 50 ms, on all 2 attempts; not asked again in this run",
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(350);
    expect([requests.length, sleeps]).toEqual([2, [500]]);
  });
});

describe("plain HTTP", () => {
  it.each([
    ["127.0.0.1:5000/app:1", "http://127.0.0.1:5000"],
    ["localhost:5000/app:1", "http://localhost:5000"],
    ["localhost/app:1", "http://localhost"],
    ["127.1.2.3/app:1", "http://127.1.2.3"],
    ["[::1]:5000/app:1", "http://[::1]:5000"],
  ])("talks plain HTTP to the loopback registry of %s", async (image, origin) => {
    const scope = nock(origin).head("/v2/app/manifests/1").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const requests = record(scope);
    const { client } = testClient();

    expect(await client.resolveDigest(ref(image))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests).toEqual([{ method: "HEAD", url: `${origin}/v2/app/manifests/1`, headers: { accept: ACCEPT } }]);
  });

  it("talks plain HTTP to a registry listed as insecure, and HTTPS to every other", async () => {
    const insecure = nock("http://registry.internal:5000").head("/v2/app/manifests/1").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const secure = nock("https://registry.example.com").head("/v2/app/manifests/1").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const plainPublic = nock("http://registry.example.com").head("/v2/app/manifests/1").reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const { client } = testClient({ insecureRegistries: ["registry.internal:5000"] });

    expect(await client.resolveDigest(ref("registry.internal:5000/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect([insecure.isDone(), secure.isDone(), plainPublic.isDone()]).toEqual([true, true, false]);
    nock.cleanAll(); // the plain-HTTP interceptor was never meant to be used
  });

  it("refuses a token realm on plain HTTP for a public host, sending it nothing", async () => {
    nock("https://registry.example.com")
      .head("/v2/app/manifests/1")
      .reply(401, undefined, { "WWW-Authenticate": 'Bearer realm="http://auth.example.com/token",service="registry.example.com"' });
    const { client } = testClient({ credentials: { "registry.example.com": { username: "u", password: "p" } } });

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason:
        "registry.example.com/app:1: getting a token from auth.example.com failed: was asked to use plain HTTP at auth.example.com; " +
        "Shipshape uses plain HTTP only for loopback hosts and registries listed as insecure",
      retryable: false,
    });
    expect(client.stats().requests).toBe(1);
  });

  it("refuses a redirect from HTTPS to plain HTTP for a public host", async () => {
    nock("https://registry.example.com").head("/v2/app/manifests/1").reply(307, undefined, { Location: "http://mirror.example.com/v2/app/manifests/1" });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({
      ok: false,
      reason:
        "registry.example.com/app:1: was redirected to plain HTTP at mirror.example.com; Shipshape uses plain HTTP only for loopback hosts and registries listed as insecure",
      retryable: false,
    });
  });

  it("follows an HTTPS redirect, keeping credentials from the other host", async () => {
    const registry = nock("https://registry.example.com")
      .head("/v2/app/manifests/1")
      .reply(401, undefined, { "WWW-Authenticate": 'Basic realm="r"' })
      .head("/v2/app/manifests/1")
      .reply(307, undefined, { Location: "https://mirror.example.com/v2/app/manifests/1?signed=abc" });
    const mirror = nock("https://mirror.example.com").head("/v2/app/manifests/1").query({ signed: "abc" }).reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const requests = record(registry, mirror);
    const { client } = testClient({ credentials: { "registry.example.com": { username: "u", password: "p" } } });

    expect(await client.resolveDigest(ref("registry.example.com/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests.map((request) => [request.url, request.headers["authorization"]])).toEqual([
      ["https://registry.example.com/v2/app/manifests/1", undefined],
      ["https://registry.example.com/v2/app/manifests/1", "Basic " + Buffer.from("u:p").toString("base64")],
      ["https://mirror.example.com/v2/app/manifests/1?signed=abc", undefined],
    ]);
    expect(client.stats().requestsByRegistry).toEqual({ "registry.example.com": 3 });
  });
});

describe("allowsPlainHttp", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST:5000", true],
    ["127.0.0.1", true],
    ["127.255.0.9:80", true],
    ["[::1]", true],
    ["[::1]:5000", true],
    ["128.0.0.1", false],
    ["127.0.0.1.example.com", false],
    ["localhost.example.com", false],
    ["[::2]:5000", false],
    ["registry.example.com", false],
    ["registry.internal:5000", true],
    ["registry.internal:6000", false],
    ["lab.example.com:1234", true],
  ])("%s → %s", (host, expected) => {
    expect(allowsPlainHttp(host, ["registry.internal:5000", "lab.example.com"])).toBe(expected);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["2", 2000],
    [" 0 ", 0],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["1.5", undefined],
    ["soon", undefined],
    [null, undefined],
  ])("%s → %s ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
