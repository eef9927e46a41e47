import { describe, expect, it } from "vitest";
import { rows, scan, tempTree } from "./helpers.js";

const IMAGE_RULES = ["image-tag-mutable", "image-digest-missing", "image-reference-invalid"];

describe("image references that override an image written elsewhere", () => {
  it("reports nothing for a Kustomize entry that sets no tag or digest: Kustomize keeps the workload's tag", () => {
    const root = tempTree({
      "kustomization.yaml": "resources: [deployment.yaml]\nimages:\n  - name: redis\n    newName: bitnami/redis\n  - name: nginx\n",
    });
    expect(rows(scan(root, { rules: IMAGE_RULES }))).toEqual([]);
  });

  it("reports nothing for Argo CD kustomize images and helm.valuesObject maps without a tag, which keep the one written elsewhere", () => {
    const root = tempTree({
      "app.yaml": [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata: {name: shop, namespace: argocd}",
        "spec:",
        "  source:",
        "    repoURL: https://github.com/acme/gitops.git",
        "    path: apps/shop",
        "    kustomize:",
        "      images: [redis=bitnami/redis]",
        "    helm:",
        "      valuesObject:",
        "        image: {repository: acme/redis}",
        "",
      ].join("\n"),
    });
    expect(rows(scan(root, { rules: IMAGE_RULES }))).toEqual([]);
  });

  it("reports nothing for a Compose image that names what `build:` makes", () => {
    const root = tempTree({ "compose.yaml": "services:\n  app:\n    build: .\n    image: myapp\n  db:\n    image: postgres\n" });
    expect(rows(scan(root, { rules: IMAGE_RULES }))).toEqual([
      ["image-tag-mutable", "compose.yaml", 6, 12, 'service "db" image "postgres" has no tag (so it means :latest) and no digest'],
    ]);
  });

  it("honours the ignore annotation of the Argo CD Application that holds the reference", () => {
    const application = (annotations: string) =>
      [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata:",
        "  name: shop",
        "  namespace: argocd",
        annotations,
        "spec:",
        "  source:",
        "    repoURL: https://github.com/acme/gitops.git",
        "    path: apps/shop",
        "    kustomize:",
        "      images: [redis=bitnami/redis:7.2]",
        "",
      ].join("\n");
    const plain = tempTree({ "app.yaml": application("  labels: {team: shop}") });
    const ignored = tempTree({ "app.yaml": application('  annotations: {shipshape.dev/ignore: "image-digest-missing"}') });
    // Column 22: the image after the `redis=` prefix, which a pin leaves as it is.
    expect(rows(scan(plain, { rules: IMAGE_RULES }))).toEqual([
      ["image-digest-missing", "app.yaml", 12, 22, 'Argo CD Application "shop" kustomize image "bitnami/redis:7.2" is not pinned by digest'],
    ]);
    expect(rows(scan(ignored, { rules: IMAGE_RULES }))).toEqual([]);
  });
});
