import type { FoundCredential } from "./credentials.js";
import { environmentPrefix } from "./credentials.js";
import { describeStatus, isRetryableStatus, type Transport } from "./transport.js";
import { parseWwwAuthenticate } from "./www-authenticate.js";

export type AuthAnswer = { ok: true; authorization: string } | { ok: false; reason: string; retryable: boolean };

export interface Authenticator {
  /** An `Authorization` value an earlier challenge in this run earned for this registry and scope. */
  cached(registry: string, scope: string): Promise<string | undefined>;
  /**
   * Answers a 401 from `registry`: Bearer → a token from the challenge's realm (sent Basic credentials when some are
   * configured), Basic → the configured user name and password. `stale` says the cached answer was just refused.
   */
  answer(registry: string, scope: string, challenge: string | null, stale: boolean): Promise<AuthAnswer>;
}

export function createAuthenticator(transport: Transport, findCredential: (registry: string) => Promise<FoundCredential | undefined>): Authenticator {
  /** Per registry and scope: the token request under way or done (failures are not kept). */
  const bearer = new Map<string, Promise<AuthAnswer>>();
  /** Registries that asked for Basic: the header to send them from the start. */
  const basic = new Map<string, string>();
  const keyOf = (registry: string, scope: string): string => `${registry}\n${scope}`;

  async function cached(registry: string, scope: string): Promise<string | undefined> {
    const known = basic.get(registry);
    if (known) return known;
    const pending = bearer.get(keyOf(registry, scope));
    const answer = pending ? await pending : undefined;
    return answer?.ok ? answer.authorization : undefined;
  }

  async function answer(registry: string, scope: string, header: string | null, stale: boolean): Promise<AuthAnswer> {
    const challenges = parseWwwAuthenticate(header ?? "");
    if (challenges.length === 0) {
      return { ok: false, reason: "the registry answered 401 (unauthorized) without a WWW-Authenticate challenge, so there is no way to log in", retryable: false };
    }
    const found = await findCredential(registry);
    const bearerChallenge = challenges.find((challenge) => challenge.scheme === "bearer");
    if (bearerChallenge) {
      const key = keyOf(registry, scope);
      if (stale) bearer.delete(key);
      let pending = bearer.get(key);
      if (!pending) {
        pending = fetchToken(registry, scope, bearerChallenge.params, found);
        bearer.set(key, pending);
        void pending.then((result) => {
          if (!result.ok && bearer.get(key) === pending) bearer.delete(key);
        });
      }
      return pending;
    }
    if (challenges.some((challenge) => challenge.scheme === "basic")) {
      if (!found) {
        const prefix = environmentPrefix(registry);
        return {
          ok: false,
          reason: `the registry asks for a user name and password (Basic), and none are configured for ${registry}: set ${prefix}_USERNAME and ${prefix}_PASSWORD, or run docker login`,
          retryable: false,
        };
      }
      if ("token" in found.credential) {
        return { ok: false, reason: `the registry asks for a user name and password (Basic), but the credentials for ${registry} from ${found.source} are a token`, retryable: false };
      }
      if (stale) basic.delete(registry);
      const authorization = basicAuthorization(found.credential.username, found.credential.password);
      basic.set(registry, authorization);
      return { ok: true, authorization };
    }
    const schemes = challenges.map((challenge) => challenge.scheme).join(", ");
    return { ok: false, reason: `the registry asks for an authentication scheme Shipshape does not support (${schemes})`, retryable: false };
  }

  async function fetchToken(registry: string, scope: string, params: Record<string, string>, found: FoundCredential | undefined): Promise<AuthAnswer> {
    if (found && "token" in found.credential) return { ok: true, authorization: `Bearer ${found.credential.token}` };
    const realmText = params["realm"];
    if (!realmText) return { ok: false, reason: "the registry asks for a Bearer token but its challenge names no realm to get one from", retryable: false };
    let realm: URL;
    try {
      realm = new URL(realmText);
    } catch {
      return { ok: false, reason: `the registry's token realm "${realmText}" is not a URL`, retryable: false };
    }
    if (params["service"]) realm.searchParams.append("service", params["service"]);
    for (const part of (params["scope"] ?? scope).split(" ")) if (part !== "") realm.searchParams.append("scope", part);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (found && "username" in found.credential) headers["Authorization"] = basicAuthorization(found.credential.username, found.credential.password);

    const outcome = await transport.send(registry, { url: realm.href, method: "GET", headers });
    const service = realm.host;
    if (outcome.kind === "failed") return { ok: false, reason: `getting a token from ${service} failed: ${outcome.reason}`, retryable: outcome.retryable };
    if (outcome.status === 401 || outcome.status === 403) {
      const reason = found
        ? `the token service at ${service} answered ${describeStatus(outcome.status)} to the credentials from ${found.source}`
        : `the token service at ${service} answered ${describeStatus(outcome.status)} to an anonymous request; the image may be private: configure credentials for ${registry}`;
      return { ok: false, reason, retryable: false };
    }
    if (outcome.status !== 200) {
      return { ok: false, reason: `the token service at ${service} answered ${describeStatus(outcome.status)}`, retryable: isRetryableStatus(outcome.status) };
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(outcome.body));
    } catch {
      return { ok: false, reason: `the token service at ${service} answered with something other than JSON`, retryable: false };
    }
    const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    const token = [record["token"], record["access_token"]].find((value): value is string => typeof value === "string" && value !== "");
    if (!token) return { ok: false, reason: `the token service at ${service} answered without a token`, retryable: false };
    return { ok: true, authorization: `Bearer ${token}` };
  }

  return { cached, answer };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}
