import { describe, expect, it } from "vitest";
import { chartOfValuesFile, type HelmChartInfo } from "../../src/images/helm-charts.js";
import { helmValuesImageSites, type ValuesFileWalk } from "../../src/images/helm-values-sites.js";
import { documentsOf, fixtureText, located, sha } from "./helpers.js";

const WORKER_DIGEST = sha("0123456789abcdef");
const API_DIGEST = sha("89abcdef01234567");

function sitesOf(text: string, walk: ValuesFileWalk = { details: { chart: "chart" } }, file = "chart/values.yaml") {
  return helmValuesImageSites(file, text, documentsOf(text), walk);
}

function layered(text: string, base: string) {
  return sitesOf(text, { details: { chart: "chart" }, base: { file: "chart/values.yaml", root: documentsOf(base)[0]?.root } }, "chart/values-prod.yaml");
}

describe("helm-values image sites in a chart's values.yaml", () => {
  const text = fixtureText("chart/values.yaml");
  const sites = sitesOf(text, { details: { chart: "chart" }, appVersion: "1.16.0" });

  it("finds every shape, block and flow, nested per component and in lists; the site is the tag when there is one", () => {
    expect(located(sites, text)).toEqual([
      { kind: "helm-values", image: "ghcr.io/acme/shop", line: 5, column: 9, at: "" },
      { kind: "helm-values", image: "registry.example.com/acme/api:3.4.1", line: 13, column: 10, at: "3.4.1" },
      { kind: "helm-values", image: `acme/worker:2024.05@${WORKER_DIGEST}`, line: 16, column: 42, at: "2024.05" },
      { kind: "helm-values", image: "fluent/fluent-bit:3.0", line: 19, column: 14, at: "fluent/fluent-bit:3.0" },
      { kind: "helm-values", image: "envoyproxy/envoy:v1.30.1", line: 20, column: 29, at: "envoyproxy/envoy:v1.30.1" },
      { kind: "helm-values", image: "registry.k8s.io/ingress-nginx/controller:v1.10.0", line: 26, column: 11, at: "v1.10.0" },
      { kind: "helm-values", image: "bitnami/kubectl:1.29", line: 28, column: 17, at: "bitnami/kubectl:1.29" },
      { kind: "helm-values", image: "docker.io/prom/statsd-exporter:1.10", line: 32, column: 10, at: "1.10" },
      { kind: "helm-values", image: "redis:7.2", line: 34, column: 36, at: "7.2" },
      { kind: "helm-values", image: "quay.io/acme/legacy:0.9", line: 37, column: 14, at: "0.9" },
    ]);
  });

  it("leaves placeholders (blank, null, booleans) and imagePullPolicy alone", () => {
    expect(sites.filter((site) => site.path?.[0] === "placeholders")).toEqual([]);
    expect(sites.every((site) => site.details.malformed === undefined && site.details.templated === undefined)).toBe(true);
  });

  it("gives split references their holder and each part's key and offset", () => {
    const api = sites[1]!;
    expect(api.path).toEqual(["api", "image", "tag"]);
    expect(api.holder?.path).toEqual(["api", "image"]);
    expect(Object.fromEntries(Object.entries(api.parts ?? {}).map(([part, site]) => [part, [site.key, site.text, text.slice(site.offset, site.end)]]))).toEqual({
      registry: ["registry", "registry.example.com", "registry.example.com"],
      repository: ["repository", "acme/api", "acme/api"],
      tag: ["tag", "3.4.1", "3.4.1"],
      digest: ["digest", "", ""],
    });
    expect(Object.fromEntries(Object.entries(sites[5]!.parts ?? {}).map(([part, site]) => [part, site.key]))).toEqual({ registry: "registry", repository: "image", tag: "tag" });
    expect(Object.fromEntries(Object.entries(sites[7]!.parts ?? {}).map(([part, site]) => [part, site.key]))).toEqual({ registry: "registry", repository: "name", tag: "tag" });
    expect(Object.fromEntries(Object.entries(sites[9]!.parts ?? {}).map(([part, site]) => [part, site.key]))).toEqual({ repository: "image", tag: "imageTag" });
    expect(sites[3]?.parts).toBeUndefined();
    expect(sites[3]?.path).toEqual(["worker", "sidecars", 0, "image"]);
  });

  it("records the shape, whether a digest field exists, the appVersion fallback and numeric tags", () => {
    expect(sites.map((site) => [site.details.shape, site.details.digestField, site.details.tagFrom, site.details.appVersion, site.details.numericTag])).toEqual([
      ["map", "absent", "chart-appVersion", "1.16.0", undefined],
      ["map", "present", undefined, undefined, undefined],
      ["map", "present", undefined, undefined, undefined],
      ["string", undefined, undefined, undefined, undefined],
      ["string", undefined, undefined, undefined, undefined],
      ["map", "absent", undefined, undefined, undefined],
      ["string", undefined, undefined, undefined, undefined],
      ["map", "absent", undefined, undefined, "true"],
      ["map", "absent", undefined, undefined, undefined],
      ["map", "absent", undefined, undefined, undefined],
    ]);
    expect(sites.every((site) => site.details.chart === "chart" && site.document === 0)).toBe(true);
  });

  it("records the appVersion fallback without a version when the chart has none", () => {
    const [site] = sitesOf("image:\n  repository: nginx\n  tag:\n");
    expect([site?.image, site?.details.tagFrom, site?.details.appVersion, site?.line, site?.path]).toEqual(["nginx", "chart-appVersion", undefined, 3, ["image", "tag"]]);
  });

  it("does not fall back to appVersion when a digest pins the image", () => {
    const [site] = sitesOf(`image: {repository: nginx, tag: "", digest: "${WORKER_DIGEST}"}\n`, { details: {}, appVersion: "1.0.0" });
    expect([site?.image, site?.details.tagFrom, site?.details.appVersion, site?.column, site?.path]).toEqual([`nginx@${WORKER_DIGEST}`, undefined, undefined, 46, ["image", "digest"]]);
  });

  it("points at the repository when a shape has neither tag nor digest, and ignores numbers under image keys", () => {
    const values = "image: 42\nbackend:\n  image: {repository: acme/backend}\n";
    expect(located(sitesOf(values), values)).toEqual([{ kind: "helm-values", image: "acme/backend", line: 3, column: 23, at: "acme/backend" }]);
  });

  it("does not take a mapping with a tag but no image key or repository for an image", () => {
    expect(sitesOf("release:\n  name: api\n  tag: v1\nchart: {repo: https://charts.example.com, tag: v2}\n")).toEqual([]);
  });

  it("names the anchor that aliases share", () => {
    const values = "defaults: &img {repository: nginx, tag: \"1.25\"}\nweb:\n  image: *img\n";
    expect(sitesOf(values).map((site) => [site.path, site.details.sharedAnchor])).toEqual([
      [["defaults", "tag"], "img"],
      [["web", "image", "tag"], "img"],
    ]);
  });
});

