import { describe, expect, it } from "vitest";
import { CONTAINER_LISTS, containersOf, podSpecOf, type PodSpecRef } from "../../src/model/pods.js";
import { isArgoCdApplication, resourcesOf, type Resource } from "../../src/model/resource.js";
import { parseWorkspace } from "../../src/scan/parse-workspace.js";
import type { WorkspaceFile } from "../../src/workspace/load.js";
import type { FileRole } from "../../src/workspace/roles.js";
import { composeYaml, DEFAULT_YAML_LIMITS } from "../../src/yaml/compose.js";
import { getText } from "../../src/yaml/nodes.js";

const file = (path: string, text: string, role: FileRole = "yaml"): WorkspaceFile => ({ path, role, size: text.length, text });

function resourcesIn(text: string): Resource[] {
  return resourcesOf("f.yaml", composeYaml(text).documents);
}

function only(text: string): Resource {
  const [resource, ...rest] = resourcesIn(text);
  if (!resource || rest.length > 0) throw new Error("expected exactly one resource");
  return resource;
}

const DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: web:1}]\n";
const APPLICATION = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop}\n";

describe("parseWorkspace roles", () => {
  it("refines plain YAML by content: workloads → manifest, Argo CD apps → argocd-app, the rest stays yaml", () => {
    const { files } = parseWorkspace(
      [
        file("deploy.yaml", DEPLOYMENT),
        file("app.yaml", APPLICATION),
        file("set.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\n"),
        file("mixed.yaml", `${DEPLOYMENT}---\n${APPLICATION}`),
        file("rollout.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"),
        file("config.yaml", "replicas: 3\nkind: NotAResource\n"),
        file("empty.yaml", ""),
      ],
      DEFAULT_YAML_LIMITS,
    );
    expect(files.map((f) => [f.path, f.role])).toEqual([
      ["deploy.yaml", "manifest"],
      ["app.yaml", "argocd-app"],
      ["set.yaml", "argocd-app"],
      ["mixed.yaml", "argocd-app"],
      ["rollout.yaml", "manifest"],
      ["config.yaml", "yaml"],
      ["empty.yaml", "yaml"],
    ]);
  });

  it("parses kustomizations and chart values but keeps their roles and takes no resources from them", () => {
    const { files, resources } = parseWorkspace(
      [
        file("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n", "kustomization"),
        file("charts/app/values.yaml", "image: a\nimage: b\n", "helm-values"),
      ],
      DEFAULT_YAML_LIMITS,
    );
    expect(resources).toEqual([]);
    expect(files.map((f) => [f.role, f.documents.length])).toEqual([["kustomization", 1], ["helm-values", 1]]);
    expect(files[1]?.problems).toEqual([{ offset: 9, message: expect.stringContaining('duplicate key "image" (also defined on line 1)') }]);
  });

  it("does not parse Helm templates or other non-YAML files, but keeps their text", () => {
    const template = "{{- if .Values.enabled }}\nkind: [\n{{- end }}\n";
    const { files } = parseWorkspace([file("t.yaml", template, "helm-template"), file("Dockerfile", "FROM nginx\n", "dockerfile")], DEFAULT_YAML_LIMITS);
    expect(files.map((f) => [f.path, f.role, f.text, f.documents, f.problems])).toEqual([
      ["t.yaml", "helm-template", template, [], []],
      ["Dockerfile", "dockerfile", "FROM nginx\n", [], []],
    ]);
  });

  it("turns an unreadable file into one problem at offset 0 and no text", () => {
    const unreadable: WorkspaceFile = { path: "big.yaml", role: "yaml", size: 9, unreadable: "too big" };
    const { files, resources } = parseWorkspace([unreadable], DEFAULT_YAML_LIMITS);
    expect(resources).toEqual([]);
    expect(files.map((f) => [f.path, f.role, f.text, f.documents, f.problems])).toEqual([["big.yaml", "yaml", "", [], [{ offset: 0, message: "too big" }]]]);
  });

  it("keeps resources of healthy documents next to a broken one and passes the limits on", () => {
    const text = `${DEPLOYMENT}---\nbad: [\n---\n${APPLICATION}`;
    const { files, resources } = parseWorkspace([file("x.yaml", text)], DEFAULT_YAML_LIMITS);
    expect(resources.map((r) => [r.kind, r.document])).toEqual([["Deployment", 0], ["Application", 2]]);
    expect(files[0]?.role).toBe("argocd-app");
    expect(files[0]?.problems.map((p) => p.message.startsWith("YAML syntax error"))).toEqual([true]);
    const limited = parseWorkspace([file("a.yaml", "a: &a 1\nb: [*a, *a]\n")], { ...DEFAULT_YAML_LIMITS, maxAliases: 1 });
    expect(limited.files[0]?.problems.map((p) => p.message)).toEqual(["document has more than 1 aliases (limits.maxAliases); it was not scanned"]);
  });

  it("reports progress once per file, and gives each parsed file a line index", () => {
    const seen: number[] = [];
    const { files } = parseWorkspace([file("a.yaml", "a: 1\n"), file("b.yaml", "x: 1\ny: 2\n")], DEFAULT_YAML_LIMITS, (done) => seen.push(done));
    expect(seen).toEqual([1, 2]);
    expect(files[1]?.lines.position(7)).toEqual({ line: 2, column: 3 });
  });
});

