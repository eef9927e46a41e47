import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACCEPT, DIGEST_A, DIGEST_B, OCI_INDEX, record, ref, testClient, useNock } from "./helpers.js";

useNock();

const basic = (user: string, password: string): string => "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const EXAMPLE_CHALLENGE = 'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull"';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "shipshape-registry-auth-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** registry.example.com/team/app:2.0 behind auth.example.com, whose token arrives in `tokenField`. */
function exampleTokenFlow(tokenField: "token" | "access_token"): { requests: ReturnType<typeof record> } {
  const registry = nock("https://registry.example.com")
    .head("/v2/team/app/manifests/2.0")
    .reply(401, undefined, { "WWW-Authenticate": EXAMPLE_CHALLENGE })
    .head("/v2/team/app/manifests/2.0")
    .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
  const tokens = nock("https://auth.example.com")
    .get("/token")
    .query({ service: "registry.example.com", scope: "repository:team/app:pull" })
    .reply(200, { [tokenField]: "registry-token-1" });
  return { requests: record(registry, tokens) };
}

function expectedTokenFlow(authorization?: string): object[] {
  return [
    { method: "HEAD", url: "https://registry.example.com/v2/team/app/manifests/2.0", headers: { accept: ACCEPT } },
    {
      method: "GET",
      url: "https://auth.example.com/token?service=registry.example.com&scope=repository%3Ateam%2Fapp%3Apull",
      headers: authorization ? { accept: "application/json", authorization } : { accept: "application/json" },
    },
    {
      method: "HEAD",
      url: "https://registry.example.com/v2/team/app/manifests/2.0",
      headers: { accept: ACCEPT, authorization: "Bearer registry-token-1" },
    },
  ];
}

