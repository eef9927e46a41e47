import { describe, expect, it } from "vitest";
import { argoCdImageSites } from "../../src/images/argocd-sites.js";
import { kustomizeImageSites } from "../../src/images/kustomize-sites.js";
import { documentsOf, fixtureText, located, sha } from "./helpers.js";

const API_DIGEST = sha("fedcba9876543210");
const DIGEST = sha("0123456789abcdef");

describe("kustomize-images sites", () => {
  const text = fixtureText("kustomize/kustomization.yaml");
  const sites = kustomizeImageSites("kustomize/kustomization.yaml", text, documentsOf(text));

  it("assembles what each entry makes the workloads run, and points at its tag, else digest, else newName", () => {
    expect(located(sites, text)).toEqual([
      { kind: "kustomize-images", image: "nginx:1.25.3", line: 8, column: 14, at: "1.25.3" },
      { kind: "kustomize-images", image: `registry.example.com/acme/api:v2.0.0@${API_DIGEST}`, line: 11, column: 13, at: "v2.0.0" },
      { kind: "kustomize-images", image: "bitnami/redis", line: 13, column: 28, at: "bitnami/redis" },
      { kind: "kustomize-images", image: `postgres@${DIGEST}`, line: 15, column: 13, at: DIGEST },
      { kind: "kustomize-images", image: "busybox:1.36", line: 17, column: 13, at: "1.36" },
    ]);
  });

  it("marks entries without a digest (a first pin adds `digest:` to the holder) and names the entry", () => {
    expect(sites.map((site) => [site.details.name, site.details.entry, site.details.digestField, site.holder?.path, site.path])).toEqual([
      ["nginx", "0", "absent", ["images", 0], ["images", 0, "newTag"]],
      ["ghcr.io/acme/api", "1", "present", ["images", 1], ["images", 1, "newTag"]],
      ["redis", "2", "absent", ["images", 2], ["images", 2, "newName"]],
      ["postgres", "3", "present", ["images", 3], ["images", 3, "digest"]],
      ["busybox", "4", "absent", ["images", 4], ["images", 4, "newTag"]],
    ]);
    expect(Object.fromEntries(Object.entries(sites[1]!.parts ?? {}).map(([part, site]) => [part, [site.key, text.slice(site.offset, site.end)]]))).toEqual({
      repository: ["newName", "registry.example.com/acme/api"],
      tag: ["newTag", "v2.0.0"],
      digest: ["digest", API_DIGEST],
    });
    expect(sites[0]?.parts).toEqual({ tag: { key: "newTag", offset: sites[0]!.offset, end: sites[0]!.end, text: "1.25.3" } });
  });

  it("points at the name of an entry that sets nothing, and skips entries without a name", () => {
    const kustomization = "images:\n  - name: nginx\n  - newTag: v1\n  - plain-string\n";
    expect(located(kustomizeImageSites("k.yaml", kustomization, documentsOf(kustomization)), kustomization)).toEqual([
      { kind: "kustomize-images", image: "nginx", line: 2, column: 11, at: "nginx" },
    ]);
  });
});

describe("argocd-kustomize-images and argocd-helm-values sites", () => {
  const text = fixtureText("argocd/apps.yaml");
  const sites = argoCdImageSites("argocd/apps.yaml", text, documentsOf(text));

  it("finds inline kustomize images of spec.source, spec.sources[] and ApplicationSet templates, and helm.valuesObject", () => {
    expect(located(sites, text)).toEqual([
      { kind: "argocd-kustomize-images", image: "nginx:1.25.3", line: 11, column: 17, at: "nginx:1.25.3" },
      { kind: "argocd-kustomize-images", image: "ghcr.io/acme/api:v2.0.1", line: 12, column: 12, at: "ghcr.io/acme/api:v2.0.1" },
      { kind: "argocd-kustomize-images", image: `bitnami/redis@${DIGEST}`, line: 13, column: 17, at: `bitnami/redis@${DIGEST}` },
      { kind: "argocd-helm-values", image: "ghcr.io/acme/shop:1.2.3", line: 27, column: 19, at: "1.2.3" },
      { kind: "argocd-kustomize-images", image: "busybox:1.36", line: 30, column: 36, at: "busybox:1.36" },
      { kind: "argocd-kustomize-images", image: "memcached:1.6", line: 30, column: 51, at: "memcached:1.6" },
      { kind: "argocd-kustomize-images", image: "nginx:{{tag}}", line: 44, column: 22, at: "nginx:{{tag}}" },
    ]);
  });

  it("keeps the `name=` prefix, the matched name, the application and source, and the scalar's path", () => {
    expect(sites.map((site) => [site.details.application, site.details.source, site.details.name, site.details.prefix, site.document, site.path])).toEqual([
      ["shop", "", "nginx", "nginx=", 0, ["spec", "source", "kustomize", "images", 0]],
      ["shop", "", "ghcr.io/acme/api", undefined, 0, ["spec", "source", "kustomize", "images", 1]],
      ["shop", "", "redis", "redis=", 0, ["spec", "source", "kustomize", "images", 2]],
      ["multi", "0", undefined, undefined, 1, ["spec", "sources", 0, "helm", "valuesObject", "image", "tag"]],
      ["multi", "1", "busybox", "busybox=", 1, ["spec", "sources", 1, "kustomize", "images", 0]],
      ["multi", "1", "memcached", undefined, 1, ["spec", "sources", 1, "kustomize", "images", 1]],
      ["per-env", "", "nginx", "nginx=", 2, ["spec", "template", "spec", "source", "kustomize", "images", 0]],
    ]);
    expect(sites[6]?.details.templated).toBe("true");
    expect(sites[2]?.reference).toEqual({ registry: "docker.io", repository: "bitnami/redis", tag: undefined, digest: DIGEST });
  });

  it("falls back to the scalar's start, marked approximate, when escapes hide where the image starts", () => {
    const app = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source:\n    kustomize:\n      images: ["web\\u003Dnginx:1.25"]\n';
    const [site] = argoCdImageSites("a.yaml", app, documentsOf(app));
    expect([site?.image, site?.details.prefix, site?.details.approximate, site?.line, site?.column]).toEqual(["nginx:1.25", "web=", "true", 7, 17]);
  });

  it("ignores other kinds that have a spec.source", () => {
    const other = "apiVersion: example.com/v1\nkind: Application\nmetadata: {name: x}\nspec: {source: {kustomize: {images: [nginx:1]}}}\n";
    expect(argoCdImageSites("x.yaml", other, documentsOf(other))).toEqual([]);
  });
});