describe("resourcesOf", () => {
  it("takes identity from apiVersion, kind and metadata, with the document index", () => {
    const text = `a: 1\n---\n${DEPLOYMENT}---\napiVersion: v1\nkind: Pod\nmetadata: {generateName: job-}\n---\napiVersion: v1\nkind: Namespace\n`;
    const { documents } = composeYaml(text);
    const found = resourcesOf("k.yaml", documents);
    expect(found.map(({ file, document, apiVersion, kind, name, namespace }) => ({ file, document, apiVersion, kind, name, namespace }))).toEqual([
      { file: "k.yaml", document: 1, apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "shop" },
      { file: "k.yaml", document: 2, apiVersion: "v1", kind: "Pod", name: "job-", namespace: undefined },
      { file: "k.yaml", document: 3, apiVersion: "v1", kind: "Namespace", name: "", namespace: undefined },
    ]);
    expect(found[0]?.node).toBe(documents[1]?.root);
  });

  it("turns the items of a List into resources of the List's document", () => {
    const text = "a: 1\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n- not-a-map\n- {apiVersion: v1, kind: ConfigMapList, items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]}\n";
    expect(resourcesIn(text).map((r) => [r.kind, r.name, r.document])).toEqual([["Service", "s", 1], ["ConfigMap", "c", 1]]);
  });

  it("skips documents without apiVersion or kind, or with a null kind", () => {
    expect(resourcesIn("kind: Pod\n---\napiVersion: v1\n---\napiVersion: v1\nkind: ~\n---\n- a\n")).toEqual([]);
  });

  it("isArgoCdApplication wants an argoproj.io Application or ApplicationSet", () => {
    expect(isArgoCdApplication({ apiVersion: "argoproj.io/v1alpha1", kind: "Application" })).toBe(true);
    expect(isArgoCdApplication({ apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet" })).toBe(true);
    expect(isArgoCdApplication({ apiVersion: "argoproj.io/v1alpha1", kind: "AppProject" })).toBe(false);
    expect(isArgoCdApplication({ apiVersion: "example.com/v1", kind: "Application" })).toBe(false);
  });
});

describe("podSpecOf", () => {
  const containers = "containers: [{name: app}]";
  const template = (indent: string): string => `${indent}template:\n${indent}  metadata: {labels: {app: x}}\n${indent}  spec: {${containers}}\n`;

  it.each([
    ["v1", "Pod", `spec: {${containers}}\n`],
    ["apps/v1", "Deployment", `spec:\n${template("  ")}`],
    ["apps/v1", "StatefulSet", `spec:\n${template("  ")}`],
    ["apps/v1", "DaemonSet", `spec:\n${template("  ")}`],
    ["apps/v1", "ReplicaSet", `spec:\n${template("  ")}`],
    ["v1", "ReplicationController", `spec:\n${template("  ")}`],
    ["batch/v1", "Job", `spec:\n${template("  ")}`],
    ["batch/v1", "CronJob", `spec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n${template("      ")}`],
    ["argoproj.io/v1alpha1", "Rollout", `spec:\n${template("  ")}`],
  ])("finds the pod spec of a %s %s", (apiVersion, kind, body) => {
    const resource = only(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n${body}`);
    const pod = podSpecOf(resource);
    expect(pod?.resource).toBe(resource);
    expect(pod?.spec.pairs.has("containers")).toBe(true);
    expect(getText(pod?.templateMetadata?.pairs.get("labels")?.value, "app")).toBe(kind === "Pod" ? undefined : "x");
  });

  it.each([
    ["a Service", "apiVersion: v1\nkind: Service\nspec: {ports: []}\n"],
    ["a Rollout with workloadRef", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"],
    ["a Rollout outside argoproj.io", `apiVersion: example.com/v1\nkind: Rollout\nspec:\n${template("  ")}`],
    ["a Pod outside core v1", `apiVersion: example.com/v1\nkind: Pod\nspec: {${containers}}\n`],
    ["a Pod without spec", "apiVersion: v1\nkind: Pod\n"],
    ["a Deployment whose template spec is not a map", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec: [a]\n"],
  ])("finds none for %s", (_, text) => {
    expect(podSpecOf(only(text))).toBeUndefined();
  });

  // Bug: POD_TEMPLATE_PATHS is a plain object, so a kind named like an Object.prototype
  // member returns a function and getIn() throws "path is not iterable", aborting the scan.
  it.each(["constructor", "toString", "__proto__"])("finds none (and does not throw) for kind %s", (kind) => {
    expect(podSpecOf(only(`apiVersion: v1\nkind: ${kind}\nspec: {}\n`))).toBeUndefined();
  });
});

describe("containersOf", () => {
  const pod = podSpecOf(
    only(
      "apiVersion: v1\nkind: Pod\nspec:\n  initContainers: [{name: init}]\n  containers:\n  - {name: app}\n  - {image: nameless}\n  - just-a-string\n  - {name: sidecar}\n  ephemeralContainers: [{name: debug}]\n",
    ),
  ) as PodSpecRef;

  it("lists containers in list order, naming nameless ones by position and skipping non-maps", () => {
    expect(containersOf(pod, ["containers"]).map((c) => [c.list, c.index, c.name])).toEqual([
      ["containers", 0, "app"],
      ["containers", 1, "#2"],
      ["containers", 3, "sidecar"],
    ]);
  });

  it("walks the lists in the order asked for", () => {
    expect(CONTAINER_LISTS).toEqual(["containers", "initContainers", "ephemeralContainers"]);
    expect(containersOf(pod, CONTAINER_LISTS).map((c) => c.name)).toEqual(["app", "#2", "sidecar", "init", "debug"]);
    expect(containersOf(pod, ["ephemeralContainers", "initContainers"]).map((c) => `${c.list}:${c.name}`)).toEqual(["ephemeralContainers:debug", "initContainers:init"]);
  });

  it("points each container at its own node and pod", () => {
    const [init] = containersOf(pod, ["initContainers"]);
    expect(init?.pod).toBe(pod);
    expect(getText(init?.node, "name")).toBe("init");
    expect(containersOf(pod, [])).toEqual([]);
  });
});
