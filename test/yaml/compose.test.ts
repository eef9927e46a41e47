import { describe, expect, it } from "vitest";
import { composeYaml, DEFAULT_YAML_LIMITS, type YamlLimits } from "../../src/yaml/compose.js";
import { LineIndex } from "../../src/yaml/lines.js";
import { get, getIn, getMap, getPair, getText, isMap, isScalar, isSeq, seqItems, type YamlMap, type YamlNode, type YamlScalar, type YamlSeq } from "../../src/yaml/nodes.js";

/** 1-based [line, column] of an offset, so expectations read like an editor. */
function at(text: string, offset: number): [number, number] {
  const { line, column } = new LineIndex(text).position(offset);
  return [line, column];
}

function rootOf(text: string, document = 0): YamlNode | undefined {
  return composeYaml(text).documents[document]?.root;
}

function scalar(node: YamlNode | undefined, ...path: string[]): YamlScalar {
  const found = getIn(node, path);
  if (!isScalar(found)) throw new Error(`no scalar at ${path.join(".")}`);
  return found;
}

function map(node: YamlNode | undefined, ...path: string[]): YamlMap {
  const found = getIn(node, path);
  if (!isMap(found)) throw new Error(`no map at ${path.join(".")}`);
  return found;
}

function seq(node: YamlNode | undefined, ...path: string[]): YamlSeq {
  const found = getIn(node, path);
  if (!isSeq(found)) throw new Error(`no sequence at ${path.join(".")}`);
  return found;
}

const limits = (overrides: Partial<YamlLimits>): YamlLimits => ({ ...DEFAULT_YAML_LIMITS, ...overrides });

describe("composeYaml documents", () => {
  it("numbers documents 0, 1, 2 and keeps offsets into the whole file", () => {
    const text = "a: 1\n---\nb: 2\n---\nc: 3\n";
    const { documents, problems } = composeYaml(text);
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(documents.map((d) => at(text, d.root?.offset ?? -1))).toEqual([[1, 1], [3, 1], [5, 1]]);
    expect(at(text, scalar(documents[2]?.root, "c").offset)).toEqual([5, 4]);
  });

  it("gives an empty document between two `---` a null root and honours `...` end markers", () => {
    const text = "---\n---\na: 1\n...\n---\nb: x\n...\n";
    const { documents, problems } = composeYaml(text);
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(documents[0]?.root).toMatchObject({ kind: "scalar", text: "", value: null });
    expect(at(text, scalar(documents[1]?.root, "a").offset)).toEqual([3, 4]);
    expect(at(text, scalar(documents[2]?.root, "b").offset)).toEqual([6, 4]);
  });

  it("starts a new document after `...` even without `---`", () => {
    const { documents } = composeYaml("a: 1\n...\nb: 2\n");
    expect(documents.map((d) => [d.index, [...map(d.root).pairs.keys()]])).toEqual([[0, ["a"]], [1, ["b"]]]);
  });

  it("returns no documents and no problems for an empty file or a file of comments", () => {
    expect(composeYaml("")).toEqual({ documents: [], problems: [] });
    expect(composeYaml("# only a comment\n# and another\n")).toEqual({ documents: [], problems: [] });
  });

  it("ignores comments around and after values", () => {
    const text = "# head\na: 1 # trailing\n# between\nb: two # x\n";
    const root = rootOf(text);
    expect([...map(root).pairs.keys()]).toEqual(["a", "b"]);
    expect(scalar(root, "b")).toMatchObject({ text: "two", value: "two" });
    expect(at(text, scalar(root, "b").offset)).toEqual([4, 4]);
  });
});

describe("composeYaml with CRLF line endings", () => {
  const text = "a: 1\r\nb: two\r\nc: |\r\n  x\r\n  y\r\n---\r\nd: 'multi\r\n  line'\r\ne:\r\n  - z\r\n";
  const { documents, problems } = composeYaml(text);

  it("keeps offsets on the right lines and columns", () => {
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0, 1]);
    expect(at(text, scalar(documents[0]?.root, "b").offset)).toEqual([2, 4]);
    expect(at(text, scalar(documents[0]?.root, "b").end)).toEqual([2, 7]);
    expect(at(text, documents[1]?.root?.offset ?? -1)).toEqual([7, 1]);
    expect(at(text, scalar(documents[1]?.root, "d").offset)).toEqual([7, 5]);
    expect(at(text, seq(documents[1]?.root, "e").offset)).toEqual([10, 3]);
  });

  it("decodes values without any carriage return", () => {
    expect(scalar(documents[0]?.root, "b").text).toBe("two");
    expect(scalar(documents[0]?.root, "c").text).toBe("x\ny\n");
    expect(scalar(documents[1]?.root, "d").text).toBe("multi line");
    expect(scalar(seqItems(get(documents[1]?.root, "e"))[0]).text).toBe("z");
  });
});

