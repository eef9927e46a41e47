import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { appendDocument, appendToSequence, createYamlFile, describePath, setIn, type EditResult, type NodePath } from "../../src/edit/editor.js";
import type { PlainValue } from "../../src/edit/render.js";
import { DEFAULT_STYLE, detectStyle } from "../../src/edit/style.js";
import { composeYaml } from "../../src/yaml/compose.js";
import { toPlain } from "../../src/yaml/plain.js";

/**
 * Byte-exact golden tests for the YAML text editor. Every expectation is the
 * whole output text: a fix may change only the lines it must.
 */

const FIXTURES = fileURLToPath(new URL("../fixtures/edit/", import.meta.url));
const fixture = (name: string, file: "input.yaml" | "expected.yaml"): string => readFileSync(join(FIXTURES, name, file), "utf8");

const CONTAINERS = ["spec", "template", "spec", "containers"] as const;
/** The path the fix engine uses for a container field. */
const container = (index: number, ...rest: string[]): NodePath => [...CONTAINERS, index, ...rest];

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const toCrlf = (text: string): string => text.replace(/\n/g, "\r\n");
const withoutFinalNewline = (text: string): string => text.replace(/\r?\n$/, "");

/** All documents of a text as plain data, read the way the scan reads them. */
function dataOf(text: string): PlainValue[] {
  const composed = composeYaml(text);
  expect(composed.problems).toEqual([]);
  return composed.documents.map((document) => toPlain(document.root));
}

function parseErrors(text: string): string[] {
  return parseAllDocuments(text, { uniqueKeys: false }).flatMap((document) => document.errors.map((error) => error.code));
}

interface GoldenCase {
  name: string;
  what: string;
  edit: (text: string) => EditResult;
}

