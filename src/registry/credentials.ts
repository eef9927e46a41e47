import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RegistryCredential } from "./types.js";

export interface FoundCredential {
  credential: RegistryCredential;
  /** Where it came from, for logs: never the secret itself. */
  source: string;
}

export interface CredentialSources {
  credentials?: Record<string, RegistryCredential>;
  githubToken?: string;
  env: Record<string, string | undefined>;
  dockerConfigPath?: string;
  log?: (message: string) => void;
}

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** The registry a credential key names: scheme and path dropped, lower case, Docker Hub's aliases as "docker.io". */
export function registryKey(key: string): string {
  const host = key.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/\/.*$/, "");
  return DOCKER_HUB_HOSTS.has(host) ? "docker.io" : host;
}

/** `SHIPSHAPE_REGISTRY_GHCR_IO` for "ghcr.io", `SHIPSHAPE_REGISTRY_LOCALHOST_5000` for "localhost:5000". */
export function environmentPrefix(registry: string): string {
  return `SHIPSHAPE_REGISTRY_${registryKey(registry).toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export function defaultDockerConfigPath(env: Record<string, string | undefined>): string {
  const dir = env["DOCKER_CONFIG"];
  return dir ? join(dir, "config.json") : join(homedir(), ".docker", "config.json");
}

/**
 * Finds the credentials for a registry, first match wins: the `credentials` option, then
 * `SHIPSHAPE_REGISTRY_<HOST>_USERNAME`/`_PASSWORD`, then Docker's config.json, then (for ghcr.io)
 * the `githubToken` option or `GITHUB_TOKEN`. Reads config.json at most once.
 */
export function createCredentialFinder(sources: CredentialSources): (registry: string) => Promise<FoundCredential | undefined> {
  const explicit = new Map<string, RegistryCredential>();
  for (const [key, credential] of Object.entries(sources.credentials ?? {})) explicit.set(registryKey(key), credential);
  const configPath = sources.dockerConfigPath ?? defaultDockerConfigPath(sources.env);
  let dockerConfig: Promise<Map<string, RegistryCredential>> | undefined;

  return async (registry) => {
    const key = registryKey(registry);
    const given = explicit.get(key);
    if (given) return { credential: given, source: "the credentials option" };

    const prefix = environmentPrefix(key);
    const username = sources.env[`${prefix}_USERNAME`];
    const password = sources.env[`${prefix}_PASSWORD`];
    if (username && password) return { credential: { username, password }, source: `${prefix}_USERNAME/_PASSWORD` };

    dockerConfig ??= readDockerConfig(configPath, sources.log);
    const fromConfig = (await dockerConfig).get(key);
    if (fromConfig) return { credential: fromConfig, source: configPath };

    if (key === "ghcr.io") {
      if (sources.githubToken) return { credential: { username: "x-access-token", password: sources.githubToken }, source: "the githubToken option" };
      const token = sources.env["GITHUB_TOKEN"];
      if (token) return { credential: { username: "x-access-token", password: token }, source: "GITHUB_TOKEN" };
    }
    return undefined;
  };
}

/** `auths` of a Docker config.json, by registry. A missing file gives none; an unreadable one gives none and a warning. */
export async function readDockerConfig(path: string, log?: (message: string) => void): Promise<Map<string, RegistryCredential>> {
  const found = new Map<string, RegistryCredential>();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") log?.(`Docker config ${path} could not be read (${code ?? "unknown error"}); going on without it`);
    return found;
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    log?.(`Docker config ${path} is not valid JSON; going on without it`);
    return found;
  }
  const auths = isObject(config) && isObject(config["auths"]) ? config["auths"] : {};
  for (const [key, entry] of Object.entries(auths)) {
    if (!isObject(entry)) continue;
    const credential = credentialOfEntry(entry);
    const registry = registryKey(key);
    if (credential && !found.has(registry)) found.set(registry, credential);
  }
  return found;
}

function credentialOfEntry(entry: Record<string, unknown>): RegistryCredential | undefined {
  if (typeof entry["auth"] === "string" && entry["auth"] !== "") {
    const decoded = Buffer.from(entry["auth"], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry["username"] === "string" && typeof entry["password"] === "string" && entry["username"] !== "") {
    return { username: entry["username"], password: entry["password"] };
  }
  if (typeof entry["registrytoken"] === "string" && entry["registrytoken"] !== "") return { token: entry["registrytoken"] };
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
