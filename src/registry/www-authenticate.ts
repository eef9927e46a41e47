/** One challenge from a `WWW-Authenticate` header: its scheme in lower case and its parameters (names in lower case). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const SPACE = /[ \t]/;

/**
 * Reads the challenges of a `WWW-Authenticate` header (RFC 7235), leniently: values quoted or not,
 * spaces around `=` and `,`, commas and escaped quotes inside quoted values, any case of scheme and
 * parameter names. Text that does not fit is skipped rather than rejected.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  let current: AuthChallenge | undefined;

  const skip = (pattern: RegExp): void => {
    while (i < header.length && pattern.test(header[i]!)) i += 1;
  };
  const readToken = (): string => {
    const start = i;
    while (i < header.length && !SPACE.test(header[i]!) && header[i] !== "," && header[i] !== "=") i += 1;
    return header.slice(start, i);
  };
  const readValue = (): string => {
    if (header[i] !== '"') {
      const start = i;
      while (i < header.length && !SPACE.test(header[i]!) && header[i] !== ",") i += 1;
      return header.slice(start, i);
    }
    i += 1;
    let value = "";
    while (i < header.length && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < header.length) i += 1;
      value += header[i];
      i += 1;
    }
    i += 1; // the closing quote, or past the end of an unterminated value
    return value;
  };

  while (i < header.length) {
    skip(/[ \t,]/);
    if (i >= header.length) break;
    const word = readToken();
    if (word === "") {
      i += 1; // a stray "=": skip it
      continue;
    }
    skip(SPACE);
    if (header[i] === "=" && current) {
      i += 1;
      skip(SPACE);
      current.params[word.toLowerCase()] = readValue();
    } else if (header[i] === "=") {
      // A parameter before any scheme: nothing to attach it to.
      i += 1;
      skip(SPACE);
      readValue();
    } else {
      current = { scheme: word.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}
