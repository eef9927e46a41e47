import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "parse-error";
const IMAGES = ["image-tag-mutable", "image-digest-missing"];
const withImages = { rules: [RULE, ...IMAGES] };
const unpinned = 'container "app" image "app:1.0" is not pinned by digest';
const untagged = 'container "app" image "app" has no tag (so it means :latest) and no digest';
const notScanned = (what: string) => `${what}; it was not scanned`;

describe(RULE, () => {
  it("reports a syntax error where js-yaml finds it and still scans the other documents of the file", () => {
    const findings = scanFixture("parse-error/syntax", withImages);
    expect(rows(findings)).toEqual([
      ["image-digest-missing", "three-documents.yaml", 10, 18, unpinned],
      // js-yaml: "bad indentation of a mapping entry (22:21)".
      [RULE, "three-documents.yaml", 22, 21, "YAML syntax error: bad indentation of a mapping entry"],
      ["image-tag-mutable", "three-documents.yaml", 33, 18, untagged],
    ]);
    expect(subjects(findings)).toEqual(["Deployment/before app", "- -", "Deployment/after app"]);
    expect(findings[1]).toMatchObject({ severity: "high", resource: undefined, container: undefined, fixable: false });
  });

  it("gives the same positions for the same file with CRLF line endings", () => {
    const lf = readFileSync(join(FIXTURES, "parse-error/syntax/three-documents.yaml"), "utf8");
    const root = tempTree({ "crlf.yaml": lf.replace(/\n/g, "\r\n") });
    expect(rows(scan(root, withImages))).toEqual([
      ["image-digest-missing", "crlf.yaml", 10, 18, unpinned],
      [RULE, "crlf.yaml", 22, 21, "YAML syntax error: bad indentation of a mapping entry"],
      ["image-tag-mutable", "crlf.yaml", 33, 18, untagged],
    ]);
  });

  it("reports an unclosed bracket at the end of its own document, not at the next `---`", () => {
    const root = tempTree({
      "unclosed.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: broken}",
        "spec:",
        "  containers:",
        "    - name: app",
        "      image: [unclosed",
        "---",
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: fine}",
        "spec:",
        "  containers: [{name: app, image: app}]",
      ),
    });
    expect(rows(scan(root, withImages))).toEqual([
      // js-yaml itself points at the start of line 8, the next document's `---`.
      [RULE, "unclosed.yaml", 7, 22, "YAML syntax error: deficient indentation"],
      ["image-tag-mutable", "unclosed.yaml", 13, 35, untagged],
    ]);
  });

  it("reports tabs in indentation and an alias without an anchor (at its `*`)", () => {
    const root = tempTree({
      "tab.yaml": "metadata:\n\tname: tabbed\n",
      "unknown-alias.yaml": yaml("apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:", "  containers: [{name: app, image: *nowhere}]"),
    });
    expect(rows(scan(root, withImages))).toEqual([
      [RULE, "tab.yaml", 2, 1, "YAML syntax error: tab characters must not be used in indentation"],
      [RULE, "unknown-alias.yaml", 5, 35, "alias *nowhere refers to no anchor defined before it"],
    ]);
  });

  it("skips an alias bomb's document, and only that document", () => {
    expect(rows(scanFixture("parse-error", withImages).filter((f) => f.file === "alias-bomb.yaml"))).toEqual([
      [RULE, "alias-bomb.yaml", 2, 1, notScanned("document expands to more than 1000000 nodes through aliases (limits.maxExpandedNodes)")],
      ["image-tag-mutable", "alias-bomb.yaml", 15, 35, untagged],
    ]);
  });

  it("reports the alias that goes over limits.maxAliases", () => {
    const root = tempTree({ "aliases.yaml": `x: &x 1\nlist:\n${"  - *x\n".repeat(3)}` });
    expect(rows(scan(root, { rules: [RULE], limits: { maxAliases: 2 } }))).toEqual([
      // The third alias, on line 5, is one too many.
      [RULE, "aliases.yaml", 5, 5, notScanned("document has more than 2 aliases (limits.maxAliases)")],
    ]);
  });

  it("reports collections nested deeper than limits.maxDepth where the first one too deep starts", () => {
    const nested = (depth: number) => Array.from({ length: depth }, (_, level) => `${"  ".repeat(level)}k${level}:\n`).join("") + `${"  ".repeat(depth)}v: 1\n`;
    // k0: to k2: open three mappings; k3: opens a fourth, on line 4, column 7.
    const root = tempTree({ "three.yaml": nested(2), "four.yaml": nested(3) });
    expect(rows(scan(root, { rules: [RULE], limits: { maxDepth: 3 } }))).toEqual([
      [RULE, "four.yaml", 4, 7, "nesting is deeper than 3 levels (limits.maxDepth)"],
    ]);
  });

  it("reports an over-size file and a binary .yaml at line 1, column 1", () => {
    const root = tempTree({
      "big.yaml": `# ${"x".repeat(2046)}\n`,
      "limit.yaml": `# ${"x".repeat(1021)}\n`,
      "binary.yaml": new Uint8Array([0x61, 0x3a, 0x20, 0x00, 0x01, 0x0a]),
      "notes.txt": "\u0000 not a file Shipshape reads",
    });
    expect(rows(scan(root, { rules: [RULE], limits: { maxFileBytes: 1024 } }))).toEqual([
      [RULE, "big.yaml", 1, 1, notScanned("file is 2.0 KiB, over the 1.0 KiB limit (limits.maxFileBytes)")],
      [RULE, "binary.yaml", 1, 1, notScanned("file holds binary data (a NUL byte), not text")],
      // limit.yaml is exactly 1024 bytes: read.
    ]);
  });

  it("never parses a Helm chart's templates, but does parse the same text outside a chart", () => {
    const rules = { rules: [RULE, ...IMAGES, "liveness-probe-missing"] };
    // Nothing from the template; values.yaml is parsed, and its image {repository: nginx, tag: latest} is what the template renders.
    expect(rows(scanFixture("parse-error/chart", rules))).toEqual([
      ["image-tag-mutable", "values.yaml", 3, 8, 'Helm values image "nginx:latest" uses the mutable tag :latest and no digest'],
    ]);
    const template = readFileSync(join(FIXTURES, "parse-error/chart/templates/deployment.yaml"), "utf8");
    const root = tempTree({ "templates/deployment.yaml": template });
    expect(rows(scan(root, rules))).toEqual([[RULE, "templates/deployment.yaml", 1, 3, "YAML syntax error: missed comma between flow collection entries"]]);
  });

  it("parses a chart's values.yaml and Chart.yaml", () => {
    const root = tempTree({
      "chart/Chart.yaml": "apiVersion: v2\nname: web\nname: again\nversion: 1.0.0\n",
      "chart/values.yaml": "image:\n  tag: latest: 1\n",
      "chart/templates/service.yaml": "{{ .Values.broken",
    });
    expect(rows(scan(root, { rules: [RULE] }))).toEqual([
      [
        RULE,
        "chart/Chart.yaml",
        3,
        1,
        'duplicate key "name" (also defined on line 2); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last',
      ],
      [RULE, "chart/values.yaml", 2, 14, "YAML syntax error: bad indentation of a mapping entry"],
    ]);
  });
});
