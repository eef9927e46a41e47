import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import type { ContainerList } from "../../src/model/pods.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { catalog, FIXTURES, rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "image-tag-mutable";
const only = { rules: [RULE] };
const untagged = (container: string, image: string) => `container "${container}" image "${image}" has no tag (so it means :latest) and no digest`;
const latest = (container: string, image: string) => `container "${container}" image "${image}" uses the mutable tag :latest and no digest`;

/** What images.yaml reports, whatever its line endings. */
const imagesFindings = (file: string) => [
  [RULE, file, 9, 14, untagged("untagged", "nginx")],
  [RULE, file, 11, 14, latest("latest", "nginx:latest")],
  // nginx:1.25, digests (with or without a tag, even :latest), templated and missing images: nothing.
  // A quoted image is reported at its first character, inside the quotes.
  [RULE, file, 21, 15, untagged("quoted", "nginx")],
  // The port of a registry is not a tag.
  [RULE, file, 23, 14, untagged("registry-port-no-tag", "localhost:5000/app")],
  [RULE, file, 25, 14, latest("registry-port-latest", "registry.example.com:5000/team/app:latest")],
  [RULE, file, 36, 28, latest("init", "busybox:latest")],
];

describe(RULE, () => {
  it("covers init and ephemeral containers in every workload kind, and nothing outside workloads", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 15, 14, untagged("pod-init", "busybox")],
      [RULE, "workloads.yaml", 18, 14, untagged("pod-debug", "busybox")],
      [RULE, "workloads.yaml", 32, 18, untagged("deployment-init", "busybox")],
      [RULE, "workloads.yaml", 90, 18, untagged("job-init", "busybox")],
    ]);
    expect(subjects(findings)).toEqual(["Pod/pod pod-init", "Pod/pod pod-debug", "Deployment/deployment deployment-init", "Job/job job-init"]);
    expect(findings.every((f) => f.severity === "high")).toBe(true);
  });

  it("reports untagged and :latest images at the image value, and nothing for versions, digests and templates", () => {
    expect(rows(scanFixture(RULE, only).filter((f) => f.file === "images.yaml"))).toEqual(imagesFindings("images.yaml"));
  });

  it("gives the same positions and messages (no stray \\r) with CRLF line endings", () => {
    const lf = readFileSync(join(FIXTURES, RULE, "images.yaml"), "utf8");
    const root = tempTree({ "images.yaml": lf.replace(/\n/g, "\r\n") });
    expect(rows(scan(root, only))).toEqual(imagesFindings("images.yaml"));
  });

  it("reads the last of two image keys, and parse-error reports the duplicate", () => {
    const findings = scanFixture(RULE, { rules: [RULE, "parse-error"] }).filter((f) => f.file === "duplicate-keys.yaml");
    expect(rows(findings)).toEqual([
      [RULE, "duplicate-keys.yaml", 11, 18, latest("app", "app:latest")],
      [
        "parse-error",
        "duplicate-keys.yaml",
        11,
        11,
        'duplicate key "image" (also defined on line 10); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last',
      ],
    ]);
  });

  it("reports a CronJob's containers through its jobTemplate", () => {
    const root = tempTree({
      "cron.yaml": [
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: nightly, namespace: ops}",
        "spec:",
        "  schedule: '@daily'",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers:",
        "            - name: backup",
        "              image: backup:latest",
        "",
      ].join("\n"),
    });
    const findings = scan(root, only);
    expect(rows(findings)).toEqual([[RULE, "cron.yaml", 12, 22, latest("backup", "backup:latest")]]);
    expect(findings.map((f) => f.resource)).toEqual([{ kind: "CronJob", name: "nightly", namespace: "ops" }]);
  });
});

