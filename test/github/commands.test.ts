import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommands } from "../../src/github/commands.js";

describe("parseCommands", () => {
  it("reads each command with its arguments", () => {
    expect(
      parseCommands(
        [
          "/shipshape help",
          "/shipshape scan",
          "/shipshape fix",
          "/shipshape fix liveness-probe-missing image-tag-mutable",
          "/shipshape rebase",
          "/shipshape ignore image-digest-missing",
          "/shipshape ignore image-digest-missing legacy/**",
          "/shipshape unignore image-digest-missing",
          "/shipshape explain run-as-non-root-missing",
        ].join("\n"),
      ),
    ).toEqual([
      { line: "/shipshape help", name: "help" },
      { line: "/shipshape scan", name: "scan" },
      { line: "/shipshape fix", name: "fix", rules: [] },
      { line: "/shipshape fix liveness-probe-missing image-tag-mutable", name: "fix", rules: ["liveness-probe-missing", "image-tag-mutable"] },
      { line: "/shipshape rebase", name: "rebase" },
      { line: "/shipshape ignore image-digest-missing", name: "ignore", rule: "image-digest-missing" },
      { line: "/shipshape ignore image-digest-missing legacy/**", name: "ignore", rule: "image-digest-missing", path: "legacy/**" },
      { line: "/shipshape unignore image-digest-missing", name: "unignore", rule: "image-digest-missing" },
      { line: "/shipshape explain run-as-non-root-missing", name: "explain", rule: "run-as-non-root-missing" },
    ]);
  });

  it("is case-insensitive about the prefix, the command and rule ids, but keeps a glob's case", () => {
    expect(parseCommands("/ShipShape SCAN\n/SHIPSHAPE Ignore Image-Digest-Missing Apps/Legacy/**\n/shipshape FIX Liveness-Probe-Missing")).toEqual([
      { line: "/ShipShape SCAN", name: "scan" },
      { line: "/SHIPSHAPE Ignore Image-Digest-Missing Apps/Legacy/**", name: "ignore", rule: "image-digest-missing", path: "Apps/Legacy/**" },
      { line: "/shipshape FIX Liveness-Probe-Missing", name: "fix", rules: ["liveness-probe-missing"] },
    ]);
  });

  it("finds commands among prose, one per line, with CRLF, tabs and spaces around them", () => {
    const body = "Thanks for the PR!\r\n\r\n  /shipshape   rebase  \r\nand then\r\n/shipshape\texplain\timage-tag-mutable\r\nbye";
    expect(parseCommands(body)).toEqual([
      { line: "/shipshape   rebase", name: "rebase" },
      { line: "/shipshape\texplain\timage-tag-mutable", name: "explain", rule: "image-tag-mutable" },
    ]);
  });

  it("takes a command only at the start of a line", () => {
    expect(parseCommands("please run /shipshape scan\n`/shipshape scan`\n- /shipshape scan\n/shipshapescan\n/shipshape-scan\n//shipshape scan")).toEqual([]);
  });

  it("skips quoted replies, at any depth", () => {
    expect(parseCommands("> /shipshape scan\n>/shipshape fix\n> > /shipshape rebase\n   > /shipshape help\n\n/shipshape help")).toEqual([{ line: "/shipshape help", name: "help" }]);
  });

  it("skips fenced code blocks (backticks and tildes, longer fences, unclosed fences) and indented code", () => {
    const body = [
      "```",
      "/shipshape scan",
      "```",
      "~~~markdown",
      "/shipshape fix",
      "~~~",
      "````",
      "```",
      "/shipshape rebase",
      "````",
      "    /shipshape ignore image-tag-mutable",
      "\t/shipshape ignore image-tag-mutable",
      "/shipshape help",
      "```sh",
      "/shipshape scan",
    ].join("\n");
    expect(parseCommands(body)).toEqual([{ line: "/shipshape help", name: "help" }]);
  });

  it("reads a line of inline code that starts with backticks as text, not as a fence", () => {
    expect(parseCommands("```a``` is inline\n/shipshape scan")).toEqual([{ line: "/shipshape scan", name: "scan" }]);
  });

  it("skips HTML comments, on one line or several", () => {
    expect(parseCommands("<!-- /shipshape scan -->\n<!--\n/shipshape fix\n-->\n/shipshape help")).toEqual([{ line: "/shipshape help", name: "help" }]);
  });

  it("reads a bare /shipshape as help and an unknown word as unknown", () => {
    expect(parseCommands("/shipshape\n/shipshape deploy now")).toEqual([
      { line: "/shipshape", name: "help" },
      { line: "/shipshape deploy now", name: "unknown", word: "deploy" },
    ]);
  });

  it("reports the wrong number of arguments", () => {
    expect(parseCommands("/shipshape scan now\n/shipshape rebase please\n/shipshape ignore\n/shipshape ignore a b c\n/shipshape unignore\n/shipshape explain a b")).toEqual([
      { line: "/shipshape scan now", name: "invalid", command: "scan", problem: "arguments-not-taken" },
      { line: "/shipshape rebase please", name: "invalid", command: "rebase", problem: "arguments-not-taken" },
      { line: "/shipshape ignore", name: "invalid", command: "ignore", problem: "rule-missing" },
      { line: "/shipshape ignore a b c", name: "invalid", command: "ignore", problem: "too-many-arguments" },
      { line: "/shipshape unignore", name: "invalid", command: "unignore", problem: "rule-missing" },
      { line: "/shipshape explain a b", name: "invalid", command: "explain", problem: "too-many-arguments" },
    ]);
  });

  it("takes rule ids and globs written in quotes or backticks as they are, and names a rule once", () => {
    expect(parseCommands("/shipshape explain `image-tag-mutable`\n/shipshape ignore \"image-tag-mutable\" 'apps/**'\n/shipshape fix a b a")).toEqual([
      { line: "/shipshape explain `image-tag-mutable`", name: "explain", rule: "image-tag-mutable" },
      { line: "/shipshape ignore \"image-tag-mutable\" 'apps/**'", name: "ignore", rule: "image-tag-mutable", path: "apps/**" },
      { line: "/shipshape fix a b a", name: "fix", rules: ["a", "b"] },
    ]);
  });

  it("reads nothing from an empty or missing body", () => {
    expect(parseCommands("")).toEqual([]);
    expect(parseCommands(null)).toEqual([]);
    expect(parseCommands(undefined)).toEqual([]);
  });

  it("never throws, and finds no command in text without a line starting /shipshape", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "\r", "`", "~", ">", "/", "shipshape", "<!--", "-->", "\t") }), (body) => {
        const commands = parseCommands(body);
        const lines = body.split(/\r\n|\r|\n/).filter((line) => /^ {0,3}\/shipshape(\s|$)/i.test(line));
        expect(commands.length).toBeLessThanOrEqual(lines.length);
      }),
    );
  });
});
