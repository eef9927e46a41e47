import { envValues, isSubstitution, nameWords } from "./data-values.js";
import { NO_PARAMS, type ContainerCheck } from "./types.js";

/** A name with one of these words (or word pairs) names a secret. */
const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIALS", "PRIVATEKEY", "ACCESSKEY"]);
const SECRET_PAIRS = new Set(["API KEY", "PRIVATE KEY", "ACCESS KEY"]);
/** …unless its last word says it holds something about the secret, not the secret: DB_PASSWORD_FILE, TOKEN_URL, AWS_ACCESS_KEY_ID. */
const NOT_SECRET_LAST_WORDS = new Set(["FILE", "PATH", "DIR", "NAME", "REF", "URL", "URI", "ENDPOINT", "HOST", "PORT", "ENABLED", "TTL", "EXPIRY", "LENGTH", "TYPE", "HEADER", "ID"]);

/** Whether an environment variable's name says it holds a secret. */
export function namesSecret(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || NOT_SECRET_LAST_WORDS.has(words[words.length - 1] as string)) return false;
  return words.some((word, index) => SECRET_WORDS.has(word) || (index > 0 && SECRET_PAIRS.has(`${words[index - 1] as string} ${word}`)));
}

/**
 * An env entry whose name says it is a secret (PASSWORD, TOKEN, API_KEY…)
 * with a literal, non-empty `value`. `$(VAR)` references and `${VAR}` or
 * `{{ }}` substitutions are filled in elsewhere and not reported; obvious
 * placeholders such as "changeme" are: a guessable password is deployed as
 * written. The message names the variable, never its value.
 */
export const envSecretLiteral: ContainerCheck = {
  name: "env-secret-literal",
  scope: "container",
  paramsSchema: NO_PARAMS,
  run(container) {
    return envValues(container.name, container.node)
      .filter(({ name, value }) => namesSecret(name) && value.text.trim() !== "" && !isSubstitution(value.text))
      .map(({ name, value }) => ({
        offset: value.offset,
        message: `container "${container.name}" sets ${name} to a literal value in its env: the secret is in the repository for anyone who can read it`,
        detail: `env ${name}`,
      }));
  },
};
