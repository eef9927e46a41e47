import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { maskTemplate, templateSkeleton } from "../../src/helm/template-skeleton.js";
import { composeYaml } from "../../src/yaml/compose.js";
import { getIn, isScalar } from "../../src/yaml/nodes.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/helm/", import.meta.url));

/** Every file of a fixture chart, with paths relative to the fixtures folder (`web/templates/…`). */
function chartFiles(name: string): { path: string; text: string }[] {
  const walk = (dir: string): string[] => readdirSync(join(FIXTURES, dir)).sort().flatMap((entry) => (statSync(join(FIXTURES, dir, entry)).isDirectory() ? walk(`${dir}/${entry}`) : [`${dir}/${entry}`]));
  return walk(name).map((path) => ({ path, text: readFileSync(join(FIXTURES, path), "utf8") }));
}

const templates = ["web", "web-legacy", "db"].flatMap((chart) => chartFiles(chart).filter((file) => file.path.includes("/templates/") && /\.(ya?ml|tpl)$/.test(file.path)));

/** Same length, same line breaks, and whatever is not masked is the template's own text. */
function expectSameOffsets(text: string, masked: string): void {
  expect(masked.length).toBe(text.length);
  for (let k = 0; k < text.length; k++) {
    if (text[k] === "\n" || masked[k] === "\n") expect([k, masked[k]]).toEqual([k, text[k]]);
    else if (masked[k] !== " " && masked[k] !== "x" && masked[k] !== "_") expect([k, masked[k]]).toEqual([k, text[k]]);
  }
}

describe("maskTemplate", () => {
  it.each(templates.map((file) => [file.path, file.text] as const))("keeps offsets and parses without problems: %s", (_path, text) => {
    const masked = maskTemplate(text);
    expectSameOffsets(text, masked);
    expect(composeYaml(masked).problems).toEqual([]);
  });

  it("turns scalar actions into placeholders of the same length and structural ones into nothing", () => {
    const text = [
      "{{- if .Values.enabled }}",
      "kind: Deployment",
      "metadata:",
      '  name: {{ include "x.fullname" . }}',
      "spec:",
      "  replicas: {{ .Values.replicaCount }}",
      "  containers:",
      '    - image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      "      resources:",
      "        {{- toYaml .Values.resources | nindent 8 }}",
      "      {{- with .Values.securityContext }}",
      "      securityContext: {{- toYaml . | nindent 8 }}",
      "      {{- end }}",
      "{{- end }}",
      "{{/* a comment */}}",
      "---",
      "kind: Service",
    ].join("\n");
    const masked = maskTemplate(text);
    expectSameOffsets(text, masked);
    const { documents, problems } = composeYaml(masked);
    expect(problems).toEqual([]);
    const root = documents[0]?.root;
    const scalar = (path: string[]): unknown => {
      const node = getIn(root, path);
      return isScalar(node) ? node.value : node?.kind;
    };
    expect(scalar(["metadata", "name"])).toBe(`x${"_".repeat('{{ include "x.fullname" . }}'.length - 1)}`);
    expect(scalar(["spec", "replicas"])).toBe(`x${"_".repeat("{{ .Values.replicaCount }}".length - 1)}`);
    const container = getIn(root, ["spec", "containers"]);
    expect(container?.kind).toBe("seq");
    const item = container?.kind === "seq" ? container.items[0] : undefined;
    expect(getIn(item, ["resources"])).toMatchObject({ kind: "scalar", value: null });
    expect(getIn(item, ["securityContext"])).toMatchObject({ kind: "scalar", value: null });
    expect(String((getIn(item, ["image"]) as { value: unknown }).value)).toMatch(/^x_+:x_+$/);
    expect(documents[1]?.root).toMatchObject({ kind: "map" });
    expect(masked.split("\n")[0]!.trim()).toBe("");
    expect(masked.split("\n")[14]!.trim()).toBe("");
  });

  it("keeps only the first branch of an if/else chain, so alternatives are not duplicate keys", () => {
    const text = [
      "resources:",
      "  {{- if .Values.resources }}",
      "  limits: {{- toYaml .Values.resources | nindent 4 }}",
      "  {{- else }}",
      "  limits: {}",
      "  {{- end }}",
    ].join("\n");
    const masked = maskTemplate(text);
    expect(masked.length).toBe(text.length);
    expect(masked.split("\n")[4]!.trim()).toBe("");
    expect(composeYaml(masked).problems).toEqual([]);
  });

  it("remembers the key a structural output followed", () => {
    const { actions } = templateSkeleton("resources:\n  {{- toYaml .Values.resources | nindent 2 }}\nlabels: {{- include \"x.labels\" . | nindent 2 }}\n");
    expect(actions.map((a) => [a.block, a.key])).toEqual([
      [true, "resources"],
      [true, "labels"],
    ]);
  });

  it("does not throw on a broken action, and masks it to its line's end", () => {
    const text = "a: 1\nb: {{ .Values.b \nc: {{ .Values.c }}\nd: {{ .Values.d }\n";
    const { text: masked, actions } = templateSkeleton(text);
    expect(masked.length).toBe(text.length);
    expect(actions.map((a) => a.closed)).toEqual([false, true, false]);
    expect(composeYaml(masked).problems).toEqual([]);
  });
});