describe("composeYaml scalars and collections", () => {
  const text = 'q: "123"\np: 123\nt: true\nn: ~\ne:\nh: 0x1F\ns: !!str 12\nf: 1.5\nbang: ! 12\n';
  const root = rootOf(text);

  it.each([
    ["q", "123", "123", true],
    ["p", "123", 123, false],
    ["t", "true", true, false],
    ["n", "~", null, false],
    ["e", "", null, false],
    ["h", "0x1F", 31, false],
    ["s", "12", "12", false],
    ["f", "1.5", 1.5, false],
    ["bang", "12", "12", false],
  ])("resolves %s: text %j, value %j, quoted %s", (key, text, value, quoted) => {
    expect(scalar(root, key)).toMatchObject({ kind: "scalar", text, value, quoted });
  });

  it("places a quoted scalar's offset inside its quotes and an empty value right after its key", () => {
    expect(at(text, scalar(root, "q").offset)).toEqual([1, 5]);
    expect(at(text, scalar(root, "p").offset)).toEqual([2, 4]);
    expect(at(text, scalar(root, "p").end)).toEqual([2, 7]);
    expect(at(text, scalar(root, "e").offset)).toEqual([5, 2]);
  });

  it("decodes escapes and block scalars, which count as quoted", () => {
    const block = rootOf("k: >\n  folded\n  text\n\nl: |-\n  keep\nm: 'it''s'\nn: \"tab\\tx\"\n");
    expect(scalar(block, "k")).toMatchObject({ text: "folded text\n", quoted: true });
    expect(scalar(block, "l")).toMatchObject({ text: "keep", quoted: true });
    expect(scalar(block, "m")).toMatchObject({ text: "it's", quoted: true });
    expect(scalar(block, "n").text).toBe("tab\tx");
  });

  it("marks flow collections and keeps their items in order", () => {
    const flowText = "a: [1, 'x', {b: c}]\nd: {e: f}\ng:\n  - h\n";
    const flowRoot = rootOf(flowText);
    expect(map(flowRoot).flow).toBe(false);
    const items = seq(flowRoot, "a");
    expect(items.flow).toBe(true);
    expect(at(flowText, items.offset)).toEqual([1, 4]);
    expect(items.items.map((item) => (isScalar(item) ? item.value : item.kind))).toEqual([1, "x", "map"]);
    expect(scalar(items.items[2], "b").text).toBe("c");
    expect(map(flowRoot, "d").flow).toBe(true);
    expect(seq(flowRoot, "g").flow).toBe(false);
    expect(at(flowText, seq(flowRoot, "g").offset)).toEqual([4, 3]);
  });

  it("names complex (non-scalar) keys by their kind and line, so two never collide", () => {
    expect([...map(rootOf("? [a, b]\n: 1\n? {x: y}\n: 2\n")).pairs.keys()]).toEqual(["[sequence key on line 1]", "[mapping key on line 3]"]);
  });
});

