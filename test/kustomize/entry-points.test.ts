import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { kustomizeEntryPoints, resolveListed } from "../../src/kustomize/entry-points.js";
import { roleFromPath } from "../../src/workspace/roles.js";
import { composeYaml } from "../../src/yaml/compose.js";

const SHOP = new URL("../fixtures/kustomize/shop/", import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

function filesOf(tree: Record<string, string>) {
  return Object.entries(tree).map(([path, text]) => ({ path, role: roleFromPath({ path, chartRoot: undefined }), documents: composeYaml(text).documents }));
}

function shopTree(): Record<string, string> {
  return Object.fromEntries(walk(SHOP).map((file) => [relative(SHOP, file), readFileSync(file, "utf8")]));
}

describe("kustomizeEntryPoints", () => {
  it("finds the overlays and the broken kustomization, not the base they include", () => {
    expect(kustomizeEntryPoints(filesOf(shopTree()))).toEqual(["broken", "overlays/dev", "overlays/prod"]);
  });

  it("excludes folders listed as components or bases, and components nobody lists", () => {
    const tree = {
      "apps/a/kustomization.yaml": "resources:\n  - ../../lib/base/\ncomponents:\n  - ../../lib/probes\n",
      "apps/b/kustomization.yml": "bases: [../../lib/legacy]\nresources: [deployment.yaml]\n",
      "apps/b/deployment.yaml": "kind: Deployment\n",
      "lib/base/kustomization.yaml": "resources: [cm.yaml]\n",
      "lib/probes/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
      "lib/legacy/Kustomization": "resources: []\n",
      "lib/unused-component/kustomization.yaml": "kind: Component\n",
      "remote/kustomization.yaml": "resources:\n  - https://github.com/acme/x//base?ref=v1\n  - github.com/acme/y/base\n  - ../../../outside\n",
    };
    expect(kustomizeEntryPoints(filesOf(tree))).toEqual(["apps/a", "apps/b", "remote"]);
  });

  it("treats the repository root as a folder like any other", () => {
    const tree = { "kustomization.yaml": "resources: [apps/a]\n", "apps/a/kustomization.yaml": "resources: [x.yaml]\n", "other/kustomization.yaml": "resources: [..]\n" };
    expect(kustomizeEntryPoints(filesOf(tree))).toEqual(["other"]);
  });

  it("does not take a file entry for a folder", () => {
    const tree = { "a/kustomization.yaml": "resources: [b/deployment.yaml]\n", "a/b/kustomization.yaml": "resources: [deployment.yaml]\n" };
    expect(kustomizeEntryPoints(filesOf(tree))).toEqual(["a", "a/b"]);
  });
});

describe("resolveListed", () => {
  it("resolves against the listing folder and recognises outside and remote entries", () => {
    expect(resolveListed("overlays/dev", "../../base")).toEqual({ where: "repo", path: "base" });
    expect(resolveListed("a", "..")).toEqual({ where: "repo", path: "" });
    expect(resolveListed("", "./x/")).toEqual({ where: "repo", path: "x" });
    expect(resolveListed("a", "../../etc/hosts")).toEqual({ where: "outside" });
    expect(resolveListed("a", "/etc")).toEqual({ where: "outside" });
    expect(resolveListed("a", "git@github.com:acme/x.git")).toEqual({ where: "remote" });
  });
});
