import { describe, expect, it } from "vitest";
import { parseIndexFile, sortedVersions } from "../../src/helm-repos/index-file.js";

function versionsOf(text: string, chart: string): readonly string[] | undefined {
  const parsed = parseIndexFile(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.index.get(chart);
}

const entry = (version: string): string => `  - version: ${JSON.stringify(version)}\n    urls: [https://charts.example.com/redis-${version}.tgz]\n`;

describe("index.yaml versions in Helm's order", () => {
  it("sorts newest first by semver, not text: 1.10.0 before 1.9.0, a release before its prereleases", () => {
    const text = `apiVersion: v1\nentries:\n  redis:\n${["1.9.0", "1.10.0", "1.10.0-rc.1", "1.10.0-alpha", "2.0.0-beta.2", "2.0.0-beta.10", "0.9.9"].map(entry).join("")}`;
    expect(versionsOf(text, "redis")).toEqual(["2.0.0-beta.10", "2.0.0-beta.2", "1.10.0", "1.10.0-rc.1", "1.10.0-alpha", "1.9.0", "0.9.9"]);
  });

  it("reads v-prefixed and short versions the lenient Masterminds way, and returns them as written", () => {
    const text = `apiVersion: v1\nentries:\n  redis:\n${["v1.2.0", "1.3", "2", "v1.2.1"].map(entry).join("")}`;
    expect(versionsOf(text, "redis")).toEqual(["2", "1.3", "v1.2.1", "v1.2.0"]);
  });

  it("puts versions that do not parse at the back, in the index's order", () => {
    const text = `apiVersion: v1\nentries:\n  redis:\n${["latest", "1.0.0", "1.0.0.0", "2.0.0", "01.2.3-01"].map(entry).join("")}`;
    expect(versionsOf(text, "redis")).toEqual(["2.0.0", "1.0.0", "latest", "1.0.0.0", "01.2.3-01"]);
  });

  it("ignores build metadata when ordering, keeping the index's order between equal versions", () => {
    expect(sortedVersions([{ version: "1.0.0+b", urls: ["x"] }, { version: "1.0.1", urls: ["x"] }, { version: "1.0.0+a", urls: ["x"] }])).toEqual(["1.0.1", "1.0.0+b", "1.0.0+a"]);
  });

  it("drops entries without download urls, which Helm's resolver skips", () => {
    const text = [
      "apiVersion: v1",
      "entries:",
      "  redis:",
      "  - version: 3.0.0",
      "  - version: 2.0.0",
      "    urls: []",
      "  - version: 1.0.0",
      "    urls:",
      "    - redis-1.0.0.tgz",
      "  empty:",
      "",
    ].join("\n");
    expect(versionsOf(text, "redis")).toEqual(["1.0.0"]);
    expect(versionsOf(text, "empty")).toEqual([]);
    expect(versionsOf(text, "missing")).toBeUndefined();
  });

  it("keeps an unquoted version as written: 1.10 stays 1.10, not the number 1.1", () => {
    const text = "apiVersion: v1\nentries:\n  redis:\n  - version: 1.10\n    urls: [a]\n  - version: 1.9\n    urls: [b]\n";
    expect(versionsOf(text, "redis")).toEqual(["1.10", "1.9"]);
  });

  it("reads a JSON index", () => {
    const json = JSON.stringify({
      apiVersion: "v1",
      entries: { redis: [{ version: "17.3.2", urls: ["a"] }, { version: "17.10.0", urls: ["b"] }], nginx: [{ version: "1.0.0", urls: ["c"] }] },
      generated: "2024-01-01T00:00:00Z",
    });
    expect(versionsOf(json, "redis")).toEqual(["17.10.0", "17.3.2"]);
    expect(versionsOf(json, "nginx")).toEqual(["1.0.0"]);
  });

  it("reads a generated index of 5,000 versions quickly", () => {
    const lines = ["apiVersion: v1", "entries:"];
    for (let chart = 0; chart < 10; chart += 1) {
      lines.push(`  chart-${chart}:`);
      for (let i = 0; i < 500; i += 1) {
        lines.push(`  - name: chart-${chart}`, `    version: ${i % 50}.${Math.floor(i / 50)}.0`, `    created: "2024-01-01T00:00:00Z"`, `    digest: "${"a".repeat(64)}"`, `    urls:`, `    - https://charts.example.com/chart-${chart}-${i}.tgz`);
      }
    }
    const started = performance.now();
    const versions = versionsOf(lines.join("\n"), "chart-3");
    const elapsed = performance.now() - started;
    expect(versions).toHaveLength(500);
    expect(versions?.slice(0, 3)).toEqual(["49.9.0", "49.8.0", "49.7.0"]);
    expect(versions?.at(-1)).toBe("0.0.0");
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe("index.yaml files Helm refuses", () => {
  it.each([
    ["", "index.yaml is empty"],
    ["  \n", "index.yaml is empty"],
    ["- a\n- b\n", "index.yaml is not a map of apiVersion and entries"],
    ["just text", "index.yaml is not a map of apiVersion and entries"],
    ["entries: {}\n", "index.yaml has no apiVersion"],
    ["apiVersion: v1\n", "index.yaml has no map of entries"],
    ["apiVersion: v1\nentries: [a]\n", "index.yaml has no map of entries"],
    ["[1, 2]", "index.yaml is not a map of apiVersion and entries"],
  ])("refuses %j: %s", (text, reason) => {
    expect(parseIndexFile(text)).toEqual({ ok: false, reason });
  });

  it("says where YAML that does not parse goes wrong", () => {
    expect(parseIndexFile("apiVersion: v1\nentries:\n  redis: [a\n")).toEqual({
      ok: false,
      reason: "index.yaml is not valid YAML (deficient indentation (4:1))",
    });
    expect(parseIndexFile("apiVersion: v1\napiVersion: v2\nentries: {}\n")).toEqual({ ok: false, reason: "index.yaml is not valid YAML (duplicated mapping key (2:1))" });
  });

  it("reads an alias bomb without expanding it: aliases share one list, and no version of it has URLs", () => {
    const bomb = [
      "apiVersion: v1",
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
      "entries:",
      "  redis: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]",
      "",
    ].join("\n");
    const started = performance.now();
    expect(parseIndexFile(bomb)).toEqual({ ok: true, index: new Map([["redis", []]]) });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