describe("composeYaml anchors, aliases and merge keys", () => {
  it("resolves an alias to the very node its anchor names", () => {
    const root = rootOf("base: &b {x: 1}\nr: *b\ns: &s hello\nt: *s\n");
    expect(get(root, "r")).toBe(get(root, "base"));
    expect(get(root, "t")).toBe(get(root, "s"));
  });

  it("merges `<<: *base` with explicit keys winning", () => {
    const { documents, problems } = composeYaml("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n");
    const root = documents[0]?.root;
    expect(problems).toEqual([]);
    expect([...map(root, "d").pairs.keys()]).toEqual(["y", "x"]);
    expect(scalar(root, "d", "y").value).toBe(3);
    expect(getPair(get(root, "d"), "x")).toBe(getPair(get(root, "base"), "x"));
  });

  it("merges a list of maps with the earlier map winning", () => {
    const root = rootOf("a: &x {k: 1}\nb: &y {k: 2, j: 3}\nc:\n  <<: [*x, *y]\n  z: 0\n");
    expect([...map(root, "c").pairs].map(([key, pair]) => [key, isScalar(pair.value) ? pair.value.value : null])).toEqual([
      ["z", 0],
      ["k", 1],
      ["j", 3],
    ]);
  });

  it("treats a quoted `<<` as an ordinary key", () => {
    expect([...map(rootOf('"<<": {a: 1}\nb: 2\n')).pairs.keys()]).toEqual(["<<", "b"]);
  });

  it("reports an alias with no anchor at the `*` and drops only that document", () => {
    const text = "a: 1\n---\nb: *nope\n---\nc: 3\n";
    const { documents, problems } = composeYaml(text);
    expect(problems).toEqual([{ offset: 12, message: "alias *nope refers to no anchor defined before it" }]);
    expect(at(text, 12)).toEqual([3, 4]);
    expect(documents.map((d) => d.root === undefined)).toEqual([false, true, false]);
  });

  it("does not carry anchors from one document into the next", () => {
    const { documents, problems } = composeYaml("a: &x 1\n---\nb: *x\n");
    expect(problems.map((p) => p.message)).toEqual(["alias *x refers to no anchor defined before it"]);
    expect(scalar(documents[0]?.root, "a").value).toBe(1);
    expect(documents[1]?.root).toBeUndefined();
  });

  it("stops at limits.maxAliases aliases, reporting the first alias over the limit", () => {
    const text = "a: &a 1\nb: [*a, *a, *a]\n";
    const over = composeYaml(text, limits({ maxAliases: 2 }));
    expect(over.problems).toEqual([{ offset: 20, message: "document has more than 2 aliases (limits.maxAliases); it was not scanned" }]);
    expect(at(text, 20)).toEqual([2, 13]);
    expect(over.documents[0]?.root).toBeUndefined();
    expect(composeYaml(text, limits({ maxAliases: 3 })).problems).toEqual([]);
  });

  it("counts expanded nodes against limits.maxExpandedNodes", () => {
    // root map 1 + three keys 3 + the sequence (1 + 3 items) counted once per use, three times = 16
    const text = "a: &a [1, 2, 3]\nb: *a\nc: *a\n";
    expect(composeYaml(text, limits({ maxExpandedNodes: 16 })).problems).toEqual([]);
    const over = composeYaml(text, limits({ maxExpandedNodes: 15 }));
    expect(over.problems).toEqual([{ offset: 0, message: "document expands to more than 15 nodes through aliases (limits.maxExpandedNodes); it was not scanned" }]);
    expect(over.documents).toEqual([{ index: 0, root: undefined }]);
  });

  it("refuses a billion-laughs alias bomb without expanding it", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(", ")}]`);
    }
    const { documents, problems } = composeYaml(`${levels.join("\n")}\n`);
    expect(problems).toEqual([{ offset: 0, message: "document expands to more than 1000000 nodes through aliases (limits.maxExpandedNodes); it was not scanned" }]);
    expect(documents).toEqual([{ index: 0, root: undefined }]);
  });
});

describe("composeYaml duplicate keys", () => {
  it("keeps the last value and names the key and the line of the first definition", () => {
    const text = "a: 1\nb: 2\na: 3\n";
    const { documents, problems } = composeYaml(text);
    expect([...map(documents[0]?.root).pairs.keys()]).toEqual(["b", "a"]);
    expect(scalar(documents[0]?.root, "a").value).toBe(3);
    expect(problems).toEqual([
      { offset: 10, message: 'duplicate key "a" (also defined on line 1); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last' },
    ]);
    expect(at(text, 10)).toEqual([3, 1]);
  });

  it("reports each repeat against the definition just before it", () => {
    const { problems } = composeYaml("a: 1\na: 2\na: 3\n");
    expect(problems.map((p) => /on line (\d+)/.exec(p.message)?.[1])).toEqual(["1", "2"]);
  });
});

describe("composeYaml syntax errors and structural limits", () => {
  it("keeps documents 1 and 3 when document 2 is broken, with offsets into the whole file", () => {
    const text = "a: 1\n---\nb: c: d\nx: 1\n---\nc: 3\n";
    const { documents, problems } = composeYaml(text);
    expect(documents.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(documents[1]?.root).toBeUndefined();
    expect(at(text, scalar(documents[0]?.root, "a").offset)).toEqual([1, 4]);
    expect(at(text, documents[2]?.root?.offset ?? -1)).toEqual([6, 1]);
    expect(at(text, scalar(documents[2]?.root, "c").offset)).toEqual([6, 4]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /);
    expect(at(text, problems[0]?.offset ?? -1)).toEqual([3, 5]);
  });

  it("locates a syntax error on the right line of a CRLF file", () => {
    const text = "a: 1\r\n---\r\nb:\r\n  - x\r\n - y\r\n---\r\nc: 3\r\n";
    const { documents, problems } = composeYaml(text);
    expect(documents.map((d) => d.root === undefined)).toEqual([false, true, false]);
    expect(at(text, problems[0]?.offset ?? -1)[0]).toBe(5);
    expect(at(text, scalar(documents[2]?.root, "c").offset)).toEqual([7, 4]);
  });

  it("still reports problems of the healthy documents, on their own lines", () => {
    const text = "a: 1\n---\nb: c: d\n---\nc: 1\nc: 2\n";
    const { problems } = composeYaml(text);
    expect(problems.map((p) => at(text, p.offset)[0])).toEqual([3, 6]);
    expect(problems[1]?.message).toContain('duplicate key "c" (also defined on line 5)');
  });

  // Bug: syntaxProblem clamps the error to the part's length, which is the first
  // character of the NEXT part, so an error at the end of document 2 lands on the `---` of document 3.
  it("locates an error at the end of a broken middle document inside that document", () => {
    const text = "a: 1\n---\nb: [\n---\nc: 3\n";
    const { problems } = composeYaml(text);
    expect(at(text, problems[0]?.offset ?? -1)[0]).toBe(3);
  });

  it("reports nesting deeper than limits.maxDepth", () => {
    const deep = `a: ${"[".repeat(10)}1${"]".repeat(10)}\n`;
    const { documents, problems } = composeYaml(deep, limits({ maxDepth: 5 }));
    expect(problems.map((p) => p.message)).toEqual(["nesting is deeper than 5 levels (limits.maxDepth)"]);
    expect(documents).toEqual([{ index: 0, root: undefined }]);
    expect(composeYaml(deep, limits({ maxDepth: 20 })).problems).toEqual([]);
    expect(composeYaml(`${"[".repeat(150)}${"]".repeat(150)}\n`).problems.map((p) => p.message)).toEqual([
      "nesting is deeper than 100 levels (limits.maxDepth)",
    ]);
  });
});

describe("composeYaml on a 1 MB CRD", () => {
  it("parses every field and the document after it", () => {
    const lines = ["apiVersion: apiextensions.k8s.io/v1", "kind: CustomResourceDefinition", "metadata:", "  name: widgets.example.com", "spec:", "  versions:", "  - name: v1", "    schema:", "      openAPIV3Schema:", "        type: object", "        properties:"];
    let fields = 0;
    for (let size = 0; size < 1_000_000; fields++) {
      const field = [`          field${fields}:`, "            type: string", `            description: "Field ${fields} of the widget"`];
      lines.push(...field);
      size += field.join("\n").length + 1;
    }
    const text = `${lines.join("\n")}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n`;
    const { documents, problems } = composeYaml(text);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.index)).toEqual([0, 1]);
    const versions = seqItems(getIn(documents[0]?.root, ["spec", "versions"]));
    const properties = getIn(versions[0], ["schema", "openAPIV3Schema", "properties"]);
    expect(isMap(properties) ? properties.pairs.size : -1).toBe(fields);
    expect(getText(getMap(documents[1]?.root, "metadata"), "name")).toBe("after");
    expect(at(text, scalar(documents[1]?.root, "kind").offset)).toEqual([lines.length + 3, 7]);
  });
});

describe("node helpers", () => {
  const root = rootOf("a:\n  b: [x, {c: 7}]\n  n: null\n  s: text\n");

  it("walk maps and sequences, stopping at the first missing key", () => {
    expect(getIn(root, ["a", "b"])?.kind).toBe("seq");
    expect(getIn(root, ["a", "missing", "b"])).toBeUndefined();
    expect(get(seq(root, "a", "b"), "x")).toBeUndefined();
    expect(getMap(root, "a")?.pairs.size).toBe(3);
    expect(getMap(get(root, "a"), "s")).toBeUndefined();
    expect(seqItems(get(root, "a")).length).toBe(0);
    expect(seqItems(getIn(root, ["a", "b"])).map((n) => n.kind)).toEqual(["scalar", "map"]);
  });

  it("getText gives a scalar's text, and nothing for null or non-scalars", () => {
    const a = get(root, "a");
    expect(getText(a, "s")).toBe("text");
    expect(getText(a, "n")).toBeUndefined();
    expect(getText(a, "b")).toBeUndefined();
    expect(getText(seqItems(get(a, "b"))[1], "c")).toBe("7");
  });
});
