import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { templatesReadDigest, type TemplateFile } from "../../src/images/helm-template-reads.js";
import { FIXTURES } from "./helpers.js";

const TEMPLATE_FILE = /\.(ya?ml|tpl|txt)$/;

/** Every Go-template file of a fixture chart: its templates/** and its vendored charts/*\/templates/**, paths relative to the fixtures root. */
function chartTemplates(chart: string): TemplateFile[] {
  const root = `helm-template-reads/${chart}`;
  const files: TemplateFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(FIXTURES, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (TEMPLATE_FILE.test(entry.name)) files.push({ path, text: readFileSync(join(FIXTURES, path), "utf8") });
    }
  };
  walk(`${root}/templates`);
  const vendored = readdirSync(join(FIXTURES, root), { withFileTypes: true }).some((entry) => entry.name === "charts");
  if (vendored) for (const sub of readdirSync(join(FIXTURES, root, "charts")).sort()) walk(`${root}/charts/${sub}/templates`);
  return files;
}

/** One template file in a chart at `chart/`. */
const reads = (text: string, valuesPath: readonly string[] = ["image"]): boolean => templatesReadDigest([{ path: "chart/templates/deployment.yaml", text }], valuesPath);

describe("templatesReadDigest on fixture charts", () => {
  it("helm create's chart renders repository:tag, never a digest", () => {
    const templates = chartTemplates("helm-create");
    expect(templates.map((file) => file.path)).toEqual(["helm-template-reads/helm-create/templates/_helpers.tpl", "helm-template-reads/helm-create/templates/deployment.yaml"]);
    expect(templatesReadDigest(templates, ["image"])).toBe(false);
  });

  it("a chart reading .Values.image.digest directly reads it for image, not for its sidecar", () => {
    const templates = chartTemplates("direct-digest");
    expect(templatesReadDigest(templates, ["image"])).toBe(true);
    expect(templatesReadDigest(templates, ["sidecar", "image"])).toBe(false);
    expect(templatesReadDigest(templates, ["sidecar"])).toBe(false);
  });

  it("Bitnami-style: app.image passes .Values.image to common.images.image, which reads .imageRoot.digest even when common is not vendored", () => {
    const templates = chartTemplates("bitnami");
    expect(templates.some((file) => file.path.includes("/charts/"))).toBe(false);
    expect(templatesReadDigest(templates, ["image"])).toBe(true);
    expect(templatesReadDigest(templates, ["metrics", "image"])).toBe(false);
    expect(templatesReadDigest(templates, ["global"])).toBe(false);
  });

  it("Bitnami-style with common vendored: reads the vendored definition", () => {
    const templates = chartTemplates("bitnami-vendored");
    expect(templates.map((file) => file.path)).toContain("helm-template-reads/bitnami-vendored/charts/common/templates/_images.tpl");
    expect(templatesReadDigest(templates, ["image"])).toBe(true);
    expect(templatesReadDigest(templates, ["metrics", "image"])).toBe(false);
  });

  it("a vendored common chart from before digests (1.x) is read instead of assumed", () => {
    const common1 = [
      '{{- define "common.images.image" -}}',
      "{{- $registryName := .imageRoot.registry -}}",
      "{{- $repositoryName := .imageRoot.repository -}}",
      "{{- $tag := .imageRoot.tag | toString -}}",
      "{{- if .global }}{{- if .global.imageRegistry }}{{- $registryName = .global.imageRegistry -}}{{- end -}}{{- end -}}",
      '{{- if $registryName }}{{- printf "%s/%s:%s" $registryName $repositoryName $tag -}}',
      '{{- else -}}{{- printf "%s:%s" $repositoryName $tag -}}{{- end -}}',
      "{{- end -}}",
    ].join("\n");
    const templates = chartTemplates("bitnami-vendored").map((file) => (file.path.endsWith("/_images.tpl") ? { ...file, text: common1 } : file));
    expect(templatesReadDigest(templates, ["image"])).toBe(false);
  });

  it("per-component images: only the controller's helper reads the digest", () => {
    const templates = chartTemplates("nested");
    expect(templatesReadDigest(templates, ["controller", "image"])).toBe(true);
    expect(templatesReadDigest(templates, ["webhook", "image"])).toBe(false);
    expect(templatesReadDigest(templates, ["image"])).toBe(false);
    expect(templatesReadDigest(templates, ["controller"])).toBe(false);
  });
});

