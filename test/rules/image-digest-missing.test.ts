import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import type { ContainerList } from "../../src/model/pods.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { catalog, rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "image-digest-missing";
const only = { rules: [RULE] };
const unpinned = (container: string, image: string) => `container "${container}" image "${image}" is not pinned by digest`;
const DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe(RULE, () => {
  it("reports tagged images in every workload kind, CronJobs included, at the image value", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 12, 14, unpinned("pod-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 29, 18, unpinned("deployment-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 43, 18, unpinned("statefulset-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 54, 18, unpinned("daemonset-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 65, 18, unpinned("replicaset-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 76, 18, unpinned("rc-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 87, 18, unpinned("job-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 104, 22, unpinned("cronjob-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 115, 18, unpinned("rollout-main", "nginx:1.25")],
    ]);
    expect(findings.map((f) => f.resource?.kind)).toEqual([
      "Pod",
      "Deployment",
      "StatefulSet",
      "DaemonSet",
      "ReplicaSet",
      "ReplicationController",
      "Job",
      "CronJob",
      "Rollout",
    ]);
    expect(findings.every((f) => f.severity === "medium")).toBe(true);
  });

  it("leaves untagged and :latest images to image-tag-mutable, and digests and templates alone", () => {
    // The same images image-tag-mutable's fixtures use: only nginx:1.25 is a pinned-but-movable tag.
    expect(rows(scanFixture("image-tag-mutable", only))).toEqual([[RULE, "images.yaml", 13, 14, unpinned("versioned", "nginx:1.25")]]);
  });

  it("reports init and ephemeral containers", () => {
    const root = tempTree({
      "pod.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: debug}",
        "spec:",
        `  containers: [{name: app, image: "app@${DIGEST}"}]`,
        "  initContainers: [{name: init, image: init:2}]",
        "  ephemeralContainers: [{name: shell, image: busybox:1.36}]",
      ),
    });
    const findings = scan(root, only);
    expect(rows(findings)).toEqual([
      [RULE, "pod.yaml", 6, 40, unpinned("init", "init:2")],
      [RULE, "pod.yaml", 7, 46, unpinned("shell", "busybox:1.36")],
    ]);
  });

  it("follows aliases: an aliased container or image is reported where the anchored value is written", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "anchors.yaml");
    expect(rows(findings)).toEqual([
      [RULE, "anchors.yaml", 11, 25, unpinned("base", "app:1.0")],
      [RULE, "anchors.yaml", 11, 25, unpinned("base", "app:1.0")],
      [RULE, "anchors.yaml", 11, 25, unpinned("sidecar", "app:1.0")],
    ]);
    expect(subjects(findings)).toEqual(["Deployment/anchors base", "Deployment/anchors base", "Deployment/anchors sidecar"]);
    // The init container and its alias in containers are the same subject twice: their fingerprints are still kept apart.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
  });
});