const GOLDEN: GoldenCase[] = [
  {
    name: "probe-indent2-indented",
    what: "2-space indent, sequences indented under their key; comments between keys, after values and before the next container stay put",
    edit: (text) => setIn(text, 0, container(0, "livenessProbe"), { tcpSocket: { port: "http" } }),
  },
  {
    name: "probe-indent2-flush",
    what: "2-space indent, sequences flush with their key; the last container gets the probe before the pod's next key",
    edit: (text) => setIn(text, 0, container(1, "readinessProbe"), { tcpSocket: { port: 9100 } }),
  },
  {
    name: "requests-indent4-indented",
    what: "4-space indent; requests added next to the existing limits, before a comment that belongs to the next key",
    edit: (text) => setIn(text, 0, container(0, "resources", "requests", "cpu"), "100m"),
  },
  {
    name: "security-indent4-flush",
    what: "4-space indent, flush sequences; several missing levels created at once",
    edit: (text) => setIn(text, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "resources-empty-flow",
    what: "resources: {} becomes a block under the key; the comment after {} stays on the key line",
    edit: (text) => setIn(text, 0, container(0, "resources", "requests", "cpu"), "100m"),
  },
  {
    name: "security-context-empty-flow",
    what: "securityContext: {} as the very last line becomes a block",
    edit: (text) => setIn(text, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "flow-container",
    what: "a container written entirely in flow style gets a flow insertion before its closing brace",
    edit: (text) => setIn(text, 0, container(0, "livenessProbe"), { tcpSocket: { port: "http" } }),
  },
  {
    name: "flow-security-context",
    what: "an existing flow securityContext gets the field inserted before its }",
    edit: (text) => setIn(text, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "null-empty",
    what: "a key with no value at all (livenessProbe:) gets the block under it",
    edit: (text) => setIn(text, 0, container(0, "livenessProbe"), { tcpSocket: { port: "http" } }),
  },
  {
    name: "null-tilde",
    what: "readinessProbe: ~ with a comment: the ~ goes, the comment stays on the key line",
    edit: (text) => setIn(text, 0, container(0, "readinessProbe"), { tcpSocket: { port: "http" } }),
  },
  {
    name: "null-word",
    what: "securityContext: null becomes a block",
    edit: (text) => setIn(text, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "multi-document-second",
    what: "only the 2nd of 3 documents changes; the insertion lands before its ... end marker",
    edit: (text) => setIn(text, 1, container(0, "livenessProbe"), { tcpSocket: { port: "http" } }),
  },
  {
    name: "multi-document-third",
    what: "only the 3rd of 3 documents changes; the insertion lands at the very end of the file",
    edit: (text) => setIn(text, 2, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "block-scalar-before",
    what: "block scalars (| in a list, >- as a value) before the insertion point are left alone; the insertion follows their content",
    edit: (text) => setIn(text, 0, container(0, "resources", "requests", "cpu"), "100m"),
  },
  {
    name: "block-scalar-last",
    what: "a | block scalar that ends the file is followed by the insertion",
    edit: (text) => setIn(text, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "duplicate-keys",
    what: "with two securityContext keys the LAST one is edited, as Kubernetes keeps the last",
    edit: (text) => setIn(text, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false),
  },
  {
    name: "append-block-indented",
    what: "appendToSequence on an indented block list of mappings",
    edit: (text) => appendToSequence(text, 0, container(0, "ports"), { name: "metrics", containerPort: 9090 }),
  },
  {
    name: "append-block-flush",
    what: "appendToSequence on a flush block list of scalars with a trailing comment",
    edit: (text) => appendToSequence(text, 0, container(0, "args"), "--metrics"),
  },
  {
    name: "append-flow",
    what: "appendToSequence on a flow list keeps the comment after ]",
    edit: (text) => appendToSequence(text, 0, container(0, "args"), "--metrics"),
  },
  {
    name: "append-empty-flow",
    what: "appendToSequence on []",
    edit: (text) => appendToSequence(text, 0, container(0, "args"), "--metrics"),
  },
];

/** Each LF fixture is also run as CRLF and without its final newline: the expected text changes the same way. */
const VARIANTS: { name: string; apply: (text: string) => string }[] = [
  { name: "LF", apply: (text) => text },
  { name: "CRLF", apply: toCrlf },
  { name: "LF, no final newline", apply: withoutFinalNewline },
  { name: "CRLF, no final newline", apply: (text) => withoutFinalNewline(toCrlf(text)) },
];

describe.each(GOLDEN)("golden $name", ({ name, what, edit }) => {
  const input = fixture(name, "input.yaml");
  const expected = fixture(name, "expected.yaml");

  it("fixture files are LF with a final newline, differ, and both parse", () => {
    for (const text of [input, expected]) {
      expect(text).not.toContain("\r");
      expect(text.endsWith("\n")).toBe(true);
      expect(parseErrors(text)).toEqual([]);
    }
    expect(expected).not.toBe(input);
  });

  it.each(VARIANTS)(`${what} ($name)`, ({ apply }) => {
    expect(edit(apply(input))).toEqual({ ok: true, text: apply(expected) });
  });
});

describe("CRLF files", () => {
  it("inserted lines use CRLF and every existing byte stays", () => {
    const input =
      "apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata:\r\n  name: web\r\nspec:\r\n  template:\r\n    spec:\r\n      containers:\r\n" +
      "        - name: web # main\r\n          image: web:1.0\r\n";
    const result = setIn(input, 0, container(0, "livenessProbe"), { tcpSocket: { port: "http" } });
    expect(result).toEqual({
      ok: true,
      text:
        "apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata:\r\n  name: web\r\nspec:\r\n  template:\r\n    spec:\r\n      containers:\r\n" +
        "        - name: web # main\r\n          image: web:1.0\r\n          livenessProbe:\r\n            tcpSocket:\r\n              port: http\r\n",
    });
  });

  it("resources: {} in a CRLF file keeps the CRLF after the key line", () => {
    const input = "containers:\r\n  - name: web\r\n    resources: {} # later\r\n    image: web:1.0\r\n";
    expect(setIn(input, 0, ["containers", 0, "resources", "limits", "memory"], "256Mi")).toEqual({
      ok: true,
      text: "containers:\r\n  - name: web\r\n    resources: # later\r\n      limits:\r\n        memory: 256Mi\r\n    image: web:1.0\r\n",
    });
  });

  it("setting a scalar in a CRLF file replaces only the value", () => {
    const input = "containers:\r\n  - name: web\r\n    image: web:1.0\r\n    securityContext:\r\n      privileged: true\r\n";
    expect(setIn(input, 0, ["containers", 0, "securityContext", "privileged"], false)).toEqual({
      ok: true,
      text: "containers:\r\n  - name: web\r\n    image: web:1.0\r\n    securityContext:\r\n      privileged: false\r\n",
    });
  });
});

describe("no final newline", () => {
  it("inserting at the very end of the file keeps the file without a final newline", () => {
    const input = "spec:\n  containers:\n    - name: web\n      image: web:1.0 # pinned";
    expect(setIn(input, 0, ["spec", "containers", 0, "resources", "requests", "cpu"], "100m")).toEqual({
      ok: true,
      text: "spec:\n  containers:\n    - name: web\n      image: web:1.0 # pinned\n      resources:\n        requests:\n          cpu: 100m",
    });
  });

  it("an empty value on the last line becomes a block without a final newline", () => {
    const input = "spec:\n  containers:\n    - name: web\n      livenessProbe:";
    expect(setIn(input, 0, ["spec", "containers", 0, "livenessProbe"], { tcpSocket: { port: 8080 } })).toEqual({
      ok: true,
      text: "spec:\n  containers:\n    - name: web\n      livenessProbe:\n        tcpSocket:\n          port: 8080",
    });
  });

  it("a trailing comment line without a newline stays the last line", () => {
    const input = "spec:\n  containers:\n    - name: web\n      image: web:1.0\n# end of file";
    expect(setIn(input, 0, ["spec", "containers", 0, "securityContext", "runAsNonRoot"], true)).toEqual({
      ok: true,
      text: "spec:\n  containers:\n    - name: web\n      image: web:1.0\n      securityContext:\n        runAsNonRoot: true\n# end of file",
    });
  });
});

describe("comments", () => {
  const input = [
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: api # the API",
    "          # the image is pinned by the release job",
    "          image: api:3.2 # pinned later",
    "",
    "        # --- worker ---",
    "        - name: worker",
    "          image: worker:3.2",
    "      # pod-level settings follow",
    "      restartPolicy: Always",
    "",
  ].join("\n");

  it("a comment line that belongs to the next container stays before it; a blank line stays where it was", () => {
    expect(setIn(input, 0, container(0, "livenessProbe"), { tcpSocket: { port: 8080 } })).toEqual({
      ok: true,
      text: [
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - name: api # the API",
        "          # the image is pinned by the release job",
        "          image: api:3.2 # pinned later",
        "          livenessProbe:",
        "            tcpSocket:",
        "              port: 8080",
        "",
        "        # --- worker ---",
        "        - name: worker",
        "          image: worker:3.2",
        "      # pod-level settings follow",
        "      restartPolicy: Always",
        "",
      ].join("\n"),
    });
  });

  it("the last container's insertion stays before a comment that belongs to the pod spec", () => {
    expect(setIn(input, 0, container(1, "resources", "requests", "memory"), "128Mi")).toEqual({
      ok: true,
      text: [
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - name: api # the API",
        "          # the image is pinned by the release job",
        "          image: api:3.2 # pinned later",
        "",
        "        # --- worker ---",
        "        - name: worker",
        "          image: worker:3.2",
        "          resources:",
        "            requests:",
        "              memory: 128Mi",
        "      # pod-level settings follow",
        "      restartPolicy: Always",
        "",
      ].join("\n"),
    });
  });

  it("setting a scalar keeps the comment after it on the same line", () => {
    expect(setIn(input, 0, container(0, "image"), "api:3.3")).toEqual({ ok: true, text: input.replace("image: api:3.2 # pinned later", "image: api:3.3 # pinned later") });
  });
});

describe("setIn on scalars", () => {
  const input = [
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: web",
    '          image: "web:1.0" # release',
    "          imagePullPolicy: 'Always'",
    "          resources:",
    "            requests:",
    "              cpu: 250m",
    "          securityContext:",
    '            allowPrivilegeEscalation: "false"',
    "            runAsNonRoot: true",
    "",
  ].join("\n");
  const replaced = (from: string, to: string): EditResult => {
    expect(input).toContain(from);
    return { ok: true, text: input.replace(from, to) };
  };

  it("keeps double quotes", () => {
    expect(setIn(input, 0, container(0, "image"), "web:1.1")).toEqual(replaced('image: "web:1.0" # release', 'image: "web:1.1" # release'));
  });

  it("escapes inside double quotes", () => {
    expect(setIn(input, 0, container(0, "image"), 'say "hi"')).toEqual(replaced('image: "web:1.0"', 'image: "say \\"hi\\""'));
  });

  it("keeps single quotes and doubles an inner quote", () => {
    expect(setIn(input, 0, container(0, "imagePullPolicy"), "IfNotPresent")).toEqual(replaced("imagePullPolicy: 'Always'", "imagePullPolicy: 'IfNotPresent'"));
    expect(setIn(input, 0, container(0, "imagePullPolicy"), "it's")).toEqual(replaced("imagePullPolicy: 'Always'", "imagePullPolicy: 'it''s'"));
  });

  it("keeps a plain scalar plain", () => {
    expect(setIn(input, 0, container(0, "resources", "requests", "cpu"), "100m")).toEqual(replaced("cpu: 250m", "cpu: 100m"));
  });

  it("quotes a plain string only where YAML needs it", () => {
    expect(setIn(input, 0, container(0, "resources", "requests", "cpu"), "1")).toEqual(replaced("cpu: 250m", 'cpu: "1"'));
    expect(setIn(input, 0, container(0, "resources", "requests", "cpu"), 1)).toEqual(replaced("cpu: 250m", "cpu: 1"));
  });

  it("a boolean over the quoted string \"false\" is written plain", () => {
    expect(setIn(input, 0, container(0, "securityContext", "allowPrivilegeEscalation"), true)).toEqual(
      replaced('allowPrivilegeEscalation: "false"', "allowPrivilegeEscalation: true"),
    );
  });

  it("a boolean over a plain boolean", () => {
    expect(setIn(input, 0, container(0, "securityContext", "runAsNonRoot"), false)).toEqual(replaced("runAsNonRoot: true", "runAsNonRoot: false"));
  });

  it("setting the value that is already there gives the same text back", () => {
    expect(setIn(input, 0, container(0, "image"), "web:1.0")).toEqual({ ok: true, text: input });
    expect(setIn(input, 0, container(0, "imagePullPolicy"), "Always")).toEqual({ ok: true, text: input });
    expect(setIn(input, 0, container(0, "resources", "requests", "cpu"), "250m")).toEqual({ ok: true, text: input });
    expect(setIn(input, 0, container(0, "securityContext", "runAsNonRoot"), true)).toEqual({ ok: true, text: input });
  });

  it("a new key in an existing block goes after its last key", () => {
    expect(setIn(input, 0, container(0, "securityContext", "readOnlyRootFilesystem"), true)).toEqual(
      replaced("            runAsNonRoot: true\n", "            runAsNonRoot: true\n            readOnlyRootFilesystem: true\n"),
    );
  });

  it("a duplicate scalar key: the last one is set", () => {
    const text = "containers:\n  - name: web\n    image: old:1\n    image: new:1 # wins\n";
    expect(setIn(text, 0, ["containers", 0, "image"], "new:2")).toEqual({ ok: true, text: "containers:\n  - name: web\n    image: old:1\n    image: new:2 # wins\n" });
  });

  it("a null value set to a scalar", () => {
    expect(setIn("requests:\n  cpu:\n  memory: 64Mi\n", 0, ["requests", "cpu"], "100m")).toEqual({ ok: true, text: "requests:\n  cpu: 100m\n  memory: 64Mi\n" });
    expect(setIn("requests:\n  cpu: ~ # later\n", 0, ["requests", "cpu"], "100m")).toEqual({ ok: true, text: "requests:\n  cpu: 100m # later\n" });
    expect(setIn("requests: {cpu: null}\n", 0, ["requests", "cpu"], "100m")).toEqual({ ok: true, text: "requests: {cpu: 100m}\n" });
  });
});

describe("setIn creating levels", () => {
  const input = "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1.0\n";

  it("creates securityContext and its field at once", () => {
    expect(setIn(input, 0, container(0, "securityContext", "allowPrivilegeEscalation"), false)).toEqual({
      ok: true,
      text: `${input}          securityContext:\n            allowPrivilegeEscalation: false\n`,
    });
  });

  it("creates three levels at once", () => {
    expect(setIn(input, 0, container(0, "resources", "limits", "memory"), "256Mi")).toEqual({
      ok: true,
      text: `${input}          resources:\n            limits:\n              memory: 256Mi\n`,
    });
  });

  it("creates missing levels above the container list's parent", () => {
    expect(setIn("kind: Deployment\nmetadata:\n  name: web\n", 0, ["spec", "template", "metadata", "labels", "app"], "web")).toEqual({
      ok: true,
      text: "kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n",
    });
  });

  it("lists in the new value follow the file's sequence style", () => {
    const flush = "spec:\n  containers:\n  - name: web\n    image: web:1.0\n";
    expect(setIn(flush, 0, ["spec", "containers", 0, "securityContext", "capabilities", "drop"], ["ALL"])).toEqual({
      ok: true,
      text: `${flush}    securityContext:\n      capabilities:\n        drop:\n        - ALL\n`,
    });
    const indented = "spec:\n  containers:\n    - name: web\n      image: web:1.0\n";
    expect(setIn(indented, 0, ["spec", "containers", 0, "securityContext", "capabilities", "drop"], ["ALL"])).toEqual({
      ok: true,
      text: `${indented}      securityContext:\n        capabilities:\n          drop:\n            - ALL\n`,
    });
  });

  it("a multi-line flow mapping gets the field after its last entry", () => {
    const text = "containers:\n  - name: web\n    securityContext: {\n      privileged: false\n      }\n";
    expect(setIn(text, 0, ["containers", 0, "securityContext", "allowPrivilegeEscalation"], false)).toEqual({
      ok: true,
      text: "containers:\n  - name: web\n    securityContext: {\n      privileged: false, allowPrivilegeEscalation: false\n      }\n",
    });
  });

  it("an empty flow map inside a flow container stays flow", () => {
    expect(setIn("containers:\n  - {name: web, securityContext: {}}\n", 0, ["containers", 0, "securityContext", "runAsNonRoot"], true)).toEqual({
      ok: true,
      text: "containers:\n  - {name: web, securityContext: {runAsNonRoot: true}}\n",
    });
  });

  it("a new string key that needs quotes in flow is quoted", () => {
    expect(setIn("metadata: {labels: {app: web}}\n", 0, ["metadata", "labels", "tier"], "a,b")).toEqual({
      ok: true,
      text: 'metadata: {labels: {app: web, tier: "a,b"}}\n',
    });
  });
});

describe("multi-document files", () => {
  const input = [
    "apiVersion: v1",
    "kind: ServiceAccount",
    "metadata:",
    "  name: web",
    "# --- the workload ---",
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: web",
    "          image: web:1.0",
    "---",
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    "  name: web",
    "",
  ].join("\n");

  it("edits the 2nd document only; the comment before --- stays with the 1st", () => {
    expect(setIn(input, 1, container(0, "securityContext", "runAsNonRoot"), true)).toEqual({
      ok: true,
      text: input.replace("          image: web:1.0\n", "          image: web:1.0\n          securityContext:\n            runAsNonRoot: true\n"),
    });
  });

  it("a new key in the 1st document lands before the comment and the separator", () => {
    expect(setIn(input, 0, ["automountServiceAccountToken"], false)).toEqual({
      ok: true,
      text: input.replace("  name: web\n# --- the workload ---\n", "  name: web\nautomountServiceAccountToken: false\n# --- the workload ---\n"),
    });
  });

  it("the same path in the 3rd document touches only the 3rd", () => {
    expect(setIn(input, 2, ["metadata", "labels", "app"], "web")).toEqual({ ok: true, text: `${input}  labels:\n    app: web\n` });
  });

  it("a document after a broken one is still edited, and the broken text stays as it was", () => {
    const text = "kind: ConfigMap\ndata: [oops\n---\nkind: Deployment\nmetadata:\n  name: web\n";
    expect(setIn(text, 1, ["metadata", "namespace"], "shop")).toEqual({ ok: true, text: `${text}  namespace: shop\n` });
  });
});

describe("refusals", () => {
  const withAnchor = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: web",
    "          image: web:1.0",
    "          resources: &defaults",
    "            limits:",
    "              memory: 256Mi",
    "        - name: worker",
    "          image: worker:1.0",
    "          resources: *defaults",
    "          args: &flags [--verbose]",
    "          command: *flags",
    "",
  ].join("\n");

  /** The exact reason, with or without the alias's line (see the known bug about the line below). */
  const aliasReason = (where: string, name: string, line: number): RegExp =>
    new RegExp(`^${escapeRegExp(where)} comes from the alias \\*${name}(?: on line ${line})?; edit the anchor &${name} instead$`);

  it("editing through an alias names the alias and the anchor", () => {
    expect(setIn(withAnchor, 0, container(1, "resources", "requests", "cpu"), "100m")).toEqual({
      ok: false,
      reason: expect.stringMatching(aliasReason("spec.template.spec.containers[1].resources", "defaults", 14)),
    });
  });

  it("setting a value that is an alias is refused too", () => {
    expect(setIn(withAnchor, 0, container(1, "resources"), null)).toEqual({
      ok: false,
      reason: expect.stringMatching(aliasReason("spec.template.spec.containers[1].resources", "defaults", 14)),
    });
  });

  it("the short form: c: *x", () => {
    expect(setIn("a: &x\n  k: 1\nc: *x\n", 0, ["c", "k"], 2)).toEqual({ ok: false, reason: expect.stringMatching(aliasReason("c", "x", 3)) });
  });

  it("an alias as a whole list item", () => {
    const text = "spec:\n  initContainers:\n    - &setup {name: setup, image: setup:1}\n  containers:\n    - *setup\n";
    expect(setIn(text, 0, ["spec", "containers", 0, "image"], "x")).toEqual({ ok: false, reason: expect.stringMatching(aliasReason("spec.containers[0]", "setup", 5)) });
  });

  it("appending to an aliased list is refused", () => {
    expect(appendToSequence(withAnchor, 0, container(1, "command"), "--debug")).toEqual({
      ok: false,
      reason: expect.stringMatching(aliasReason("spec.template.spec.containers[1].command", "flags", 16)),
    });
  });

  it("an anchored value that an alias reuses is refused: the edit would change every copy", () => {
    const reason = "spec.template.spec.containers[0].resources is anchored as &defaults and reused through *defaults; an edit there would change every copy";
    expect(setIn(withAnchor, 0, container(0, "resources", "limits", "memory"), "512Mi")).toEqual({ ok: false, reason });
    expect(setIn(withAnchor, 0, container(0, "resources", "requests", "cpu"), "100m")).toEqual({ ok: false, reason });
    expect(appendToSequence(withAnchor, 0, container(1, "args"), "--debug")).toEqual({
      ok: false,
      reason: "spec.template.spec.containers[1].args is anchored as &flags and reused through *flags; an edit there would change every copy",
    });
    expect(setIn("a: &p 8080\nb: *p\n", 0, ["a"], 9090)).toEqual({ ok: false, reason: "a is anchored as &p and reused through *p; an edit there would change every copy" });
  });

  it("an anchored value that no alias reuses can be edited", () => {
    const text = withAnchor.replace("resources: *defaults", "resources: {}").replace("command: *flags", "command: [run]");
    expect(setIn(text, 0, container(0, "resources", "limits", "memory"), "512Mi")).toEqual({ ok: true, text: text.replace("memory: 256Mi", "memory: 512Mi") });
    expect(appendToSequence(text, 0, container(1, "args"), "--debug")).toEqual({ ok: true, text: text.replace("[--verbose]", "[--verbose, --debug]") });
  });

  it("setting inside a block scalar", () => {
    const text = "containers:\n  - name: job\n    command: |\n      echo hi\n";
    expect(setIn(text, 0, ["containers", 0, "command"], "echo bye")).toEqual({ ok: false, reason: "the value is a block scalar (| or >); Shipshape does not edit inside one" });
    expect(setIn("data:\n  script: >-\n    run\n", 0, ["data", "script"], "x")).toEqual({
      ok: false,
      reason: "the value is a block scalar (| or >); Shipshape does not edit inside one",
    });
  });

  it("a missing list item", () => {
    expect(setIn(fixture("probe-indent2-indented", "input.yaml"), 0, container(2, "livenessProbe"), { tcpSocket: { port: 80 } })).toEqual({
      ok: false,
      reason: "spec.template.spec.containers has no item 2",
    });
  });

  it("an index into a mapping", () => {
    expect(setIn("spec:\n  template: {}\n  replicas: 1\n", 0, ["spec", 0], 1)).toEqual({ ok: false, reason: "spec has no item 0" });
  });

  it("a missing key with a list index after it", () => {
    expect(setIn("spec:\n  template:\n    spec:\n      restartPolicy: Always\n", 0, container(0, "image"), "x")).toEqual({
      ok: false,
      reason: "spec.template.spec.containers does not exist",
    });
  });

  it("a path through a scalar", () => {
    expect(setIn("spec:\n  replicas: 2\n", 0, ["spec", "replicas", "min"], 1)).toEqual({ ok: false, reason: "spec.replicas is not a mapping" });
    expect(setIn("spec:\n  containers: [web]\n", 0, ["spec", "containers", 0, "image"], "x")).toEqual({ ok: false, reason: "spec.containers[0] is not a mapping" });
  });

  it("a document that is not a mapping", () => {
    expect(setIn("- a\n- b\n", 0, ["kind"], "x")).toEqual({ ok: false, reason: "the document is not a mapping" });
    expect(setIn("a: 1\n---\n# nothing here\n---\nb: 2\n", 1, ["kind"], "x")).toEqual({ ok: false, reason: "the document is not a mapping" });
  });

  it("a document index that does not exist", () => {
    const text = "kind: A\n---\nkind: B\n";
    expect(setIn(text, 2, ["kind"], "C")).toEqual({ ok: false, reason: "the file has no document 3" });
    expect(appendToSequence(text, 5, ["items"], "x")).toEqual({ ok: false, reason: "the file has no document 6" });
    expect(setIn("", 0, ["kind"], "C")).toEqual({ ok: false, reason: "the file has no document 1" });
  });

  it("a document that does not parse", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n   labels: {}\n";
    expect(setIn(text, 1, ["metadata", "namespace"], "shop")).toEqual({
      ok: false,
      reason: "document 2 does not parse: Nested mappings are not allowed in compact mappings at line 7, column 9:\n\n  name: web\n        ^\n",
    });
    expect(appendToSequence(text, 1, ["items"], "x")).toMatchObject({ ok: false, reason: expect.stringMatching(/^document 2 does not parse: Nested mappings/) });
  });

  it("an empty path", () => {
    expect(setIn("kind: A\n", 0, [], "x")).toEqual({ ok: false, reason: "an empty path names the whole document" });
  });

  it("a collection where one value is asked for, and the other way round", () => {
    const text = "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          ports:\n            - containerPort: 80\n          livenessProbe:\n            tcpSocket:\n              port: 80\n";
    expect(setIn(text, 0, container(0, "livenessProbe"), { tcpSocket: { port: 80 } })).toEqual({
      ok: false,
      reason: "spec.template.spec.containers[0].livenessProbe holds a mapping, not a single value",
    });
    expect(setIn(text, 0, container(0, "ports"), 80)).toEqual({ ok: false, reason: "spec.template.spec.containers[0].ports holds a list, not a single value" });
    expect(setIn(text, 0, container(0, "name"), { first: "web" })).toEqual({ ok: false, reason: "a single value cannot become a collection" });
  });

  it("appendToSequence on something that is not a list", () => {
    const text = "spec:\n  containers:\n    - name: web\n      args: --verbose\n";
    expect(appendToSequence(text, 0, ["spec", "containers", 0, "args"], "x")).toEqual({ ok: false, reason: "spec.containers[0].args is not a list" });
    expect(appendToSequence(text, 0, ["spec", "containers", 0, "env"], "x")).toEqual({ ok: false, reason: "spec.containers[0].env is not a list" });
    expect(appendToSequence(text, 0, ["spec", "containers", 3, "env"], "x")).toEqual({ ok: false, reason: "spec.containers[3].env is not a list" });
  });

  it("appendToSequence on a list whose first item starts on the line after its dash", () => {
    expect(appendToSequence("ports:\n  -\n    containerPort: 80\n", 0, ["ports"], { containerPort: 81 })).toEqual({
      ok: false,
      reason: "ports is written in a way Shipshape does not edit",
    });
  });
});

describe("appendToSequence, more shapes", () => {
  it("a mapping item with nested collections in an indented list", () => {
    const text = "spec:\n  containers:\n    - name: web\n";
    expect(appendToSequence(text, 0, ["spec", "containers"], { name: "sidecar", ports: [{ containerPort: 9090 }], env: [] })).toEqual({
      ok: true,
      text: `${text}    - name: sidecar\n      ports:\n        - containerPort: 9090\n      env: []\n`,
    });
  });

  it("a mapping item in a flush list uses the dash column of the existing items", () => {
    const text = "spec:\n  containers:\n  - name: web\n    image: web:1.0\n  volumes: []\n";
    expect(appendToSequence(text, 0, ["spec", "containers"], { name: "sidecar", args: ["--a"] })).toEqual({
      ok: true,
      text: "spec:\n  containers:\n  - name: web\n    image: web:1.0\n  - name: sidecar\n    args:\n    - --a\n  volumes: []\n",
    });
  });

  it("a flow item in a flow list is written in flow", () => {
    expect(appendToSequence("ports: [{containerPort: 80}]\n", 0, ["ports"], { containerPort: 81, name: "alt" })).toEqual({
      ok: true,
      text: "ports: [{containerPort: 80}, {containerPort: 81, name: alt}]\n",
    });
  });

  it("a string with a comma is quoted in a flow list", () => {
    expect(appendToSequence("args: [--a]\n", 0, ["args"], "--tags=a,b")).toEqual({ ok: true, text: 'args: [--a, "--tags=a,b"]\n' });
  });

  it("CRLF without a final newline", () => {
    expect(appendToSequence("args:\r\n  - --a\r\n  - --b", 0, ["args"], "--c")).toEqual({ ok: true, text: "args:\r\n  - --a\r\n  - --b\r\n  - --c" });
  });
});

describe("appendDocument", () => {
  const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [{ port: 80, targetPort: "http" }] } };

  it("adds --- and the document after a final newline", () => {
    const text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
    expect(appendDocument(text, service)).toBe(
      `${text}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n`,
    );
  });

  it("without a final newline: a line break before --- and none at the end", () => {
    const text = "apiVersion: apps/v1\nkind: Deployment # no newline";
    expect(appendDocument(text, service)).toBe(
      `${text}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: http`,
    );
  });

  it("in the file's style: CRLF, 4 spaces, flush lists", () => {
    const text = "apiVersion: apps/v1\r\nkind: Deployment\r\nspec:\r\n    template:\r\n        spec:\r\n            containers:\r\n            - name: web\r\n";
    expect(appendDocument(text, service)).toBe(
      `${text}---\r\napiVersion: v1\r\nkind: Service\r\nmetadata:\r\n    name: web\r\nspec:\r\n    ports:\r\n    - port: 80\r\n      targetPort: http\r\n`,
    );
  });

  it("after a ... end marker", () => {
    expect(appendDocument("kind: A\n...\n", { kind: "B" })).toBe("kind: A\n...\n---\nkind: B\n");
  });

  it("on an empty text: just the document, with a final newline", () => {
    expect(appendDocument("", service)).toBe("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n");
  });
});

describe("createYamlFile", () => {
  const documents: { [key: string]: PlainValue }[] = [
    { apiVersion: "v1", kind: "Service", metadata: { name: "web", labels: { app: "web" } }, spec: { ports: [{ port: 80, name: "http" }] } },
    { apiVersion: "v1", kind: "ConfigMap", data: { PORT: "8080", DEBUG: "false", EMPTY: "" } },
  ];

  it("2-space style with indented lists", () => {
    expect(createYamlFile(documents, DEFAULT_STYLE)).toBe(
      [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: web",
        "  labels:",
        "    app: web",
        "spec:",
        "  ports:",
        "    - port: 80",
        "      name: http",
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "data:",
        '  PORT: "8080"',
        '  DEBUG: "false"',
        '  EMPTY: ""',
        "",
      ].join("\n"),
    );
  });

  it("4-space style with flush lists and CRLF", () => {
    expect(createYamlFile(documents.slice(0, 1), { eol: "\r\n", indentUnit: 4, indentSequences: false, finalNewline: true })).toBe(
      ["apiVersion: v1", "kind: Service", "metadata:", "    name: web", "    labels:", "        app: web", "spec:", "    ports:", "    - port: 80", "      name: http", ""].join(
        "\r\n",
      ),
    );
  });

  it("4-space style with indented lists", () => {
    expect(createYamlFile([{ spec: { containers: [{ name: "a", args: ["--x"] }] } }], { ...DEFAULT_STYLE, indentUnit: 4 })).toBe(
      "spec:\n    containers:\n        - name: a\n          args:\n              - --x\n",
    );
  });

  it("what it writes parses back to the same data", () => {
    for (const style of [DEFAULT_STYLE, { eol: "\r\n" as const, indentUnit: 4, indentSequences: false, finalNewline: true }]) {
      expect(dataOf(createYamlFile(documents, style))).toEqual(documents);
    }
  });
});

describe("detectStyle", () => {
  it("2-space indent, indented lists, LF, final newline", () => {
    expect(detectStyle(fixture("probe-indent2-indented", "input.yaml"))).toEqual({ eol: "\n", indentUnit: 2, indentSequences: true, finalNewline: true });
  });

  it("2-space indent, flush lists", () => {
    expect(detectStyle(fixture("probe-indent2-flush", "input.yaml"))).toEqual({ eol: "\n", indentUnit: 2, indentSequences: false, finalNewline: true });
  });

  it("4-space indent, indented and flush lists", () => {
    expect(detectStyle(fixture("requests-indent4-indented", "input.yaml"))).toEqual({ eol: "\n", indentUnit: 4, indentSequences: true, finalNewline: true });
    expect(detectStyle(fixture("security-indent4-flush", "input.yaml"))).toEqual({ eol: "\n", indentUnit: 4, indentSequences: false, finalNewline: true });
  });

  it("CRLF and no final newline", () => {
    const text = withoutFinalNewline(toCrlf(fixture("security-indent4-flush", "input.yaml")));
    expect(detectStyle(text)).toEqual({ eol: "\r\n", indentUnit: 4, indentSequences: false, finalNewline: false });
  });

  it("the majority line ending wins", () => {
    expect(detectStyle("a: 1\r\nb: 2\r\nc: 3\n")).toMatchObject({ eol: "\r\n" });
    expect(detectStyle("a: 1\nb: 2\r\nc: 3\n")).toMatchObject({ eol: "\n" });
  });

  it("comment lines and blank lines do not count as nesting", () => {
    expect(detectStyle("a:\n# comment at column 0\n\n    b: 1\nc:\n    d: 1\n")).toEqual({ eol: "\n", indentUnit: 4, indentSequences: true, finalNewline: true });
  });

  it("the most common step wins, the smaller one on a tie", () => {
    expect(detectStyle("a:\n    b:\n        c: 1\nd:\n  e: 1\n")).toMatchObject({ indentUnit: 4 });
    expect(detectStyle("a:\n    b: 1\nd:\n  e: 1\n")).toMatchObject({ indentUnit: 2 });
  });

  it("defaults for an empty text and for text with nothing nested", () => {
    expect(detectStyle("")).toEqual(DEFAULT_STYLE);
    expect(DEFAULT_STYLE).toEqual({ eol: "\n", indentUnit: 2, indentSequences: true, finalNewline: true });
    expect(detectStyle("kind: ConfigMap\n")).toEqual(DEFAULT_STYLE);
    expect(detectStyle("kind: ConfigMap")).toEqual({ ...DEFAULT_STYLE, finalNewline: false });
  });
});

describe("describePath", () => {
  it("names paths the way the reasons do", () => {
    expect(describePath([])).toBe("the document");
    expect(describePath(["spec"])).toBe("spec");
    expect(describePath(container(0, "securityContext", "allowPrivilegeEscalation"))).toBe("spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation");
    expect(describePath(["items", 2, 0, "name"])).toBe("items[2][0].name");
  });
});

/** Edge cases found by these tests, each fixed in src/edit. */
describe("edge cases", () => {
  it("a null value followed by a comment keeps the space before the comment when set to a scalar", () => {
    // Was: "requests:\n  cpu: 100m# filled by CI\n" -- the value becomes the string "100m# filled by CI".
    expect(setIn("requests:\n  cpu: # filled by CI\n  memory: 64Mi\n", 0, ["requests", "cpu"], "100m")).toEqual({
      ok: true,
      text: "requests:\n  cpu: 100m # filled by CI\n  memory: 64Mi\n",
    });
  });

  it("a null value followed by a comment keeps the comment a comment when it becomes a block", () => {
    // Was: "...livenessProbe:# TODO\n..." -- no longer a key, the document does not parse.
    const text = "containers:\n  - name: web\n    livenessProbe: # TODO\n    image: web:1.0\n";
    expect(setIn(text, 0, ["containers", 0, "livenessProbe"], { tcpSocket: { port: "http" } })).toEqual({
      ok: true,
      text: "containers:\n  - name: web\n    livenessProbe: # TODO\n      tcpSocket:\n        port: http\n    image: web:1.0\n",
    });
  });

  it("a path through an empty list ([]) to an item is refused, not turned into a mapping", () => {
    // Was: ok, "containers:\n    \"0\":\n      livenessProbe: ..." -- the list becomes a mapping with the key "0".
    const text = "spec:\n  containers: []\n";
    const result = setIn(text, 0, ["spec", "containers", 0, "livenessProbe"], { tcpSocket: { port: 8080 } });
    expect(result).toEqual({ ok: false, reason: "spec.containers has no item 0" });
  });

  it("a path through a null list to an item is refused, not turned into a mapping", () => {
    const text = "spec:\n  containers:\n  restartPolicy: Always\n";
    const result = setIn(text, 0, ["spec", "containers", 0, "image"], "web:1.0");
    expect(result.ok).toBe(false);
  });

  it("a flow mapping with a trailing comma gets a valid insertion", () => {
    // Was: "securityContext: {privileged: false,, allowPrivilegeEscalation: false}" -- does not parse.
    const text = "securityContext: {privileged: false,}\n";
    const result = setIn(text, 0, ["securityContext", "allowPrivilegeEscalation"], false);
    expect(result.ok).toBe(true);
    const written = result.ok ? result.text : "";
    expect(parseErrors(written)).toEqual([]);
    expect(dataOf(written)).toEqual([{ securityContext: { privileged: false, allowPrivilegeEscalation: false } }]);
  });

  it("a multi-line flow mapping whose last entry has a comment gets the field outside the comment", () => {
    // Was: ok, "      privileged: false # audited, allowPrivilegeEscalation: false" -- the field is written inside the comment.
    const text = "containers:\n  - name: web\n    securityContext: {\n      privileged: false # audited\n      }\n";
    expect(dataOf(text)).toEqual([{ containers: [{ name: "web", securityContext: { privileged: false } }] }]);
    const result = setIn(text, 0, ["containers", 0, "securityContext", "allowPrivilegeEscalation"], false);
    expect(result.ok).toBe(true);
    const written = result.ok ? result.text : "";
    expect(dataOf(written)).toEqual([{ containers: [{ name: "web", securityContext: { privileged: false, allowPrivilegeEscalation: false } }] }]);
    expect(written).toContain("# audited");
  });

  it("the alias refusal names the alias and its anchor, not a line (lines move while earlier fixes are applied)", () => {
    expect(setIn("a: &x\n  k: 1\nc: *x\n", 0, ["c", "k"], 2)).toEqual({ ok: false, reason: "c comes from the alias *x; edit the anchor &x instead" });
  });

  it("appending to a list inside an anchored mapping that an alias reuses is refused, as setIn is", () => {
    // Was: ok, "defaults: &defaults\n  args: [--verbose, --debug]\n..." -- the copy behind *defaults changes too.
    const text = "defaults: &defaults\n  args: [--verbose]\nweb: *defaults\n";
    expect(setIn(text, 0, ["defaults", "args"], null)).toEqual({
      ok: false,
      reason: "defaults is anchored as &defaults and reused through *defaults; an edit there would change every copy",
    });
    expect(appendToSequence(text, 0, ["defaults", "args"], "--debug")).toEqual({
      ok: false,
      reason: "defaults is anchored as &defaults and reused through *defaults; an edit there would change every copy",
    });
  });

  it("a path that ends at a list item sets the item", () => {
    // Was: { ok: false, reason: "an empty path names the whole document" } -- and that reason is wrong besides.
    expect(setIn("args:\n  - --port=8080\n  - --verbose # noisy\n", 0, ["args", 1], "--quiet")).toEqual({ ok: true, text: "args:\n  - --port=8080\n  - --quiet # noisy\n" });
  });

  it("setting a string with a comma inside a flow collection quotes it", () => {
    // Was: "env: [{name: TAGS, value: a,b}]" -- reads back as value "a" plus a new key "b".
    const text = "env: [{name: TAGS, value: x}]\n";
    expect(setIn(text, 0, ["env", 0, "value"], "a,b")).toEqual({ ok: true, text: 'env: [{name: TAGS, value: "a,b"}]\n' });
  });
});