describe("templatesReadDigest: direct reads", () => {
  it.each([
    "{{ .Values.image.digest }}",
    "{{ $.Values.image.digest }}",
    "{{- if .Values.image.digest }}@{{ end }}",
    '{{ index .Values "image" "digest" }}',
    '{{ index .Values.image "digest" }}',
    "{{.Values.image.digest}}",
    "{{- .Values.image.digest -}}",
    "{{ .Values.image.digest | quote }}",
    '{{ .Values.image.digest | default "" }}',
    '{{ printf "%s@%s" .Values.image.repository .Values.image.digest }}',
    '{{ printf "}}" }}{{ .Values.image.digest }}', // a string in an action may hold `}}`
    "{{ (.Values.image).digest }}",
    "{{ with .Values }}{{ $.Values.image.digest }}{{ end }}",
    '{{ get .Values.image "digest" }}',
  ])("%s", (text) => {
    expect(reads(text)).toBe(true);
  });

  it("matches the whole values path", () => {
    expect(reads("{{ .Values.controller.image.digest }}", ["controller", "image"])).toBe(true);
    expect(reads("{{ .Values.image.digest }}", ["controller", "image"])).toBe(false);
    expect(reads("{{ .Values.controller.image.digest }}", ["image"])).toBe(false);
    expect(reads("{{ .Values.image.digest }}", ["sidecar", "image"])).toBe(false);
    expect(reads("{{ .Values.image.digestAlgorithm }}")).toBe(false);
    expect(reads("{{ .Values.image.tag }}")).toBe(false);
  });

  it.each([
    ["a YAML comment outside actions", "# digest: set .Values.image.digest\nimage: {{ .Values.image.repository }}"],
    ["a template comment", "{{/* .Values.image.digest */}}"],
    ["a trimmed template comment", "{{- /* .Values.image.digest */ -}}"],
    ["a comment quoting an action", '{{/* {{ .Values.image.digest }} */}}{{ .Values.image.tag }}'],
    ["a string literal", '{{ .Values.image.tag | default "}} .Values.image.digest {{" }}'],
    ["a raw string", "{{ print `.Values.image.digest` }}"],
    ["an unclosed action", "{{ .Values.image.digest"],
    ["an unclosed string", '{{ printf "oops }}\n{{ .Values.image.repository }}'],
    ["hasKey, which does not read the field", '{{ if hasKey .Values.image "digest" }}{{ end }}'],
  ])("no read in %s", (_, text) => {
    expect(reads(text)).toBe(false);
  });
});

describe("templatesReadDigest: scopes", () => {
  it("follows with, and restores . at its end and in its else", () => {
    expect(reads("{{- with .Values.image }}\nimage: {{ .repository }}@{{ .digest }}\n{{- end }}")).toBe(true);
    expect(reads("{{ with .Values.image }}{{ with .digest }}@{{ . }}{{ end }}{{ end }}")).toBe(true);
    expect(reads("{{ with .Values.image }}{{ if .tag }}{{ .tag }}{{ end }}{{ end }}{{ .digest }}")).toBe(false);
    expect(reads("{{ with .Values.image }}{{ .tag }}{{ else }}{{ .digest }}{{ end }}")).toBe(false);
    expect(reads("{{ with .Values.sidecar.image }}{{ .digest }}{{ end }}")).toBe(false);
    expect(reads("{{ with .Values.other }}{{ .digest }}{{ end }}")).toBe(false);
    expect(reads("{{ with .Values.other }}{{ else with .Values.image }}{{ .digest }}{{ end }}")).toBe(true);
    expect(reads("{{ with $img := .Values.image }}{{ $img.digest }}{{ end }}")).toBe(true);
  });

  it("after the matching end, . is the outer one again", () => {
    const text = "{{ with .Values.controller }}{{ with .image }}{{ .tag }}{{ end }}{{ .digest }}{{ end }}";
    expect(reads(text, ["controller", "image"])).toBe(false);
    expect(reads(text, ["controller"])).toBe(true);
  });

  it("follows variables, scoped to their block", () => {
    expect(reads("{{ $img := .Values.image }}\nimage: {{ $img.repository }}@{{ $img.digest }}")).toBe(true);
    expect(reads("{{ $img := .Values.sidecar.image }}{{ $img.digest }}")).toBe(false);
    expect(reads("{{ $img := .Values.other }}{{ $img = .Values.image }}{{ $img.digest }}")).toBe(true);
    expect(reads("{{ $img := .Values.image }}{{ if true }}{{ $img := .Values.other }}{{ end }}{{ $img.digest }}")).toBe(true);
    expect(reads("{{ $img := .Values.image }}{{ if true }}{{ $img := .Values.other }}{{ $img.digest }}{{ end }}")).toBe(false);
    expect(reads("{{ $img := .Values.image | default dict }}{{ $img.digest }}")).toBe(true);
    expect(reads("{{ $v := .Values }}{{ $v.image.digest }}")).toBe(true);
  });

  it("reads every element of a range", () => {
    expect(reads("{{ range .Values.components }}{{ .image.digest }}{{ end }}", ["components", "api", "image"])).toBe(true);
    expect(reads("{{ range $name, $c := .Values.components }}{{ $c.image.digest }}{{ end }}", ["components", "api", "image"])).toBe(true);
    expect(reads("{{ range .Values.components }}{{ .image.tag }}{{ end }}{{ .digest }}", ["components", "api", "image"])).toBe(false);
  });
});

