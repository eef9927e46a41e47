import { pino, type Logger } from "pino";
import { describe, expect, it } from "vitest";
import { redactingLogger, scrubSecrets } from "../../src/app/logger.js";

/** A pino logger writing JSON lines into memory, without time, pid or hostname. */
function memoryLogger(level = "info"): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const log = pino({ level, base: undefined, timestamp: false }, { write: (chunk: string) => void chunks.push(chunk) });
  return { log, lines: () => chunks.join("").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const R = "[redacted]";

describe("redactingLogger", () => {
  it("redacts top-level secrets and keeps every other field", () => {
    const { log, lines } = memoryLogger();
    redactingLogger(log).info(
      { token: "ghs_a", installationToken: "ghs_b", privateKey: "pem", secret: "s", webhookSecret: "w", password: "p", installationId: 42, repo: "acme/gitops" },
      "created token",
    );
    expect(lines()).toEqual([
      { level: 30, token: R, installationToken: R, privateKey: R, secret: R, webhookSecret: R, password: R, installationId: 42, repo: "acme/gitops", msg: "created token" },
    ]);
  });

  it("redacts the same keys one level down", () => {
    const { log, lines } = memoryLogger();
    redactingLogger(log).warn({
      installation: { id: 7, token: "ghs_c", installationToken: "ghs_d" },
      auth: { user: "bot", password: "p", secret: "s" },
      options: { appId: 1, privateKey: "pem" },
      config: { appId: 2, privateKey: "pem2" },
    });
    expect(lines()).toEqual([
      {
        level: 40,
        installation: { id: 7, token: R, installationToken: R },
        auth: { user: "bot", password: R, secret: R },
        options: { appId: 1, privateKey: R },
        config: { appId: 2, privateKey: R },
      },
    ]);
  });

  it("redacts authorization headers on requests, leaving the other headers", () => {
    const { log, lines } = memoryLogger();
    redactingLogger(log).error({
      headers: { authorization: "token ghs_e", accept: "application/json" },
      req: { method: "GET", headers: { authorization: "Bearer jwt", "user-agent": "shipshape" } },
      request: { url: "https://api.github.com/app", headers: { authorization: "Bearer jwt2" } },
      err: { status: 401, headers: { authorization: "token ghs_f" } },
    });
    expect(lines()).toEqual([
      {
        level: 50,
        headers: { authorization: R, accept: "application/json" },
        req: { method: "GET", headers: { authorization: R, "user-agent": "shipshape" } },
        request: { url: "https://api.github.com/app", headers: { authorization: R } },
        err: { status: 401, headers: { authorization: R } },
      },
    ]);
  });

  it("leaves objects without secrets exactly as logged", () => {
    const { log, lines } = memoryLogger();
    redactingLogger(log).info({ repo: "acme/gitops", findings: 3, tokens: 12, headers: { accept: "*/*" } }, "scanned");
    expect(lines()).toEqual([{ level: 30, repo: "acme/gitops", findings: 3, tokens: 12, headers: { accept: "*/*" }, msg: "scanned" }]);
  });

  it("does not change the objects it was given", () => {
    const { log } = memoryLogger();
    const payload = { token: "ghs_g", installation: { token: "ghs_h" } };
    redactingLogger(log).info(payload);
    expect(payload).toEqual({ token: "ghs_g", installation: { token: "ghs_h" } });
  });

  it("redacts in bindings and log objects of its own children", () => {
    const { log, lines } = memoryLogger();
    const child = redactingLogger(log).child({ token: "ghs_i", name: "scan" });
    child.info({ installation: { token: "ghs_j" } }, "child");
    expect(lines()).toEqual([{ level: 30, token: R, name: "scan", installation: { token: R }, msg: "child" }]);
  });

  it("keeps the parent's level", () => {
    const { log, lines } = memoryLogger("warn");
    const redacting = redactingLogger(log);
    redacting.info({ token: "ghs_k" }, "dropped");
    redacting.warn({ token: "ghs_l" }, "kept");
    expect(redacting.level).toBe("warn");
    expect(lines()).toEqual([{ level: 40, token: R, msg: "kept" }]);
  });

  it("leaves the logger it was given as it was", () => {
    const { log, lines } = memoryLogger();
    redactingLogger(log);
    log.info({ token: "plain" });
    expect(lines()).toEqual([{ level: 30, token: "plain" }]);
  });
});

describe("scrubSecrets", () => {
  it.each([
    ["an installation token", "git fetch failed for ghs_16C7e42F292c6912E7710c838347Ae178B4a", `git fetch failed for ${R}`],
    ["a classic personal token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789 expired", `${R} expired`],
    ["an OAuth token", "oauth: gho_abcDEF123", `oauth: ${R}`],
    ["a user-to-server token", "(ghu_xyz789)", `(${R})`],
    ["a refresh token", "refresh=ghr_1234567890abcdef", `refresh=${R}`],
    ["a fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz is not allowed", `${R} is not allowed`],
    ["a token in a clone URL", "https://x-access-token:ghs_Secret123@github.com/acme/gitops.git", `https://x-access-token:${R}@github.com/acme/gitops.git`],
    ["a password in a URL", "cannot reach https://bot:hunter2@registry.example.com/v2/", `cannot reach https://bot:${R}@registry.example.com/v2/`],
    ["a Bearer value", "authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln", `authorization: Bearer ${R}`],
    ["a lower-case bearer value", '{"authorization":"bearer abc.def"}', `{"authorization":"bearer ${R}"}`],
    ["a token authorization value", "authorization: token v1.0123456789abcdef0123456789abcdef01234567", `authorization: token ${R}`],
    ["a token authorization value with a GitHub token", "Authorization: token ghs_abc123", `Authorization: token ${R}`],
  ])("redacts %s", (_label, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it("redacts a PEM private key block, keeping the text around it", () => {
    const pem = ["-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF", "-----END RSA PRIVATE KEY-----"].join("\n");
    expect(scrubSecrets(`could not sign with ${pem}\nretrying`)).toBe(`could not sign with ${R}\nretrying`);
  });

  it("redacts PKCS#8 and encrypted key blocks, and two blocks separately", () => {
    const text = "a -----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY----- b -----BEGIN ENCRYPTED PRIVATE KEY-----\nBBB\n-----END ENCRYPTED PRIVATE KEY----- c";
    expect(scrubSecrets(text)).toBe(`a ${R} b ${R} c`);
  });

  it("redacts a PEM block written with escaped newlines, as in JSON", () => {
    expect(scrubSecrets('{"key":"-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----\\n"}')).toBe(`{"key":"${R}\\n"}`);
  });

  it("redacts a cut-off private key to the end of the text", () => {
    expect(scrubSecrets("bad key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJ…")).toBe(`bad key: ${R}`);
  });

  it("keeps public keys and certificates", () => {
    const text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----";
    expect(scrubSecrets(text)).toBe(text);
  });

  it.each([
    "the installation token could not be created",
    "token expired; asking for a new installation token",
    "Found 3 findings in acme/gitops at 0123abc (ghs is not a token here)",
    "https://github.com/acme/gitops/pull/12",
    "tokens: 1200, secret scanning: enabled",
    "",
  ])("leaves text without secrets unchanged: %j", (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  it("redacts every occurrence and is stable when run twice", () => {
    const text = "first ghs_AAA111 then ghp_BBB222, with Bearer ccc and token ddd4444eeee";
    const once = scrubSecrets(text);
    expect(once).toBe(`first ${R} then ${R}, with Bearer ${R} and token ${R}`);
    expect(scrubSecrets(once)).toBe(once);
  });
});
