import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { goRfc3339Nano, goYamlString, helmLockText } from "../../src/lockfiles/helm-lock-text.js";

describe("helmLockText", () => {
  it("writes the lock byte for byte as Helm does: sorted keys, indentless items, omitempty version, quoted time", () => {
    const text = helmLockText({
      dependencies: [
        { name: "common", repository: "https://charts.bitnami.com/bitnami", version: "2.2.2" },
        { name: "redis", repository: "oci://registry-1.docker.io/bitnamicharts", version: "17.3.14" },
      ],
      digest: "sha256:49ca5d2dd8b2e8e2d2f2e9c1f3c8f6b8a8f7e0d2f3f4e6e2c6f2d4b8b1c7a1b5",
      generated: new Date("2023-01-05T11:31:31.520Z"),
    });
    expect(text).toBe(
      [
        "dependencies:",
        "- name: common",
        "  repository: https://charts.bitnami.com/bitnami",
        "  version: 2.2.2",
        "- name: redis",
        "  repository: oci://registry-1.docker.io/bitnamicharts",
        "  version: 17.3.14",
        "digest: sha256:49ca5d2dd8b2e8e2d2f2e9c1f3c8f6b8a8f7e0d2f3f4e6e2c6f2d4b8b1c7a1b5",
        'generated: "2023-01-05T11:31:31.52Z"',
        "",
      ].join("\n"),
    );
  });

  it("writes an empty list as [], an empty repository as \"\", drops an empty version, quotes numeric-looking versions", () => {
    const text = helmLockText({
      dependencies: [{ name: "local", repository: "", version: "" }, { name: "x", repository: "@stable", version: "1.10" }],
      digest: "sha256:00",
      generated: new Date("2026-11-22T02:06:04Z"),
    });
    expect(text).toBe(
      'dependencies:\n- name: local\n  repository: ""\n- name: x\n  repository: \'@stable\'\n  version: "1.10"\ndigest: sha256:00\ngenerated: "2026-11-22T02:06:04Z"\n',
    );
    expect(helmLockText({ dependencies: [], digest: "sha256:00", generated: new Date(0) })).toBe(
      'dependencies: []\ndigest: sha256:00\ngenerated: "1970-01-01T00:00:00Z"\n',
    );
  });
});

describe("goRfc3339Nano", () => {
  it("trims trailing fraction zeros and drops the dot for whole seconds", () => {
    expect(goRfc3339Nano(new Date("2026-11-22T02:06:04.120Z"))).toBe("2026-11-22T02:06:04.12Z");
    expect(goRfc3339Nano(new Date("2026-11-22T02:06:04.000Z"))).toBe("2026-11-22T02:06:04Z");
    expect(goRfc3339Nano(new Date("2026-11-22T02:06:04.001Z"))).toBe("2026-11-22T02:06:04.001Z");
    expect(goRfc3339Nano(new Date("2026-11-22T02:06:00.100Z"))).toBe("2026-11-22T02:06:00.1Z");
  });

  it("prints a Date made from a zoned time in UTC", () => {
    expect(goRfc3339Nano(new Date("2026-11-22T04:06:04.5+02:00"))).toBe("2026-11-22T02:06:04.5Z");
  });

  it("refuses what Go's Time.MarshalJSON refuses", () => {
    expect(() => goRfc3339Nano(new Date("invalid"))).toThrow(RangeError);
    expect(() => goRfc3339Nano(new Date(Date.UTC(10000, 0, 1)))).toThrow(RangeError);
  });
});