describe("templatesReadDigest: named templates", () => {
  const helpers = (body: string): TemplateFile => ({ path: "chart/templates/_helpers.tpl", text: `{{- define "app.image" -}}\n${body}\n{{- end -}}\n` });
  const chart = (body: string, call: string, valuesPath: readonly string[] = ["image"]): boolean =>
    templatesReadDigest([helpers(body), { path: "chart/templates/deployment.yaml", text: `image: ${call}\n` }], valuesPath);

  it("follows what a define is given", () => {
    expect(chart("{{ .repository }}@{{ .digest }}", '{{ include "app.image" .Values.image }}')).toBe(true);
    expect(chart("{{ .repository }}@{{ .digest }}", '{{ include "app.image" $.Values.image }}')).toBe(true);
    expect(chart("{{ .repository }}@{{ .digest }}", '{{ template "app.image" .Values.image }}')).toBe(true);
    expect(chart("{{ .repository }}@{{ .digest }}", '{{ include "app.image" .Values.sidecar.image }}')).toBe(false);
    expect(chart("{{ .repository }}:{{ .tag }}", '{{ include "app.image" .Values.image }}')).toBe(false);
    expect(chart("{{ .Values.image.digest }}", '{{ include "app.image" . }}')).toBe(true);
    expect(chart("{{ $.Values.image.digest }}", '{{ include "app.image" . }}')).toBe(true);
    expect(chart("{{ .Values.image.digest }}", "{{ .Values.image.tag }}")).toBe(false); // defined, never included
  });

  it("follows dict keys, any key", () => {
    const call = '{{ include "app.image" (dict "imageRoot" .Values.image "global" .Values.global) }}';
    expect(chart("{{ .imageRoot.digest }}", call)).toBe(true);
    expect(chart("{{- $imageRoot := .imageRoot -}}{{ $imageRoot.digest }}", call)).toBe(true);
    expect(chart("{{ .global.digest }}", call)).toBe(false);
    expect(chart("{{ with .img }}{{ .digest }}{{ end }}", '{{ include "app.image" (dict "ctx" $ "img" .Values.controller.image) }}', ["controller", "image"])).toBe(true);
    expect(chart("{{ .ctx.Values.image.digest }}", '{{ include "app.image" (dict "ctx" $) }}')).toBe(true);
  });

  it("follows chains of includes, and stops on recursion", () => {
    const files: TemplateFile[] = [
      { path: "chart/templates/_a.tpl", text: '{{ define "a" }}{{ include "b" (dict "root" .) }}{{ end }}' },
      { path: "chart/templates/_b.tpl", text: '{{ define "b" }}{{ include "b" (dict "root" .) }}{{ include "b" .root }}{{ .root.image.digest }}{{ end }}' },
      { path: "chart/templates/x.yaml", text: '{{ include "a" .Values }}' },
    ];
    expect(templatesReadDigest(files, ["image"])).toBe(true);
    expect(templatesReadDigest(files, ["other"])).toBe(false);
  });

  it("knows Bitnami's common.images.image only when its definition is missing", () => {
    const call = '{{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) }}';
    expect(reads(call)).toBe(true);
    expect(reads(call, ["metrics", "image"])).toBe(false);
    expect(reads('{{ include "common.images.image" (dict "imageRoot" .Values.metrics.image "global" .Values.global) }}', ["metrics", "image"])).toBe(true);
    expect(chart("{{ .imageRoot.tag }}", call.replace("common.images.image", "app.image"))).toBe(false);
    const defined: TemplateFile = { path: "chart/charts/common/templates/_images.tpl", text: '{{ define "common.images.image" }}{{ .imageRoot.tag }}{{ end }}' };
    expect(templatesReadDigest([defined, { path: "chart/templates/d.yaml", text: call }], ["image"])).toBe(false);
  });

  it("reads a vendored subchart's own templates as reading its values", () => {
    const subchart: TemplateFile = { path: "deploy/app/charts/redis/templates/statefulset.yaml", text: "{{ .Values.image.digest }}" };
    const own: TemplateFile = { path: "deploy/app/templates/deployment.yaml", text: "{{ .Values.image.tag }}" };
    expect(templatesReadDigest([own, subchart], ["image"])).toBe(false);
    expect(templatesReadDigest([own, subchart], ["redis", "image"])).toBe(true);
    // An umbrella chart with no templates of its own: only the chart root tells the subchart's values apart.
    expect(templatesReadDigest([subchart], ["image"], "deploy/app")).toBe(false);
    expect(templatesReadDigest([subchart], ["redis", "image"], "deploy/app")).toBe(true);
    expect(templatesReadDigest([subchart], ["image"])).toBe(true); // guessed: the shallowest templates/ is the chart's own
    expect(templatesReadDigest([{ ...subchart, path: "charts/redis/templates/statefulset.yaml" }], ["redis", "image"], "")).toBe(true);
  });

  it("counts what partials and NOTES.txt render only through their defines: helm renders them into no manifest", () => {
    const at = (path: string): boolean => templatesReadDigest([{ path, text: "{{ .Values.image.digest }}" }], ["image"]);
    expect([at("chart/templates/_helpers.tpl"), at("chart/templates/NOTES.txt"), at("chart/templates/image.txt"), at("chart/templates/tests/pod.yaml")]).toEqual([false, false, true, true]);
  });

  it("takes the definition helm keeps when a name is defined twice: the chart's over a subchart's", () => {
    const sub: TemplateFile = { path: "app/charts/lib/templates/_image.tpl", text: '{{ define "img" }}{{ .digest }}{{ end }}' };
    const own: TemplateFile = { path: "app/templates/_image.tpl", text: '{{ define "img" }}{{ .tag }}{{ end }}' };
    const use: TemplateFile = { path: "app/templates/deployment.yaml", text: '{{ include "img" .Values.image }}' };
    expect(templatesReadDigest([sub, own, use], ["image"])).toBe(false);
    expect(templatesReadDigest([own, sub, use], ["image"])).toBe(false);
    expect(templatesReadDigest([sub, use], ["image"])).toBe(true);
  });

  it("block defines and runs its body", () => {
    expect(reads('{{ block "app.image" .Values.image }}{{ .digest }}{{ end }}')).toBe(true);
    expect(reads('{{ block "app.image" .Values.other }}{{ .digest }}{{ end }}')).toBe(false);
  });
});

