import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCredentialFinder, defaultDockerConfigPath, environmentPrefix, readDockerConfig, registryKey } from "../../src/registry/credentials.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "shipshape-credentials-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const basic64 = (text: string): string => Buffer.from(text).toString("base64");

describe("names", () => {
  it.each([
    ["ghcr.io", "SHIPSHAPE_REGISTRY_GHCR_IO"],
    ["localhost:5000", "SHIPSHAPE_REGISTRY_LOCALHOST_5000"],
    ["docker.io", "SHIPSHAPE_REGISTRY_DOCKER_IO"],
    ["my-registry.example.com:8443", "SHIPSHAPE_REGISTRY_MY_REGISTRY_EXAMPLE_COM_8443"],
    ["[::1]:5000", "SHIPSHAPE_REGISTRY____1__5000"],
  ])("the environment prefix of %s is %s", (registry, prefix) => {
    expect(environmentPrefix(registry)).toBe(prefix);
  });

  it.each([
    ["https://index.docker.io/v1/", "docker.io"],
    ["registry-1.docker.io", "docker.io"],
    ["https://GHCR.io", "ghcr.io"],
    ["localhost:5000", "localhost:5000"],
  ])("config key %s names registry %s", (key, registry) => {
    expect(registryKey(key)).toBe(registry);
  });

  it("finds Docker's config in DOCKER_CONFIG, else in the home directory", () => {
    expect(defaultDockerConfigPath({ DOCKER_CONFIG: "/etc/docker-ci" })).toBe("/etc/docker-ci/config.json");
    expect(defaultDockerConfigPath({})).toBe(join(homedir(), ".docker", "config.json"));
  });
});

describe("readDockerConfig", () => {
  it("reads auth strings and username/password fields, and skips entries kept in a credential store", async () => {
    const path = join(dir, "config.json");
    await writeFile(
      path,
      JSON.stringify({
        auths: {
          "https://index.docker.io/v1/": { auth: basic64("alice:pa:ss") },
          "quay.io": { username: "robot+ci", password: "quay-secret" },
          "ghcr.io": {},
          "registry.example.com": { auth: "" },
        },
        credsStore: "desktop",
      }),
    );
    expect([...(await readDockerConfig(path))]).toEqual([
      ["docker.io", { username: "alice", password: "pa:ss" }],
      ["quay.io", { username: "robot+ci", password: "quay-secret" }],
    ]);
  });

  it("takes a missing file as no credentials, silently", async () => {
    const logs: string[] = [];
    expect((await readDockerConfig(join(dir, "missing.json"), (message) => logs.push(message))).size).toBe(0);
    expect(logs).toEqual([]);
  });

  it("warns about a file that is not JSON and goes on without it", async () => {
    const path = join(dir, "config.json");
    await writeFile(path, '{"auths": {"ghcr.io": {"auth": "c2VjcmV0OnNlY3JldA=="}');
    const logs: string[] = [];
    expect((await readDockerConfig(path, (message) => logs.push(message))).size).toBe(0);
    expect(logs).toEqual([`Docker config ${path} is not valid JSON; going on without it`]);
  });
});

describe("createCredentialFinder", () => {
  it("prefers the option, then the environment, then config.json, then the GitHub token", async () => {
    const path = join(dir, "config.json");
    await writeFile(path, JSON.stringify({ auths: { "ghcr.io": { auth: basic64("from-config:c") }, "quay.io": { auth: basic64("q:c") } } }));
    const env = {
      SHIPSHAPE_REGISTRY_GHCR_IO_USERNAME: "from-env",
      SHIPSHAPE_REGISTRY_GHCR_IO_PASSWORD: "e",
      SHIPSHAPE_REGISTRY_QUAY_IO_USERNAME: "only-a-name",
      GITHUB_TOKEN: "ghp_env",
    };
    const everything = createCredentialFinder({ credentials: { "https://ghcr.io": { token: "t" } }, env, dockerConfigPath: path });
    expect(await everything("ghcr.io")).toEqual({ credential: { token: "t" }, source: "the credentials option" });

    const noOption = createCredentialFinder({ env, dockerConfigPath: path });
    expect(await noOption("ghcr.io")).toEqual({ credential: { username: "from-env", password: "e" }, source: "SHIPSHAPE_REGISTRY_GHCR_IO_USERNAME/_PASSWORD" });
    // A user name without a password is not a credential: config.json answers.
    expect(await noOption("quay.io")).toEqual({ credential: { username: "q", password: "c" }, source: path });

    const configOnly = createCredentialFinder({ env: { GITHUB_TOKEN: "ghp_env" }, dockerConfigPath: path });
    expect(await configOnly("ghcr.io")).toEqual({ credential: { username: "from-config", password: "c" }, source: path });

    const tokenOnly = createCredentialFinder({ env: { GITHUB_TOKEN: "ghp_env" }, dockerConfigPath: join(dir, "none.json") });
    expect(await tokenOnly("ghcr.io")).toEqual({ credential: { username: "x-access-token", password: "ghp_env" }, source: "GITHUB_TOKEN" });
    expect(await tokenOnly("quay.io")).toBeUndefined();

    const option = createCredentialFinder({ githubToken: "ghp_option", env: { GITHUB_TOKEN: "ghp_env" }, dockerConfigPath: join(dir, "none.json") });
    expect(await option("ghcr.io")).toEqual({ credential: { username: "x-access-token", password: "ghp_option" }, source: "the githubToken option" });
  });
});