describe("GHCR", () => {
  it.each([
    ["the githubToken option", { githubToken: "ghp_option_token" }, "ghp_option_token"],
    ["GITHUB_TOKEN", { env: { GITHUB_TOKEN: "ghp_env_token" } }, "ghp_env_token"],
  ])("logs in to the token service with the GitHub token from %s", async (_source, options, token) => {
    const registry = nock("https://ghcr.io")
      .head("/v2/acme/web/manifests/1.4")
      .reply(401, undefined, { "WWW-Authenticate": 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/web:pull"' })
      .get("/token")
      .query({ service: "ghcr.io", scope: "repository:acme/web:pull" })
      .reply(200, { token: "ghcr-registry-token" })
      .head("/v2/acme/web/manifests/1.4")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A, "Content-Type": OCI_INDEX });
    const requests = record(registry);
    const { client } = testClient(options);

    expect(await client.resolveDigest(ref("ghcr.io/acme/web:1.4"))).toEqual({ ok: true, digest: DIGEST_A, mediaType: OCI_INDEX });
    expect(requests).toEqual([
      { method: "HEAD", url: "https://ghcr.io/v2/acme/web/manifests/1.4", headers: { accept: ACCEPT } },
      {
        method: "GET",
        url: "https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fweb%3Apull",
        headers: { accept: "application/json", authorization: basic("x-access-token", token) },
      },
      { method: "HEAD", url: "https://ghcr.io/v2/acme/web/manifests/1.4", headers: { accept: ACCEPT, authorization: "Bearer ghcr-registry-token" } },
    ]);
  });

  it("says the token service refused the credentials, naming where they came from and not what they are", async () => {
    nock("https://ghcr.io")
      .head("/v2/acme/private/manifests/1.0")
      .reply(401, undefined, { "WWW-Authenticate": 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/private:pull"' })
      .get("/token")
      .query(true)
      .reply(403, { errors: [{ code: "DENIED", message: "requested access to the resource is denied" }] });
    const { client, logs } = testClient({ env: { GITHUB_TOKEN: "ghp_secret_value" } });

    const result = await client.resolveDigest(ref("ghcr.io/acme/private:1.0"));
    expect(result).toEqual({
      ok: false,
      reason: "ghcr.io/acme/private:1.0: the token service at ghcr.io answered 403 (forbidden) to the credentials from GITHUB_TOKEN",
      retryable: false,
    });
    expect(JSON.stringify({ result, logs })).not.toContain("ghp_secret_value");
  });
});

describe("Bearer tokens", () => {
  it("reads access_token when the service sends no token", async () => {
    const { requests } = exampleTokenFlow("access_token");
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests).toEqual(expectedTokenFlow());
  });

  it("sends the user name and password from config.json to the token service", async () => {
    const configPath = join(dir, "config.json");
    await writeFile(configPath, JSON.stringify({ auths: { "registry.example.com": { auth: Buffer.from("alice:s3cret").toString("base64") } } }));
    const { requests } = exampleTokenFlow("token");
    const { client } = testClient({ dockerConfigPath: configPath });

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests).toEqual(expectedTokenFlow(basic("alice", "s3cret")));
  });

  it("sends Docker Hub credentials from config.json under index.docker.io's key", async () => {
    const configPath = join(dir, "config.json");
    await writeFile(configPath, JSON.stringify({ auths: { "https://index.docker.io/v1/": { username: "hubuser", password: "hub-pat" } } }));
    const hub = nock("https://registry-1.docker.io")
      .head("/v2/library/nginx/manifests/1.25")
      .reply(401, undefined, {
        "WWW-Authenticate": 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      })
      .head("/v2/library/nginx/manifests/1.25")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const auth = nock("https://auth.docker.io").get("/token").query({ service: "registry.docker.io", scope: "repository:library/nginx:pull" }).reply(200, { token: "t" });
    const requests = record(auth);
    const { client } = testClient({ dockerConfigPath: configPath });

    expect(await client.resolveDigest(ref("nginx:1.25"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests.map((request) => request.headers["authorization"])).toEqual([basic("hubuser", "hub-pat")]);
    expect(hub.isDone()).toBe(true);
  });

  it("sends credentials from SHIPSHAPE_REGISTRY_<HOST>_USERNAME and _PASSWORD", async () => {
    const { requests } = exampleTokenFlow("token");
    const { client } = testClient({
      env: { SHIPSHAPE_REGISTRY_REGISTRY_EXAMPLE_COM_USERNAME: "ci-bot", SHIPSHAPE_REGISTRY_REGISTRY_EXAMPLE_COM_PASSWORD: "env-secret" },
    });

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests).toEqual(expectedTokenFlow(basic("ci-bot", "env-secret")));
  });

  it("sends a configured registry token as the Bearer token, without asking a token service", async () => {
    const registry = nock("https://registry.example.com")
      .head("/v2/team/app/manifests/2.0")
      .reply(401, undefined, { "WWW-Authenticate": EXAMPLE_CHALLENGE })
      .head("/v2/team/app/manifests/2.0")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    const requests = record(registry);
    const { client } = testClient({ credentials: { "registry.example.com": { token: "ready-token" } } });

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(requests.map((request) => request.headers["authorization"])).toEqual([undefined, "Bearer ready-token"]);
  });

  it("takes the scope from the client when the challenge names none, and reads an unquoted lower-case challenge", async () => {
    nock("https://registry.example.com")
      .head("/v2/team/app/manifests/2.0")
      .reply(401, undefined, { "WWW-Authenticate": "bearer realm=https://auth.example.com/token , service=registry.example.com" })
      .head("/v2/team/app/manifests/2.0")
      .matchHeader("authorization", "Bearer from-lenient")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A });
    nock("https://auth.example.com")
      .get("/token")
      .query({ service: "registry.example.com", scope: "repository:team/app:pull" })
      .reply(200, { token: "from-lenient" });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({ ok: true, digest: DIGEST_A });
  });

  it("gets one token per repository, shared by concurrent look-ups", async () => {
    const challenge = (repository: string): string => `Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:${repository}:pull"`;
    nock("https://registry.example.com")
      .head(/^\/v2\/team\/(app|api)\/manifests\/\d$/)
      .times(4)
      .reply(function () {
        const repository = this.req.path.split("/").slice(2, 4).join("/");
        return [401, "", { "WWW-Authenticate": challenge(repository) }];
      })
      .head(/^\/v2\/team\/(app|api)\/manifests\/\d$/)
      .times(4)
      .reply(function () {
        const repository = this.req.path.split("/").slice(2, 4).join("/");
        return this.req.headers["authorization"] === `Bearer token-for-${repository}` ? [200, "", { "Docker-Content-Digest": repository === "team/app" ? DIGEST_A : DIGEST_B }] : [401, ""];
      });
    const tokens = nock("https://auth.example.com")
      .get("/token")
      .times(2)
      .query(true)
      .reply((uri) => [200, { token: `token-for-${new URL(uri, "https://auth.example.com").searchParams.get("scope")!.split(":")[1]}` }]);
    const tokenRequests = record(tokens);
    const { client } = testClient();

    const results = await Promise.all(
      ["app:1", "app:2", "api:1", "api:2"].map((name) => client.resolveDigest(ref(`registry.example.com/team/${name}`))),
    );

    expect(results).toEqual([
      { ok: true, digest: DIGEST_A },
      { ok: true, digest: DIGEST_A },
      { ok: true, digest: DIGEST_B },
      { ok: true, digest: DIGEST_B },
    ]);
    expect(tokenRequests.map((request) => request.url).sort()).toEqual([
      "https://auth.example.com/token?service=registry.example.com&scope=repository%3Ateam%2Fapi%3Apull",
      "https://auth.example.com/token?service=registry.example.com&scope=repository%3Ateam%2Fapp%3Apull",
    ]);
    expect(client.stats().requests).toBe(10);
  });

  it("gets a new token when the registry refuses the one this run kept", async () => {
    const registry = nock("https://registry.example.com")
      .head("/v2/team/app/manifests/2.0")
      .reply(401, undefined, { "WWW-Authenticate": EXAMPLE_CHALLENGE })
      .head("/v2/team/app/manifests/2.0")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A })
      .head("/v2/team/app/manifests/2.1")
      .reply(401, undefined, { "WWW-Authenticate": `${EXAMPLE_CHALLENGE},error="invalid_token"` })
      .head("/v2/team/app/manifests/2.1")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_B });
    const tokens = nock("https://auth.example.com")
      .get("/token")
      .query(true)
      .reply(200, { token: "first-token" })
      .get("/token")
      .query(true)
      .reply(200, { token: "second-token" });
    const requests = record(registry, tokens);
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.1"))).toEqual({ ok: true, digest: DIGEST_B });
    expect(requests.map((request) => `${request.method} ${request.url.replace(/\?.*/, "")} ${request.headers["authorization"] ?? "-"}`)).toEqual([
      "HEAD https://registry.example.com/v2/team/app/manifests/2.0 -",
      "GET https://auth.example.com/token -",
      "HEAD https://registry.example.com/v2/team/app/manifests/2.0 Bearer first-token",
      "HEAD https://registry.example.com/v2/team/app/manifests/2.1 Bearer first-token",
      "GET https://auth.example.com/token -",
      "HEAD https://registry.example.com/v2/team/app/manifests/2.1 Bearer second-token",
    ]);
  });

  it("says so when the registry still refuses after authenticating", async () => {
    nock("https://registry.example.com")
      .head("/v2/team/app/manifests/2.0")
      .reply(401, undefined, { "WWW-Authenticate": EXAMPLE_CHALLENGE })
      .head("/v2/team/app/manifests/2.0")
      .reply(401, undefined, { "WWW-Authenticate": EXAMPLE_CHALLENGE });
    nock("https://auth.example.com").get("/token").query(true).reply(200, { token: "weak-token" });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({
      ok: false,
      reason:
        "registry.example.com/team/app:2.0: the registry answered 401 (unauthorized) after authenticating: the repository does not exist, or it is private and the credentials do not reach it",
      retryable: false,
    });
  });

  it("says so when the token service answers without a token", async () => {
    nock("https://registry.example.com").head("/v2/team/app/manifests/2.0").reply(401, undefined, { "WWW-Authenticate": EXAMPLE_CHALLENGE });
    nock("https://auth.example.com").get("/token").query(true).reply(200, { details: "none" });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({
      ok: false,
      reason: "registry.example.com/team/app:2.0: the token service at auth.example.com answered without a token",
      retryable: false,
    });
  });
});

