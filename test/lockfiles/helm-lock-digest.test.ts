import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { composeYaml } from "../../src/yaml/compose.js";
import { goJsonMarshal, goJsonString } from "../../src/lockfiles/go-json.js";
import { helmHashInput, helmHashReq, readHelmDependencies, sanitizeHelmDependency, sanitizeHelmString, type HelmDependencies } from "../../src/lockfiles/helm-lock-digest.js";

const depsOf = (text: string): HelmDependencies => {
  const deps = readHelmDependencies(composeYaml(text).documents[0]?.root);
  if (deps === undefined) throw new Error("not loadable");
  return deps;
};
const sha = (json: string) => `sha256:${createHash("sha256").update(json, "utf8").digest("hex")}`;

describe("go-json", () => {
  it("escapes as Go's json.Marshal: HTML characters, U+2028/2029, controls, \\b and \\f (Go 1.22+)", () => {
    expect(goJsonString(`a<b>&"\\`)).toBe(String.raw`"a\u003cb\u003e\u0026\"\\"`);
    expect(goJsonString("\u2028\u2029\t\n\r\b\f\u0001\u001f\u007f")).toBe(String.raw`"\u2028\u2029\t\n\r\b\f\u0001\u001f` + "\u007f\"");
    expect(goJsonString("é中😀")).toBe('"é中😀"');
  });

  it("writes invalid UTF-8 as one \\ufffd per bad byte, as Go does", () => {
    expect(goJsonString(Uint8Array.from([0x61, 0xff, 0xe2, 0x82, 0x62]))).toBe(String.raw`"a\ufffd\ufffd\ufffdb"`);
    // An encoded surrogate (ED A0 80) and an overlong "/" (C0 AF) are invalid in Go too.
    expect(goJsonString(Uint8Array.from([0xed, 0xa0, 0x80, 0xc0, 0xaf]))).toBe(`"${"\\ufffd".repeat(5)}"`);
    expect(goJsonString(Uint8Array.from([0xe2, 0x82, 0xac]))).toBe('"€"');
  });

  it("sorts map keys by their bytes and formats numbers as Go does", () => {
    expect(goJsonMarshal({ b: 1, a: [true, null, 1.5, 1e21, 1e-7, -0], "\uff01": 0, "😀": 0 })).toBe('{"a":[true,null,1.5,1e+21,1e-7,-0],"b":1,"！":0,"😀":0}');
  });
});

describe("Helm's lock digest", () => {
  it("reproduces Helm's own test vector (pkg/downloader: alpine 0.1.0)", () => {
    const deps = depsOf("dependencies:\n  - name: alpine\n    version: 0.1.0\n    repository: http://localhost:8879/charts\n");
    expect(helmHashReq(deps, deps)).toBe("sha256:fb239e836325c5fa14b29d1540a13b7d3ba13151b67fe719f820e0ef6d66aaaf");
  });

  it("writes fields in Helm's order with its omitempty rules: aliases, conditions, tags, enabled, import-values as strings and maps", () => {
    const req = depsOf(
      [
        "dependencies:",
        "  - alias: cache",
        "    import-values:",
        "      - data",
        "      - {parent: myimports, child: default.data}",
        "    enabled: true",
        "    tags: [backend, store]",
        "    condition: redis.enabled",
        "    repository: https://charts.bitnami.com/bitnami",
        "    version: ~17.4.0",
        "    name: redis",
        "  - name: local",
        "    repository: ''",
        "    enabled: false",
        "    tags: []",
      ].join("\n"),
    );
    const lock = depsOf("dependencies:\n- name: redis\n  repository: https://charts.bitnami.com/bitnami\n  version: 17.4.3\n- name: local\n  repository: \"\"\n  version: \"\"\n");
    const json =
      '[[{"name":"redis","version":"~17.4.0","repository":"https://charts.bitnami.com/bitnami","condition":"redis.enabled","tags":["backend","store"],"enabled":true,"import-values":["data",{"child":"default.data","parent":"myimports"}],"alias":"cache"},' +
      '{"name":"local","repository":""}],' +
      '[{"name":"redis","version":"17.4.3","repository":"https://charts.bitnami.com/bitnami"},{"name":"local","repository":""}]]';
    expect(helmHashInput(req, lock)).toBe(json);
    expect(helmHashReq(req, lock)).toBe(sha(json));
  });

  it("escapes < and & in strings as Go does before hashing", () => {
    const req = depsOf("dependencies:\n  - name: web\n    version: '>=1.0.0 <2.0.0'\n    repository: https://example.com/charts?a=1&b=2\n");
    const lock = depsOf("dependencies:\n  - name: web\n    version: 1.4.0\n    repository: https://example.com/charts?a=1&b=2\n");
    const json = String.raw`[[{"name":"web","version":"\u003e=1.0.0 \u003c2.0.0","repository":"https://example.com/charts?a=1\u0026b=2"}],[{"name":"web","version":"1.4.0","repository":"https://example.com/charts?a=1\u0026b=2"}]]`;
    expect(helmHashInput(req, lock)).toBe(json);
    expect(helmHashReq(req, lock)).toBe(sha(json));
    expect(helmHashReq(req, lock)).not.toBe(sha(JSON.stringify([req, lock].map((list) => list?.map((d) => ({ name: d.name, version: d.version, repository: d.repository }))))));
  });

  it("hashes a missing dependency list as null, as Go marshals a nil slice", () => {
    expect(helmHashInput(depsOf("name: x\n"), depsOf("dependencies: []\n"))).toBe("[null,[]]");
  });

  it("sanitises Chart.yaml strings as Helm's loader does (spaces normalised, non-printables dropped), never alias or import-values", () => {
    expect(sanitizeHelmString("a\tb\u00a0c\u200bd\u0007e\u2028f")).toBe("a b cde f");
    const [dep] = depsOf('dependencies:\n  - name: "re\\tdis\\u200b"\n    repository: "https://x\\u0000"\n    alias: "c\\ta"\n    import-values: ["a\\tb"]\n') ?? [];
    expect(sanitizeHelmDependency(dep!)).toMatchObject({ name: "re dis", repository: "https://x", alias: "c\ta", importValues: ["a\tb"] });
  });

  it("refuses what Helm could not load", () => {
    expect(readHelmDependencies(composeYaml("dependencies:\n  - name: [a]\n").documents[0]?.root)).toBeUndefined();
    expect(readHelmDependencies(composeYaml("dependencies:\n  - ~\n").documents[0]?.root)).toBeUndefined();
    expect(readHelmDependencies(composeYaml("dependencies:\n  - name: a\n    enabled: 'yes'\n").documents[0]?.root)).toBeUndefined();
  });
});