describe("helm-values sites in a values file layered over values.yaml", () => {
  const base = fixtureText("chart/values.yaml");

  it("fills the parts this file leaves out from values.yaml at the same path, and points at this file's part", () => {
    const text = fixtureText("chart/values-prod.yaml");
    const sites = layered(text, base);
    expect(located(sites, text)).toEqual([
      { kind: "helm-values", image: "ghcr.io/acme/shop:1.17.2", line: 2, column: 8, at: "1.17.2" },
      { kind: "helm-values", image: `registry.example.com/acme/api:3.4.1@${API_DIGEST}`, line: 5, column: 13, at: API_DIGEST },
      { kind: "helm-values", image: `acme/worker:{{ .Values.global.workerTag }}@${WORKER_DIGEST}`, line: 8, column: 11, at: "{{ .Values.global.workerTag }}" },
    ]);
    expect(sites.map((site) => [site.details.inheritedParts, site.details.inheritedFrom, site.details.templated, Object.keys(site.parts ?? {})])).toEqual([
      ["repository", "chart/values.yaml", undefined, ["tag"]],
      ["registry,repository,tag", "chart/values.yaml", undefined, ["digest"]],
      ["repository,digest", "chart/values.yaml", "true", ["tag"]],
    ]);
    expect(sites[1]?.holder?.path).toEqual(["api", "image"]);
  });

  it("reads a flow-style override", () => {
    const text = fixtureText("chart/staging.values.yaml");
    expect(located(layered(text, base), text)).toEqual([
      { kind: "helm-values", image: "registry.k8s.io/ingress-nginx/controller:v1.10.1", line: 2, column: 16, at: "v1.10.1" },
    ]);
  });

  it("drops a tag-only override that no base completes, and does not merge lists", () => {
    expect(layered("other:\n  image: {tag: v9}\n", base)).toEqual([]);
    expect(sitesOf("image: {tag: v9}\n")).toEqual([]);
    expect(layered("list:\n  - image: {tag: v9}\n", "list:\n  - image: {repository: nginx, tag: v1}\n")).toEqual([]);
  });

  it("lets a null in the override remove the base's tag, as Helm does", () => {
    const [site] = layered("image:\n  repository: acme/shop\n  tag: ~\n", "image: {repository: nginx, tag: \"1.0\"}\n");
    expect([site?.image, site?.details.tagFrom, site?.details.inheritedParts]).toEqual(["acme/shop", "chart-appVersion", undefined]);
  });
});

describe("which files are Helm values files", () => {
  const charts = new Map<string, HelmChartInfo>([
    ["charts/shop", { root: "charts/shop", appVersion: "2.0" }],
    ["", { root: "" }],
  ]);

  it.each([
    ["charts/shop/values.yaml", "helm-values", "charts/shop"],
    ["charts/shop/values-prod.yml", "helm-values", "charts/shop"],
    ["charts/shop/values.staging.yaml", "yaml", "charts/shop"],
    ["charts/shop/prod.values.yaml", "yaml", "charts/shop"],
    ["charts/shop/prod-values.yaml", "yaml", "charts/shop"],
    ["values.yaml", "yaml", ""],
    ["charts/shop/templates/values.yaml", "helm-template", undefined],
    ["charts/shop/ci/values.yaml", "yaml", undefined],
    ["charts/shop/Chart.yaml", "helm-chart", undefined],
    ["charts/shop/values.schema.json", "other", undefined],
    ["apps/values.yaml", "yaml", undefined],
  ])("%s (%s) belongs to chart %s", (path, role, root) => {
    expect(chartOfValuesFile(path, role, charts)?.root).toBe(root);
  });
});