describe("Basic", () => {
  it("answers a Basic challenge with the configured credentials, then sends them from the start", async () => {
    const registry = nock("https://registry.example.com")
      .head("/v2/team/app/manifests/1")
      .reply(401, undefined, { "WWW-Authenticate": 'Basic realm="Registry Realm"' })
      .head("/v2/team/app/manifests/1")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_A })
      .head("/v2/team/other/manifests/2")
      .reply(200, undefined, { "Docker-Content-Digest": DIGEST_B });
    const requests = record(registry);
    const { client } = testClient({ credentials: { "registry.example.com": { username: "bob", password: "hunter2" } } });

    expect(await client.resolveDigest(ref("registry.example.com/team/app:1"))).toEqual({ ok: true, digest: DIGEST_A });
    expect(await client.resolveDigest(ref("registry.example.com/team/other:2"))).toEqual({ ok: true, digest: DIGEST_B });
    expect(requests).toEqual([
      { method: "HEAD", url: "https://registry.example.com/v2/team/app/manifests/1", headers: { accept: ACCEPT } },
      { method: "HEAD", url: "https://registry.example.com/v2/team/app/manifests/1", headers: { accept: ACCEPT, authorization: basic("bob", "hunter2") } },
      { method: "HEAD", url: "https://registry.example.com/v2/team/other/manifests/2", headers: { accept: ACCEPT, authorization: basic("bob", "hunter2") } },
    ]);
  });

  it("says which settings to give when a Basic challenge finds no credentials", async () => {
    nock("https://registry.example.com").head("/v2/team/app/manifests/1").reply(401, undefined, { "WWW-Authenticate": 'basic realm="Registry Realm"' });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:1"))).toEqual({
      ok: false,
      reason:
        "registry.example.com/team/app:1: the registry asks for a user name and password (Basic), and none are configured for registry.example.com: " +
        "set SHIPSHAPE_REGISTRY_REGISTRY_EXAMPLE_COM_USERNAME and SHIPSHAPE_REGISTRY_REGISTRY_EXAMPLE_COM_PASSWORD, or run docker login",
      retryable: false,
    });
  });
});

describe("401 without a usable challenge", () => {
  it("says there is no way to log in when the 401 has no WWW-Authenticate", async () => {
    const scope = nock("https://registry.example.com").head("/v2/team/app/manifests/2.0").reply(401);
    const requests = record(scope);
    const { client } = testClient({ credentials: { "registry.example.com": { username: "u", password: "p" } } });

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({
      ok: false,
      reason: "registry.example.com/team/app:2.0: the registry answered 401 (unauthorized) without a WWW-Authenticate challenge, so there is no way to log in",
      retryable: false,
    });
    expect(requests).toHaveLength(1);
  });

  it("names a scheme it does not support", async () => {
    nock("https://registry.example.com").head("/v2/team/app/manifests/2.0").reply(401, undefined, { "WWW-Authenticate": "Negotiate" });
    const { client } = testClient();

    expect(await client.resolveDigest(ref("registry.example.com/team/app:2.0"))).toEqual({
      ok: false,
      reason: "registry.example.com/team/app:2.0: the registry asks for an authentication scheme Shipshape does not support (negotiate)",
      retryable: false,
    });
  });
});
