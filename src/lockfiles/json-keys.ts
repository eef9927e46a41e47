/**
 * Where each object key of a JSON text is written, by its path from the root
 * (keys joined with "\0"). For pointing findings at a line of package.json or
 * package-lock.json; undefined when the text is not JSON.
 */
export function jsonKeyOffsets(text: string): Map<string, number> | undefined {
  const offsets = new Map<string, number>();
  let at = 0;
  const space = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? "")) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: string): void => {
    space();
    const char = text[at];
    if (char === "{") {
      at++;
      space();
      if (text[at] === "}") {
        at++;
        return;
      }
      for (;;) {
        space();
        if (text[at] !== '"') throw new SyntaxError("key expected");
        const keyAt = at;
        const key = string();
        const keyPath = path === "" ? key : `${path}\0${key}`;
        if (!offsets.has(keyPath)) offsets.set(keyPath, keyAt);
        space();
        if (text[at++] !== ":") throw new SyntaxError(": expected");
        value(keyPath);
        space();
        const next = text[at++];
        if (next === "}") return;
        if (next !== ",") throw new SyntaxError(", expected");
      }
    }
    if (char === "[") {
      at++;
      space();
      if (text[at] === "]") {
        at++;
        return;
      }
      for (let index = 0; ; index++) {
        value(`${path}\0${index}`);
        space();
        const next = text[at++];
        if (next === "]") return;
        if (next !== ",") throw new SyntaxError(", expected");
      }
    }
    if (char === '"') {
      string();
      return;
    }
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(text.slice(at, at + 64));
    if (!literal) throw new SyntaxError("value expected");
    at += literal[0].length;
  };
  try {
    value("");
    return offsets;
  } catch {
    return undefined;
  }
}
