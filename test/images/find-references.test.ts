import { describe, expect, it } from "vitest";
import { findImageReferences, type ImageReferenceSite } from "../../src/images/find-references.js";
import { parseWorkspace } from "../../src/scan/parse-workspace.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { DEFAULT_YAML_LIMITS } from "../../src/yaml/compose.js";
import { LineIndex } from "../../src/yaml/lines.js";
import { FIXTURES } from "./helpers.js";

const workspace = loadWorkspace(FIXTURES, { maxFileBytes: 1_000_000, ignorePaths: [] });
const parsed = parseWorkspace(workspace, DEFAULT_YAML_LIMITS);
const texts = new Map(workspace.map((file) => [file.path, file.text ?? ""]));

/** `file kind line:column`, with the position computed here from the offset. */
function rows(sites: readonly ImageReferenceSite[]): string[] {
  return sites.map((site) => {
    const { line, column } = new LineIndex(texts.get(site.file) ?? "").position(site.offset);
    return `${site.file} ${site.kind} ${line}:${column} ${site.image}`;
  });
}

describe("findImageReferences over a workspace", () => {
  const sites = findImageReferences(parsed.files);

  it("reads every source, in file order and by offset within a file", () => {
    expect(rows(sites).map((row) => row.replace(/sha256:[0-9a-f]{64}/g, "sha256:…"))).toEqual([
      ".github/workflows/ci.yml workflow-container 6:16 node:20-bookworm",
      ".github/workflows/ci.yml workflow-service 9:16 postgres:16",
      ".github/workflows/ci.yml workflow-service 11:23 redis:7.2",
      ".github/workflows/ci.yml workflow-step 15:24 hadolint/hadolint:v2.12.0",
      ".github/workflows/ci.yml workflow-step 16:25 alpine:3.19",
      ".github/workflows/ci.yml workflow-container 21:14 ghcr.io/acme/builder@sha256:…",
      ".github/workflows/ci.yml workflow-container 28:16 ${{ matrix.image }}",
      "argocd/apps.yaml argocd-kustomize-images 11:17 nginx:1.25.3",
      "argocd/apps.yaml argocd-kustomize-images 12:12 ghcr.io/acme/api:v2.0.1",
      "argocd/apps.yaml argocd-kustomize-images 13:17 bitnami/redis@sha256:…",
      "argocd/apps.yaml argocd-helm-values 27:19 ghcr.io/acme/shop:1.2.3",
      "argocd/apps.yaml argocd-kustomize-images 30:36 busybox:1.36",
      "argocd/apps.yaml argocd-kustomize-images 30:51 memcached:1.6",
      "argocd/apps.yaml argocd-kustomize-images 44:22 nginx:{{tag}}",
      "chart/staging.values.yaml helm-values 2:16 registry.k8s.io/ingress-nginx/controller:v1.10.1",
      "chart/values-prod.yaml helm-values 2:8 ghcr.io/acme/shop:1.17.2",
      "chart/values-prod.yaml helm-values 5:13 registry.example.com/acme/api:3.4.1@sha256:…",
      "chart/values-prod.yaml helm-values 8:11 acme/worker:{{ .Values.global.workerTag }}@sha256:…",
      "chart/values.yaml helm-values 5:9 ghcr.io/acme/shop",
      "chart/values.yaml helm-values 13:10 registry.example.com/acme/api:3.4.1",
      "chart/values.yaml helm-values 16:42 acme/worker:2024.05@sha256:…",
      "chart/values.yaml helm-values 19:14 fluent/fluent-bit:3.0",
      "chart/values.yaml helm-values 20:29 envoyproxy/envoy:v1.30.1",
      "chart/values.yaml helm-values 26:11 registry.k8s.io/ingress-nginx/controller:v1.10.0",
      "chart/values.yaml helm-values 28:17 bitnami/kubectl:1.29",
      "chart/values.yaml helm-values 32:10 docker.io/prom/statsd-exporter:1.10",
      "chart/values.yaml helm-values 34:36 redis:7.2",
      "chart/values.yaml helm-values 37:14 quay.io/acme/legacy:0.9",
      "compose/compose.yaml compose 1:29 traefik:v3.0",
      "compose/docker-compose.yml compose 3:12 nginx:1.25",
      "compose/docker-compose.yml compose 7:12 acme/app:dev",
      "compose/docker-compose.yml compose 8:16 postgres:16@sha256:…",
      "compose/docker-compose.yml compose 10:12 ${CACHE_IMAGE:-redis:7}",
      "compose/docker-compose.yml compose 12:12 $QUEUE_IMAGE",
      "compose/docker-compose.yml compose 14:12 acme/price:1$$",
      "docker/Dockerfile dockerfile-from 3:11 node:20.11-alpine",
      "docker/Dockerfile dockerfile-from 4:16 gcr.io/distroless/nodejs20-debian12",
      "docker/Dockerfile dockerfile-from 13:6 golang:1.22",
      "docker/Dockerfile dockerfile-from 21:6 node:20.11",
      "docker/Dockerfile dockerfile-copy-from 24:13 nginx:1.25",
      "docker/Dockerfile dockerfile-from 28:6 $UNSET",
      "docker/Dockerfile.crlf dockerfile-from 1:10 python:3.12-slim",
      "docker/Dockerfile.crlf dockerfile-from 6:29 debian:bookworm",
      "kustomize/kustomization.yaml kustomize-images 8:14 nginx:1.25.3",
      "kustomize/kustomization.yaml kustomize-images 11:13 registry.example.com/acme/api:v2.0.0@sha256:…",
      "kustomize/kustomization.yaml kustomize-images 13:28 bitnami/redis",
      "kustomize/kustomization.yaml kustomize-images 15:13 postgres@sha256:…",
      "kustomize/kustomization.yaml kustomize-images 17:13 busybox:1.36",
      "manifests/crlf.yaml pod-spec 10:19 ghcr.io/acme/app:1.0.0",
      "manifests/crlf.yaml pod-spec 19:44 busybox:1.36",
      "manifests/crlf.yaml pod-spec 22:18 datadog/agent:7",
      "manifests/workloads.yaml pod-spec 11:18 ghcr.io/acme/migrate:2.1.0",
      "manifests/workloads.yaml pod-spec 14:19 nginx:1.25",
      "manifests/workloads.yaml pod-spec 16:19 docker.io/envoyproxy/envoy@sha256:…",
      "manifests/workloads.yaml pod-spec 30:102 busybox:1.36",
      "manifests/workloads.yaml pod-spec 30:137 ${REGISTRY}/tool:${TAG}",
      "manifests/workloads.yaml pod-spec 39:14 Bad_Image:latest",
      "manifests/workloads.yaml pod-spec 42:14 alpine",
      "manifests/workloads.yaml pod-spec 56:22 postgres:16.2",
    ]);
  });

  it("reads nothing from Chart.yaml or the chart's Go templates", () => {
    expect(sites.filter((site) => site.file.startsWith("chart/") && !site.file.includes("values"))).toEqual([]);
    expect(workspace.find((file) => file.path === "chart/templates/deployment.yaml")?.role).toBe("helm-template");
  });

  it("takes appVersion from the chart's Chart.yaml, and layers values-*.yaml and *.values.yaml over values.yaml", () => {
    const chart = sites.filter((site) => site.kind === "helm-values");
    expect(chart.find((site) => site.file === "chart/values.yaml")?.details).toMatchObject({ appVersion: "1.16.0", tagFrom: "chart-appVersion", chart: "chart" });
    expect(chart.filter((site) => site.details.inheritedFrom === "chart/values.yaml").map((site) => site.file)).toEqual([
      "chart/staging.values.yaml",
      "chart/values-prod.yaml",
      "chart/values-prod.yaml",
      "chart/values-prod.yaml",
    ]);
  });

  it("gives the same sites from workspace files without parsed documents", () => {
    const raw = workspace.map((file) => ({ path: file.path, role: file.role, text: file.text ?? "" }));
    expect(findImageReferences(raw)).toEqual(sites);
  });

  it("uses the charts it is given instead of the Chart.yaml files it sees", () => {
    const given = findImageReferences(parsed.files, { charts: [{ root: "chart", appVersion: "9.9.9" }] });
    expect(given.find((site) => site.file === "chart/values.yaml")?.details.appVersion).toBe("9.9.9");
    const none = findImageReferences(parsed.files, { charts: [] });
    // Values files keep their helm-values role from roles.ts (every spelling, staging.values.yaml too): still read, with no appVersion to offer.
    expect(none.filter((site) => site.file === "chart/staging.values.yaml").map((site) => [site.kind, site.details.chart, site.details.appVersion])).toEqual([
      ["helm-values", "chart", undefined],
    ]);
    const values = none.filter((site) => site.file === "chart/values.yaml");
    expect(values.map((site) => [site.kind, site.details.chart])).toEqual(Array.from({ length: 10 }, () => ["helm-values", "chart"]));
    expect(values[0]?.details).toMatchObject({ tagFrom: "chart-appVersion" });
    expect(values[0]?.details.appVersion).toBeUndefined();
  });

  it("treats a values file at the workspace root as a chart's when Chart.yaml is beside it", () => {
    const files = [
      { path: "Chart.yaml", role: "helm-chart", text: "apiVersion: v2\nname: c\nversion: 1.0.0\nappVersion: 3.1.0\n" },
      { path: "prod.values.yaml", role: "yaml", text: "image: {repository: acme/c}\n" },
    ];
    expect(findImageReferences(files).map((site) => [site.file, site.kind, site.image, site.details.appVersion, site.details.chart])).toEqual([["prod.values.yaml", "helm-values", "acme/c", "3.1.0", ""]]);
  });

  it("returns the same bytes on every run", () => {
    expect(JSON.stringify(findImageReferences(parsed.files))).toBe(JSON.stringify(sites));
  });
});
