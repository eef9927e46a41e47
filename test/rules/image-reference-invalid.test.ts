import { describe, expect, it } from "vitest";
import { catalog, rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "image-reference-invalid";
const only = { rules: [RULE] };
const REPOSITORY = "is not a valid repository name (lowercase letters, digits and separators)";

describe(RULE, () => {
  it("is a high-severity supply-chain rule from checklist 004, with no params and no fix", () => {
    const rule = catalog.find((candidate) => candidate.id === RULE);
    expect(rule && [rule.title, rule.severity, rule.category, rule.check, rule.fix, rule.source.checklist, rule.source.item]).toEqual([
      "Image reference is not valid",
      "high",
      "supply-chain",
      { name: RULE, params: {} },
      undefined,
      "004_50ec271ff3135d13.txt",
      "Deploy uses immutable image references",
    ]);
  });

  it("reports malformed references in pod specs, Helm values and Dockerfiles, with the reason, at the reference", () => {
    const findings = scanFixture(RULE, only);
    expect(rows(findings)).toEqual([
      // `FROM ${RUNTIME}`: the site is the ARG's default; the stage has no alias.
      [RULE, "Dockerfile", 1, 13, 'base image "gcr.io/distroless/base@sha256:1234" is not a valid image reference: "sha256:1234" is not a valid digest'],
      [RULE, "Dockerfile", 2, 6, `base image "Node:20" of stage "build" is not a valid image reference: "Node" ${REPOSITORY}`],
      // golang:1.22 is valid; --from=build is a stage; --from=Busybox is no stage (stage names are matched case-insensitively), so an image.
      [RULE, "Dockerfile", 8, 13, `COPY --from image "Busybox" is not a valid image reference: "Busybox" ${REPOSITORY}`],
      // The map shape is reported at its tag, here the part that is wrong.
      [RULE, "chart/values.yaml", 3, 9, 'Helm values image "ghcr.io/acme/shop:1.0 beta" is not a valid image reference: "1.0 beta" is not a valid tag'],
      [RULE, "chart/values.yaml", 5, 10, `Helm values image "acme/Web:1.0" is not a valid image reference: "acme/Web" ${REPOSITORY}`],
      // nginx:1.25 is valid, and a templated value is not parsed.
      [RULE, "workloads.yaml", 10, 18, `container "migrate" image "ghcr.io/acme/Migrate:1.0" is not a valid image reference: "acme/Migrate" ${REPOSITORY}`],
      // The valid tag-and-digest reference on line 13 gives nothing. `+` (semver build metadata) is not allowed in a tag.
      [RULE, "workloads.yaml", 15, 18, 'container "semver-build" image "ghcr.io/acme/web:v1.25+build.7" is not a valid image reference: "v1.25+build.7" is not a valid tag'],
      [RULE, "workloads.yaml", 17, 18, 'container "short-digest" image "nginx@sha256:abc123" is not a valid image reference: "sha256:abc123" is not a valid digest'],
      [RULE, "workloads.yaml", 19, 18, 'container "bad-registry" image "registry_example.com/app:1" is not a valid image reference: "registry_example.com" is not a valid registry host'],
      // An empty string is malformed (a missing image gives nothing); reported inside the quotes.
      [RULE, "workloads.yaml", 21, 19, 'container "empty" image "" is not a valid image reference: image is empty'],
      // No image, a templated one and localhost:5000/app:dev give nothing; nor does the ignored Deployment, nor the ConfigMap.
    ]);
    expect(subjects(findings)).toEqual([
      "- -",
      "- -",
      "- -",
      "- -",
      "- -",
      "Deployment/web migrate",
      "Deployment/web semver-build",
      "Deployment/web short-digest",
      "Deployment/web bad-registry",
      "Deployment/web empty",
    ]);
    expect(findings.every((f) => f.severity === "high" && !f.fixable)).toBe(true);
  });

  it("leaves malformed references to itself: image-tag-mutable and image-digest-missing only see well-formed ones", () => {
    expect(rows(scanFixture(RULE, { rules: ["image-tag-mutable", "image-digest-missing"] }))).toEqual([
      ["image-digest-missing", "Dockerfile", 5, 6, 'base image "golang:1.22" of stage "go" is not pinned by digest'],
      ["image-digest-missing", "chart/values.yaml", 7, 10, 'Helm values image "nginx:1.25" is not pinned by digest'],
      ["image-digest-missing", "workloads.yaml", 26, 18, 'container "registry-port" image "localhost:5000/app:dev" is not pinned by digest'],
    ]);
  });

  it("reports nothing for well-formed references", () => {
    const root = tempTree({
      "pod.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: p}",
        "spec:",
        "  containers:",
        "    - {name: a, image: nginx}",
        "    - {name: b, image: 'docker.io/library/nginx:1.25-alpine'}",
        "    - {name: c, image: '[::1]:5000/team/app_name__x:v1.0_rc-1'}",
        "    - {name: d, image: 'registry.example.com:443/a/b/c@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}",
      ),
      "Dockerfile": "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n",
    });
    expect(rows(scan(root, only))).toEqual([]);
  });

  it("reports malformed references in kustomizations, Argo CD Applications, Compose files and workflows too", () => {
    const root = tempTree({
      "kustomization.yaml": yaml("images:", "  - name: web", "    newName: ghcr.io/acme/web", "    newTag: 'v1.0+build.3'"),
      "argocd.yaml": yaml("apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata: {name: shop}", "spec:", "  source:", "    kustomize:", "      images: ['api=ghcr.io/acme/api:-1.0']"),
      "compose.yaml": yaml("services:", "  db:", "    image: Postgres:16"),
      ".github/workflows/ci.yml": yaml("on: push", "jobs:", "  test:", "    container: node:20@sha256:abc", "    steps: [{uses: 'docker://Alpine:3'}]"),
    });
    expect(rows(scan(root, only))).toEqual([
      [RULE, ".github/workflows/ci.yml", 4, 16, 'job "test" container image "node:20@sha256:abc" is not a valid image reference: "sha256:abc" is not a valid digest'],
      [RULE, ".github/workflows/ci.yml", 5, 30, `job "test" step image "Alpine:3" is not a valid image reference: "Alpine" ${REPOSITORY}`],
      // After the `api=` prefix. A tag starts with a letter, digit or underscore.
      [RULE, "argocd.yaml", 7, 21, 'Argo CD Application "shop" kustomize image "ghcr.io/acme/api:-1.0" is not a valid image reference: "-1.0" is not a valid tag'],
      [RULE, "compose.yaml", 3, 12, `service "db" image "Postgres:16" is not a valid image reference: "Postgres" ${REPOSITORY}`],
      [RULE, "kustomization.yaml", 4, 14, 'Kustomize images entry for "web": image "ghcr.io/acme/web:v1.0+build.3" is not a valid image reference: "v1.0+build.3" is not a valid tag'],
    ]);
  });
});
