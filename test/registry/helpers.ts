import nock from "nock";
import { afterEach, beforeAll, afterAll, expect } from "vitest";
import { parseImageReference, type ImageReference } from "../../src/images/reference.js";
import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from "../../src/registry/client.js";

/** Written out here rather than imported, so a change to the client's Accept header fails the tests. */
export const ACCEPT =
  "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, " +
  "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DIGEST_A = "sha256:" + "a".repeat(64);
export const DIGEST_B = "sha256:" + "b".repeat(64);
export const MISSING_CONFIG = "/nonexistent/shipshape-registry-test/config.json";

export function ref(image: string): ImageReference {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(`${image}: ${parsed.reason}`);
  return parsed.reference;
}

export interface Recorded {
  method: string;
  url: string;
  /** The request's headers without Host (the URL says it). */
  headers: Record<string, string>;
}

/** Every request the scopes answer, in the order they were made. */
export function record(...scopes: nock.Scope[]): Recorded[] {
  const requests: Recorded[] = [];
  for (const scope of scopes) {
    scope.on("request", (req: { method: string; headers: Record<string, string>; options: { href: string } }) => {
      const { host: _host, ...headers } = req.headers;
      requests.push({ method: req.method, url: req.options.href, headers: { ...headers } });
    });
  }
  return requests;
}

export interface TestClient {
  client: RegistryClient;
  sleeps: number[];
  logs: string[];
}

/** A client that reads no real environment or Docker config, and records its sleeps instead of waiting. */
export function testClient(options: RegistryClientOptions = {}): TestClient {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const client = createRegistryClient({
    env: {},
    dockerConfigPath: MISSING_CONFIG,
    sleep: async (ms) => void sleeps.push(ms),
    log: (message) => void logs.push(message),
    ...options,
  });
  return { client, sleeps, logs };
}

/** Each test file: no real network, and every interceptor a test sets up must be used. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}