describe(`${RULE} at every image reference`, () => {
  /** What test/fixtures/rules/image-sites gives, in file order. */
  const SITES = [
    // jobs.test.container is node:20 (image-digest-missing's), lint's container is versioned; ${{ matrix.image }} is templated.
    [RULE, ".github/workflows/ci.yml", 9, 16, 'job "test" service "db" image "postgres:latest" uses the mutable tag :latest and no digest'],
    // `docker://alpine`: the site is the image after the prefix.
    [RULE, ".github/workflows/ci.yml", 12, 24, 'job "test" step image "alpine" has no tag (so it means :latest) and no digest'],
    // kustomize.images: `web=…:1.8.0` is versioned, `worker=…@sha256` pinned; a bare `image:latest` names itself.
    [RULE, "argocd/apps.yaml", 14, 11, 'Argo CD Application "shop" kustomize image "ghcr.io/acme/api:latest" uses the mutable tag :latest and no digest'],
    // helm.valuesObject, read like a values file; a flow mapping's tag.
    [RULE, "argocd/apps.yaml", 36, 60, 'Argo CD Application "cache" Helm values image "bitnami/redis-exporter:latest" uses the mutable tag :latest and no digest'],
    // values.yaml: `image: {repository}` takes the chart's appVersion 2.3.4 as its tag, so it is versioned (image-digest-missing's).
    [RULE, "chart/values.yaml", 8, 12, 'Helm values image "busybox" has no tag (so it means :latest) and no digest'],
    // The map shape is reported at its tag; the registry is part of the image.
    [RULE, "chart/values.yaml", 14, 10, 'Helm values image "ghcr.io/acme/migrate:latest" uses the mutable tag :latest and no digest'],
    [RULE, "chart/values.yaml", 26, 12, 'Helm values image "fluent/fluent-bit:latest" uses the mutable tag :latest and no digest'],
    [RULE, "compose/compose.yaml", 5, 12, 'service "cache" image "redis" has no tag (so it means :latest) and no digest'],
    // The ARG default node:20.11-alpine is versioned, `FROM build` is a stage, debian:${DEBIAN_TAG} has no default, alpine is pinned.
    [RULE, "docker/Dockerfile", 15, 6, 'base image "nginx" of stage "runtime" has no tag (so it means :latest) and no digest'],
    // --from=build is a stage; --from=busybox:latest pulls an image.
    [RULE, "docker/Dockerfile", 17, 13, 'COPY --from image "busybox:latest" uses the mutable tag :latest and no digest'],
    [RULE, "kustomize/kustomization.yaml", 8, 13, 'Kustomize images entry for "api": image "api:latest" uses the mutable tag :latest and no digest'],
  ];

  it("reports Helm values, kustomizations, Argo CD Applications, Dockerfiles, Compose files and workflows, at the value a pin edits", () => {
    const findings = scanFixture("image-sites", only);
    expect(rows(findings)).toEqual(SITES);
    // Only Argo CD Applications are objects here; the rest belongs to no Kubernetes object or container.
    expect(new Set(subjects(findings))).toEqual(new Set(["- -", "Application/cache -", "Application/shop -"]));
    expect(findings.every((f) => f.severity === "high")).toBe(true);
    expect(findings.filter((f) => !f.fixable).map((f) => `${f.file}:${f.line}: ${f.notFixableReason}`)).toEqual([]);
  });

  it("reads mutableTags for every place", () => {
    const root = tempTree({
      "Dockerfile": "FROM node:lts AS build\nFROM nginx:1.25\n",
      "compose.yaml": yaml("services:", "  web: {image: nginx:stable}"),
    });
    const rules = activeRules(
      catalog.map((rule) => (rule.id === RULE ? { ...rule, check: { ...rule.check, params: { mutableTags: ["latest", "lts", "stable"] } } } : rule)),
      {},
      [RULE],
    );
    expect(rows(scanDirectory({ root, rules }).findings)).toEqual([
      [RULE, "Dockerfile", 1, 6, 'base image "node:lts" of stage "build" uses the mutable tag :lts and no digest'],
      [RULE, "compose.yaml", 2, 16, 'service "web" image "nginx:stable" uses the mutable tag :stable and no digest'],
    ]);
  });

  const mixed = () =>
    tempTree({
      "apps/web.yaml": yaml(
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "  annotations: {shipshape.dev/ignore: image-tag-mutable}",
        "spec:",
        "  template:",
        "    spec:",
        "      containers: [{name: app, image: web:latest}]",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: api}",
        "spec:",
        "  template:",
        "    metadata:",
        "      annotations: {shipshape.dev/ignore: '*'}",
        "    spec:",
        "      containers: [{name: app, image: api:latest}]",
        "---",
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: debug}",
        "spec:",
        "  containers: [{name: shell, image: busybox}]",
        "  initContainers: [{name: init, image: busybox}]",
      ),
      "docker/Dockerfile": "FROM nginx\n",
      "chart/Chart.yaml": yaml("apiVersion: v2", "name: web", "version: 1.0.0"),
      "chart/values.yaml": yaml("image: nginx:latest"),
    });

  it("still honours shipshape.dev/ignore on a pod spec's workload, which other places do not have", () => {
    expect(rows(scan(mixed(), only))).toEqual([
      // web (ignored on the object) and api (ignored on its pod template) give nothing.
      [RULE, "apps/web.yaml", 25, 37, untagged("shell", "busybox")],
      [RULE, "apps/web.yaml", 26, 40, untagged("init", "busybox")],
      [RULE, "chart/values.yaml", 1, 8, 'Helm values image "nginx:latest" uses the mutable tag :latest and no digest'],
      [RULE, "docker/Dockerfile", 1, 6, 'base image "nginx" has no tag (so it means :latest) and no digest'],
    ]);
  });

  it("still applies the rule's appliesTo kinds and containers to pod specs, and only to pod specs", () => {
    const narrowed = catalog.map((rule) =>
      rule.id === RULE ? { ...rule, appliesTo: { kinds: ["Deployment"], containers: ["containers"] as ContainerList[] } } : rule,
    );
    const root = mixed();
    // The Pod is not a Deployment: neither of its containers is reported. The values file and the Dockerfile have no kind.
    expect(rows(scanDirectory({ root, rules: activeRules(narrowed, {}, [RULE]) }).findings)).toEqual([
      [RULE, "chart/values.yaml", 1, 8, 'Helm values image "nginx:latest" uses the mutable tag :latest and no digest'],
      [RULE, "docker/Dockerfile", 1, 6, 'base image "nginx" has no tag (so it means :latest) and no digest'],
    ]);
    const podInits = catalog.map((rule) => (rule.id === RULE ? { ...rule, appliesTo: { containers: ["initContainers"] as ContainerList[] } } : rule));
    expect(rows(scanDirectory({ root, rules: activeRules(podInits, {}, [RULE]) }).findings)).toEqual([
      [RULE, "apps/web.yaml", 26, 40, untagged("init", "busybox")],
      [RULE, "chart/values.yaml", 1, 8, 'Helm values image "nginx:latest" uses the mutable tag :latest and no digest'],
      [RULE, "docker/Dockerfile", 1, 6, 'base image "nginx" has no tag (so it means :latest) and no digest'],
    ]);
  });

  it("applies config exclude by path everywhere, and by kind and name to pod specs", () => {
    const root = mixed();
    const excluding = (exclude: object[]) => rows(scan(root, { rules: [RULE], config: { rules: { [RULE]: { exclude } } } })).map((row) => `${row[1]}:${row[2]}`);
    expect(excluding([{ path: "docker/**" }, { path: "chart/values.yaml" }])).toEqual(["apps/web.yaml:25", "apps/web.yaml:26"]);
    expect(excluding([{ kind: "Pod", name: "debug" }])).toEqual(["chart/values.yaml:1", "docker/Dockerfile:1"]);
    expect(excluding([{ path: "apps/*.yaml" }])).toEqual(["chart/values.yaml:1", "docker/Dockerfile:1"]);
  });

  it("gives nothing for templated references anywhere (image-reference-invalid neither: they are not parsed)", () => {
    const root = tempTree({
      "Dockerfile": "ARG BASE\nFROM ${BASE}\nFROM node:${NODE_VERSION}\nFROM $IMAGE AS final\n",
      "compose.yaml": yaml("services:", "  web: {image: \"nginx:${TAG:-latest}\"}", "  api: {image: $API_IMAGE}"),
      ".github/workflows/ci.yml": yaml("on: push", "jobs:", "  test:", "    container: ${{ matrix.image }}", "    steps: [{uses: 'docker://${{ inputs.image }}'}]"),
      "chart/Chart.yaml": yaml("apiVersion: v2", "name: web", "version: 1.0.0"),
      "chart/values.yaml": yaml("image: \"{{ .Values.global.image }}\""),
      "kustomization.yaml": yaml("images: [{name: web, newTag: '${TAG}'}]"),
      "pod.yaml": yaml("apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec: {containers: [{name: app, image: '$(IMAGE)'}]}"),
    });
    expect(rows(scan(root, { rules: [RULE, "image-digest-missing", "image-reference-invalid"] }))).toEqual([]);
  });
});
