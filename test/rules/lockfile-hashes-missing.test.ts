import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rows, scan } from "./helpers.js";

const pip = (folder: string): string => fileURLToPath(new URL(`../fixtures/lockfiles/pip/${folder}`, import.meta.url));

describe("lockfile-hashes-missing", () => {
  it("reports each pin without --hash in a lockfile whose other pins carry hashes", () => {
    expect(rows(scan(pip("hashes-mixed"), { rules: ["lockfile-hashes-missing"] }))).toEqual([
      [
        "lockfile-hashes-missing",
        "requirements.txt",
        10,
        1,
        "requirements.txt pins requests==2.31.0 without --hash while other pins carry hashes, so pip refuses to install it: run `pip-compile --generate-hashes --output-file=requirements.txt requirements.in`",
      ],
    ]);
  });

  it("reports nothing when every pin carries a hash, or none does", () => {
    expect(scan(pip("fresh"), { rules: ["lockfile-hashes-missing"] })).toEqual([]);
    expect(scan(pip("unrequired"), { rules: ["lockfile-hashes-missing"] })).toEqual([]);
  });

  it("is medium, in supply-chain, with no fix", () => {
    const [finding] = scan(pip("hashes-mixed"), { rules: ["lockfile-hashes-missing"] });
    expect(finding).toMatchObject({ severity: "medium", fixable: false });
  });
});