describe("goYamlString", () => {
  it.each([
    ["1.2.3", "1.2.3"],
    ["v1.2.3", "v1.2.3"],
    ["1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"],
    ["1.10", '"1.10"'],
    ["2", '"2"'],
    ["", '""'],
    ["yes", '"yes"'],
    ["on", '"on"'],
    ["null", '"null"'],
    ["~", '"~"'],
    ["<<", '"<<"'],
    ["@bitnami", "'@bitnami'"],
    ["https://x/y", "https://x/y"],
    ["oci://r/p", "oci://r/p"],
    ["file://../common", "file://../common"],
    ["a: b", "'a: b'"],
    ["a #b", "'a #b'"],
    ["a#b", "a#b"],
    ["it's", "it's"], // an apostrophe inside a plain scalar is fine for the emitter
    ["'x'", "'''x'''"],
    ["- x", "'- x'"],
    ["-", "'-'"],
    ["-x", "-x"],
    [" x", "' x'"],
    ["2001-12-14", '"2001-12-14"'],
    ["2001-12-14 21:59:43.10", '"2001-12-14 21:59:43.10"'],
    ["2001-02-30", "2001-02-30"], // time.Parse rejects the day, so go-yaml does not quote it
    ["1:20", '"1:20"'], // base-60 float, quoted for YAML 1.1 parsers
    ["2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"], // not among go-yaml's time.Parse layouts
    ["-0x8000000000000000000", "-0x8000000000000000000"],
    ["0x8000000000000000000", '"0x8000000000000000000"'], // unsigned overflow goes to big.Int
    ["0x1F", '"0x1F"'],
    ["0o17", '"0o17"'],
    ["0b101", '"0b101"'],
    ["0b-1", '"0b-1"'], // go-yaml's 0b branch lets ParseInt take a sign
    ["1_000", '"1_000"'],
    ["1e3", '"1e3"'],
    [".5", '".5"'],
    [".inf", '".inf"'],
    ["08", '"08"'], // not octal, but a float
    ["1e400", "1e400"], // ParseFloat overflows, so go-yaml calls it a string
    [".", "."],
    ["a\tb", '"a\\tb"'],
    ["😀", '"\\U0001F600"'], // v2's is_printable stops at the BMP
    ["é中", "é中"],
    ['say "hi"', 'say "hi"'],
    ["\u0085", '"\\N"'],
    ["\ufeffab", '"\\uFEFF\\x61\\x62"'], // v2's is_bom looks at the first bytes for every character
  ])("%j is written as %s", (value, written) => {
    expect(goYamlString(value)).toBe(written);
  });

  it("uses a literal block for newlines, double quotes when a block cannot hold the value", () => {
    expect(goYamlString("a\nb", { column: 5, indent: 2 })).toBe("|-\n  a\n  b");
    expect(goYamlString("a\n", { column: 5, indent: 2 })).toBe("|\n  a");
    expect(goYamlString("a\n\n", { column: 5, indent: 4 })).toBe("|+\n    a\n");
    expect(goYamlString(" a\nb")).toBe("|2-\n   a\n  b");
    expect(goYamlString("a \nb")).toBe('"a \\nb"');
    expect(goYamlString("a\tb\n")).toBe('"a\\tb\\n"');
  });

  it("throws rather than write a raw U+2028/U+2029 line break that would not read back", () => {
    expect(() => goYamlString("a\u2028b")).toThrow(/raw line break/);
  });

  it("folds long scalars at spaces past column 80, onto lines at the value's indentation", () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    const plain = goYamlString(words, { column: 5, indent: 2 });
    // The first space met past column 80 (5 + index 77 = 82) becomes a line break plus the indentation.
    expect(plain).toBe(`${words.slice(0, 77)}\n  ${words.slice(78)}`);
    expect(goYamlString(`@${words}`, { column: 5, indent: 2 }).split("\n")[1]!.startsWith("  w")).toBe(true);
  });

  // Shapes the yaml package's YAML 1.1 schema reads as numbers (its float regexes need no digit: ".", "e1", "._1",
  // "0x_") although go-yaml's resolver (strconv.ParseFloat/ParseInt) sees a string and writes it plain, as Helm reads it.
  const yamlPackageDisagrees = (s: string) =>
    (/^[-+]?[0-9_]*\.?[0-9_]*([eE][-+]?[0-9]+)?$/.test(s) && /[.eE]/.test(s)) ||
    /^[-+]?0[bx]_+$/.test(s) ||
    /^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(s) || // time.Parse rejects it ("2001-02-30", "…T25:00:00Z"), the yaml package does not
    /^[-+]0x/i.test(s); // a signed hex int overflowing int64 is a string to go-yaml (ParseUint refuses the sign)

  it("reads back as the same string with the yaml package in YAML 1.1 mode", () => {
    const special = fc.constantFrom("", "~", "null", "yes", "No", "on", "OFF", "y", "1.10", "2", "-1", "0x1F", "1:20", "2001-12-14", "@x", "'", '"', "- ", "? x", "#", "a: b", " a", "a ", "\t", "\u00a0", "\ufeff", "\u0085", "😀", ".inf", "<<", "---", "...", "|", ">", "%", "!", "&a", "*a");
    const pieces = fc.oneof(special, fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: fc.constantFrom(" ", "a", "\n", ":", "#", "-", "1", ".", "'") }));
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 4 }).map((parts) => parts.join("")), (s) => {
        const wellFormed = Array.from(s, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? "\ufffd" : ch)).join("");
        fc.pre(!/[\u2028\u2029]/.test(s) && !yamlPackageDisagrees(s));
        const text = `key: ${goYamlString(s, { column: 5, indent: 2 })}\n`;
        expect(parse(text, { version: "1.1" })).toEqual({ key: wellFormed });
      }),
      { numRuns: 3000 },
    );
  });

  it("round-trips long strings that fold", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("ab", " ", "  ", "c'd", "@", "é", "\t", "\n"), { minLength: 40, maxLength: 80 }), (parts) => {
        const s = parts.join("");
        fc.pre(!yamlPackageDisagrees(s));
        expect(parse(`key: ${goYamlString(s, { column: 5, indent: 2 })}\n`, { version: "1.1" })).toEqual({ key: s });
      }),
    );
  });
});
