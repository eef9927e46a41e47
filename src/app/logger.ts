import type { Logger } from "pino";

const CENSOR = "[redacted]";

/**
 * Where secrets sit in the objects Shipshape (and the libraries it calls) log.
 * pino's redaction paths are exact: `*` stands for one key, so `*.token` covers
 * `{ installation: { token } }` but not anything deeper.
 */
export const REDACTED_PATHS: readonly string[] = [
  "token",
  "*.token",
  "installationToken",
  "*.installationToken",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "request.headers.authorization",
  "privateKey",
  "*.privateKey",
  "config.privateKey",
  "secret",
  "*.secret",
  "webhookSecret",
  "*.webhookSecret",
  "password",
  "*.password",
];

/**
 * A child of `log` that writes "[redacted]" in place of secrets found at
 * {@link REDACTED_PATHS} in logged objects and in bindings of its own children.
 * `log` itself is left as it was.
 */
export function redactingLogger(log: Logger): Logger {
  return log.child({}, { redact: { paths: [...REDACTED_PATHS], censor: CENSOR } });
}

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
/** A private key block whose end was cut off (a truncated message): redact to the end of the text. */
const PEM_PRIVATE_KEY_UNTERMINATED = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*$/;
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9_]+|github_pat_[A-Za-z0-9_]+)/g;
const BEARER = /\b(bearer)(\s+)[^\s"',;]+/gi;
/** `token <value>` only when the value looks like a credential, so prose such as "token could not" stays. */
const TOKEN_SCHEME = /\b(token)(\s+)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi;
/** `https://user:secret@host` — the password part of a URL. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi;

/**
 * Replaces secrets in free text (error messages, command output) with "[redacted]":
 * GitHub tokens, `Bearer …` and `token …` authorization values, passwords in URLs
 * and PEM private key blocks.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, CENSOR)
    .replace(PEM_PRIVATE_KEY_UNTERMINATED, CENSOR)
    .replace(GITHUB_TOKEN, CENSOR)
    .replace(BEARER, `$1$2${CENSOR}`)
    .replace(TOKEN_SCHEME, `$1$2${CENSOR}`)
    .replace(URL_PASSWORD, `$1${CENSOR}@`);
}
