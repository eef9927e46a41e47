import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonKeyOffsets } from "../../src/lockfiles/json-keys.js";
import { npmLockfileProblems, registryRange } from "../../src/lockfiles/npm-lock.js";
import { rows, scan } from "../rules/helpers.js";
import { fixtureWorkspace, hitRows } from "./helpers.js";

const stale = (folder: string) => {
  const workspace = fixtureWorkspace(`npm/${folder}`);
  return hitRows(workspace, npmLockfileProblems(workspace));
};
const FIX = "run `npm install` and commit package-lock.json";

describe("npm package-lock.json (lockfile-stale)", () => {
  it("finds nothing in a fresh lock: aliases, file:, git, a missing optional dependency and optional peer", () => {
    expect(stale("fresh")).toEqual([]);
  });

  it("reports a dependency missing from packages[node_modules/<name>], on its package.json line", () => {
    expect(stale("missing")).toEqual([["package.json", 5, `package.json depends on express@^4.19.0, which package-lock.json does not lock: ${FIX}`]]);
  });

  it("reports a locked version outside the range", () => {
    expect(stale("outside")).toEqual([["package.json", 11, `package.json has a dev dependency on typescript@~5.4.0, but package-lock.json locks 5.3.3: ${FIX}`]]);
  });

  it("reports a range that differs from the lock's root entry, though the locked version satisfies it", () => {
    expect(stale("root-mismatch")).toEqual([
      ["package.json", 5, `package.json depends on express@^4.18.0, but the root entry of package-lock.json records express@^4.19.0: ${FIX}`],
    ]);
  });

  it("reports a dependency the lock's root entry lists that package.json no longer does, on the lock's line", () => {
    expect(stale("extra")).toEqual([["package-lock.json", 17, `package-lock.json locks typescript@~5.4.0 in devDependencies, which package.json no longer lists: ${FIX}`]]);
  });

  it("says a lockfileVersion 1 lock is too old for this check", () => {
    expect(stale("v1")).toEqual([
      [
        "package-lock.json",
        3,
        "package-lock.json has lockfileVersion 1, too old for this check (npm 7 or later writes version 2 or 3): run `npm install` with npm 7 or later and commit package-lock.json",
      ],
    ]);
  });
});

describe("npm spec ranges and JSON key offsets", () => {
  it("gives the registry range of a spec, or undefined for specs checked for presence only", () => {
    expect(["^1.2.0", "", "*", "npm:lodash@^4.17.0", "npm:@scope/pkg@~1.0.0", "npm:lodash", "latest", "file:../x", "github:a/b", "a/b", "git+https://x/y.git", "https://x/y.tgz", "workspace:*"].map(registryRange)).toEqual([
      "^1.2.0", "", "*", "^4.17.0", "~1.0.0", "*", undefined, undefined, undefined, undefined, undefined, undefined, undefined,
    ]);
  });

  it("finds where each key is written, by path", () => {
    const text = '{"a": {"": {"b": [1, {"c": true}]}}, "d": "x\\"y"}';
    const keys = jsonKeyOffsets(text);
    expect(keys?.get("a\0\0b")).toBe(text.indexOf('"b"'));
    expect(keys?.get("a\0\0b\x001\0c")).toBe(text.indexOf('"c"'));
    expect(keys?.get("d")).toBe(text.indexOf('"d"'));
    expect(jsonKeyOffsets("{not json")).toBeUndefined();
  });
});

describe("lockfile-stale on pip and npm lockfiles, through a scan", () => {
  it("reports with the rule, file, line and message", () => {
    const root = (folder: string): string => fileURLToPath(new URL(`../fixtures/lockfiles/${folder}`, import.meta.url));
    expect(rows(scan(root("npm/missing"), { rules: ["lockfile-stale"] }))).toEqual([
      ["lockfile-stale", "package.json", 5, 5, `package.json depends on express@^4.19.0, which package-lock.json does not lock: ${FIX}`],
    ]);
    expect(rows(scan(root("pip/missing"), { rules: ["lockfile-stale"] }))).toEqual([
      ["lockfile-stale", "requirements.in", 2, 1, "requirements.in requires django, which requirements.txt does not pin: run `pip-compile requirements.in`"],
    ]);
    expect(scan(root("npm/fresh"), { rules: ["lockfile-stale"] })).toEqual([]);
    expect(scan(root("pip/fresh"), { rules: ["lockfile-stale"] })).toEqual([]);
  });
});