describe(`${RULE} at every image reference`, () => {
  it("reports versioned images in Helm values, kustomizations, Argo CD Applications, Dockerfiles, Compose files and workflows", () => {
    const findings = scanFixture("image-sites", only);
    expect(rows(findings)).toEqual([
      [RULE, ".github/workflows/ci.yml", 6, 16, 'job "test" container image "node:20" is not pinned by digest'],
      // `container: {image: …}`.
      [RULE, ".github/workflows/ci.yml", 17, 14, 'job "lint" container image "ghcr.io/acme/lint:2.1.0" is not pinned by digest'],
      // After the `web=` prefix.
      [RULE, "argocd/apps.yaml", 13, 15, 'Argo CD Application "shop" kustomize image "ghcr.io/acme/web:1.8.0" is not pinned by digest'],
      [RULE, "argocd/apps.yaml", 34, 16, 'Argo CD Application "cache" Helm values image "docker.io/bitnami/redis:7.2.4" is not pinned by digest'],
      // A values file layered over values.yaml takes the repository from there.
      [RULE, "chart/values-prod.yaml", 3, 9, 'Helm values image "ghcr.io/acme/shop:2.4.0" is not pinned by digest'],
      // No tag: the chart's appVersion (2.3.4) is the tag, a version; reported at the repository, as there is no tag to point at.
      [RULE, "chart/values.yaml", 3, 15, 'Helm values image "ghcr.io/acme/shop" is not pinned by digest'],
      [RULE, "chart/values.yaml", 7, 10, 'Helm values image "ghcr.io/acme/worker:1.4.0" is not pinned by digest'],
      [RULE, "compose/compose.yaml", 3, 12, 'service "web" image "nginx:1.25" is not pinned by digest'],
      // `FROM ${NODE_IMAGE}`: the site is the ARG's default, which a pin edits.
      [RULE, "docker/Dockerfile", 1, 16, 'base image "node:20.11-alpine" of stage "build" is not pinned by digest'],
      // A first pin: the entry has newTag and no digest.
      [RULE, "kustomize/kustomization.yaml", 6, 14, 'Kustomize images entry for "web": image "ghcr.io/acme/web:1.8.0" is not pinned by digest'],
    ]);
    // Only Argo CD Applications are objects here; the rest belongs to no Kubernetes object or container.
    expect(new Set(subjects(findings))).toEqual(new Set(["- -", "Application/cache -", "Application/shop -"]));
    expect(findings.every((f) => f.severity === "medium")).toBe(true);
    expect(findings.filter((f) => !f.fixable).map((f) => `${f.file}:${f.line}: ${f.notFixableReason}`)).toEqual([]);
  });

  it("treats a Helm image map without a tag as the chart's appVersion: not pinned, but not mutable either", () => {
    const root = tempTree({
      "chart/Chart.yaml": yaml("apiVersion: v2", "name: web", "version: 1.0.0", "appVersion: 1.16.0"),
      "chart/values.yaml": yaml(
        "image:",
        "  repository: nginx",
        "  pullPolicy: IfNotPresent",
        '  tag: ""',
        "pinned:",
        "  image:",
        "    repository: nginx",
        `    digest: ${DIGEST}`,
      ),
    });
    expect(rows(scan(root, { rules: [RULE, "image-tag-mutable"] }))).toEqual([
      // An empty tag is written: that is where the version goes.
      [RULE, "chart/values.yaml", 4, 9, 'Helm values image "nginx" is not pinned by digest'],
      // A digest without a tag is pinned.
    ]);
  });

  const mixed = () =>
    tempTree({
      "apps/web.yaml": yaml(
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: web}",
        "spec:",
        "  template:",
        "    metadata:",
        "      annotations: {shipshape.dev/ignore: image-digest-missing}",
        "    spec:",
        "      containers: [{name: app, image: web:1.0}]",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: api}",
        "spec:",
        "  template:",
        "    spec:",
        "      containers: [{name: app, image: api:1.0}]",
      ),
      "kustomization.yaml": yaml("images:", "  - {name: web, newTag: '1.1'}"),
      "Dockerfile": "FROM node:20\n",
    });

  it("honours shipshape.dev/ignore on a pod spec's workload, and config exclude by path in every place", () => {
    const root = mixed();
    expect(rows(scan(root, only))).toEqual([
      [RULE, "Dockerfile", 1, 6, 'base image "node:20" is not pinned by digest'],
      // web ignores the rule on its pod template.
      [RULE, "apps/web.yaml", 17, 39, unpinned("app", "api:1.0")],
      [RULE, "kustomization.yaml", 2, 26, 'Kustomize images entry for "web": image "web:1.1" is not pinned by digest'],
    ]);
    const config = { rules: { [RULE]: { exclude: [{ path: "Dockerfile" }, { path: "kustomization.yaml" }] } } };
    expect(rows(scan(root, { rules: [RULE], config }))).toEqual([[RULE, "apps/web.yaml", 17, 39, unpinned("app", "api:1.0")]]);
    expect(rows(scan(root, { rules: [RULE], config: { rules: { [RULE]: { exclude: [{ kind: "Deployment", name: "api" }] } } } }))).toEqual([
      [RULE, "Dockerfile", 1, 6, 'base image "node:20" is not pinned by digest'],
      [RULE, "kustomization.yaml", 2, 26, 'Kustomize images entry for "web": image "web:1.1" is not pinned by digest'],
    ]);
  });

  it("still applies appliesTo.containers to pod specs", () => {
    const root = tempTree({ "pod.yaml": yaml("apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:", "  containers: [{name: app, image: app:1.0}]", "  initContainers: [{name: init, image: init:1.0}]") });
    const narrowed = catalog.map((rule) => (rule.id === RULE ? { ...rule, appliesTo: { ...rule.appliesTo, containers: ["initContainers"] as ContainerList[] } } : rule));
    expect(rows(scanDirectory({ root, rules: activeRules(narrowed, {}, [RULE]) }).findings)).toEqual([[RULE, "pod.yaml", 6, 40, unpinned("init", "init:1.0")]]);
  });
});