describe("templatesReadDigest on hostile input", () => {
  const fast = (text: string): void => {
    const started = performance.now();
    expect(() => templatesReadDigest([{ path: "chart/templates/x.yaml", text }], ["image"])).not.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
  };
  const MB = 1 << 20;

  it("returns within a second on 1 MB of unbalanced or deep input", () => {
    fast("{{".repeat(MB / 2));
    fast("{{ if .x }}".repeat(MB / 11));
    fast(`{{ ${"(".repeat(MB)} }}`);
    fast(`{{ "${"\\".repeat(MB)}`);
    fast("{{ `".padEnd(MB, "}"));
    fast("{{/*".padEnd(MB, "*"));
    fast("{{ $a := .Values }}{{ $b }}".repeat(MB / 28));
    fast('{{ define "x" }}{{ include "x" (dict "a" .) }}{{ end }}{{ include "x" . }}'.repeat(MB / 80));
  });

  it("ends after an unclosed action or string, and on binary junk", () => {
    expect(reads("{{ .Values.image.tag }}{{ `\n}}{{ .Values.image.digest }}")).toBe(false);
    const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join("");
    expect(reads(junk)).toBe(false);
    expect(reads(`${junk}{{ .Values.image.digest }}`)).toBe(true);
  });

  it("never throws on arbitrary template-ish text", () => {
    const piece = fc.constantFrom("{{", "}}", "{{-", "-}}", "/*", "*/", '"', "`", "'", "(", ")", "|", ":=", "=", ",", " ", "\n", ".Values", ".image", ".digest", "$", "$x", "with", "range", "if", "else", "end", "define", "block", "include", "template", '"x"', "dict", "index", "default");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.constantFrom("image", "digest", "x"), { maxLength: 3 }), (pieces, valuesPath) => {
        const text = pieces.join("");
        expect(typeof templatesReadDigest([{ path: "t/templates/a.tpl", text }, { path: "t/templates/b.yaml", text: text + '{{ include "x" .Values.image }}' }], valuesPath)).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });
});
