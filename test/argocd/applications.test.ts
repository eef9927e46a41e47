import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applicationsForFile, argoApplications, deployedBy, normalizeRepositoryUrl } from "../../src/argocd/applications.js";
import { gitHubRepositoryOf, revisionKey, revisionKind } from "../../src/argocd/revisions.js";
import { DEFAULT_LIMITS } from "../../src/config/types.js";
import { parseWorkspace } from "../../src/scan/parse-workspace.js";
import { loadWorkspace, loadWorkspaceFromFiles } from "../../src/workspace/load.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "argocd", "app-of-apps");
const workspace = parseWorkspace(loadWorkspace(FIXTURE, { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] }), DEFAULT_LIMITS);
const GITOPS = ["https://github.com/acme/gitops"];

describe("Argo CD applications of an app of apps", () => {
  it("reads every Application and ApplicationSet template, with each source", () => {
    expect(argoApplications(workspace)).toEqual([
      {
        kind: "Application",
        name: "api-staging",
        namespace: "argocd",
        project: "default",
        destination: { server: "https://kubernetes.default.svc", namespace: "api" },
        sources: [
          { nodePath: ["spec", "source"], repoURL: "https://github.com/acme/gitops", targetRevision: "HEAD", path: "api/base", valueFiles: [], valuesObject: false, kustomizeImages: [] },
        ],
        file: "apps/api.yaml",
        document: 0,
      },
      {
        kind: "ApplicationSet",
        name: "{{cluster}}-guestbook",
        applicationSet: "guestbook",
        namespace: "argocd",
        project: "default",
        destination: { server: "{{url}}", namespace: "guestbook" },
        sources: [
          {
            nodePath: ["spec", "template", "spec", "source"],
            repoURL: "https://github.com/acme/gitops.git",
            targetRevision: "v1.4.0",
            path: "guestbook",
            valueFiles: [],
            valuesObject: false,
            kustomizeImages: [],
          },
        ],
        file: "apps/guestbook-set.yaml",
        document: 0,
      },
      {
        kind: "Application",
        name: "redis",
        namespace: "argocd",
        project: "platform",
        destination: { server: "https://kubernetes.default.svc", namespace: "redis" },
        sources: [
          { nodePath: ["spec", "source"], repoURL: "https://charts.bitnami.com/bitnami", chart: "redis", targetRevision: "1.*", valueFiles: [], valuesObject: true, kustomizeImages: [] },
        ],
        file: "apps/redis.yaml",
        document: 0,
      },
      {
        kind: "Application",
        name: "shop-prod",
        namespace: "argocd",
        project: "shop",
        destination: { name: "prod-eu", namespace: "shop" },
        sources: [
          {
            index: 0,
            nodePath: ["spec", "sources", 0],
            repoURL: "https://charts.acme.dev",
            chart: "shop",
            targetRevision: "2.4.1",
            valueFiles: [
              // Through the source whose ref is "values".
              { written: "$values/values/shop/prod.yaml", repoURL: "git@github.com:acme/gitops.git", path: "values/shop/prod.yaml" },
              // Relative to a chart from a Helm repository: inside the chart, not in any Git repository.
              { written: "values-extra.yaml", repoURL: "https://charts.acme.dev" },
            ],
            valuesObject: false,
            kustomizeImages: [],
          },
          {
            index: 1,
            nodePath: ["spec", "sources", 1],
            repoURL: "git@github.com:acme/gitops.git",
            targetRevision: "0123456789abcdef0123456789abcdef01234567",
            ref: "values",
            valueFiles: [],
            valuesObject: false,
            kustomizeImages: [],
          },
        ],
        file: "apps/shop.yaml",
        document: 0,
      },
      {
        kind: "Application",
        name: "web-prod",
        namespace: "argocd",
        project: "default",
        destination: { server: "https://prod.k8s.acme.dev", namespace: "web" },
        sources: [
          {
            nodePath: ["spec", "source"],
            repoURL: "https://github.com/acme/gitops",
            targetRevision: "89abcdef0123456789abcdef0123456789abcdef",
            path: "overlays/prod/web",
            valueFiles: [],
            valuesObject: false,
            kustomizeImages: ["ghcr.io/acme/web=ghcr.io/acme/web:1.4.2@sha256:4f1c4a3e0b8a2d1e9f6c7b5a4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c"],
          },
        ],
        file: "apps/web.yaml",
        document: 0,
      },
      {
        kind: "Application",
        name: "root",
        namespace: "argocd",
        project: "default",
        destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
        sources: [{ nodePath: ["spec", "source"], repoURL: "https://github.com/acme/gitops.git", targetRevision: "main", path: "apps", valueFiles: [], valuesObject: false, kustomizeImages: [] }],
        file: "root.yaml",
        document: 0,
      },
    ]);
  });

  it("tells which folders and values files of this repository each application deploys", () => {
    const summary = (urls: string[]) => deployedBy(workspace, { repositoryUrls: urls }).map(({ application, folders, valueFiles }) => [application.name, folders, valueFiles]);
    const expected = [
      ["api-staging", ["api/base"], []],
      ["{{cluster}}-guestbook", ["guestbook"], []],
      ["shop-prod", [], ["values/shop/prod.yaml"]],
      ["web-prod", ["overlays/prod/web"], []],
      ["root", ["apps"], []],
    ];
    // By URL: https, ssh and .git spellings are one repository.
    expect(summary(GITOPS)).toEqual(expected);
    expect(summary(["git@github.com:Acme/GitOps.git"])).toEqual(expected);
    // Without a URL (the CLI): sources whose path is a folder here, values files that are files here.
    expect(summary([])).toEqual(expected);
    // Another repository's URL: nothing here is deployed from it.
    expect(summary(["https://github.com/acme/other"])).toEqual([]);
  });

  it("lists the applications that deploy a file", () => {
    const deployments = deployedBy(workspace, { repositoryUrls: GITOPS });
    expect(applicationsForFile(deployments, "overlays/prod/web/configmap.yaml")).toEqual([
      { kind: "Application", name: "web-prod", file: "apps/web.yaml", destination: { server: "https://prod.k8s.acme.dev", namespace: "web" } },
    ]);
    expect(applicationsForFile(deployments, "values/shop/prod.yaml")).toEqual([{ kind: "Application", name: "shop-prod", file: "apps/shop.yaml", destination: { name: "prod-eu", namespace: "shop" } }]);
    // The Applications in apps/ are deployed by the root Application.
    expect(applicationsForFile(deployments, "apps/web.yaml")).toEqual([
      { kind: "Application", name: "root", file: "root.yaml", destination: { server: "https://kubernetes.default.svc", namespace: "argocd" } },
    ]);
    expect(applicationsForFile(deployments, "guestbook/configmap.yaml")).toEqual([
      { kind: "ApplicationSet", name: "{{cluster}}-guestbook", file: "apps/guestbook-set.yaml", destination: { server: "{{url}}", namespace: "guestbook" } },
    ]);
    // A folder's name as a prefix of another's is not the folder.
    expect(applicationsForFile(deployments, "apps-old/x.yaml")).toEqual([]);
    expect(applicationsForFile(deployments, "root.yaml")).toEqual([]);
  });

  it("takes the root folder as every file, and a values file relative to a Git source's path", () => {
    const files = loadWorkspaceFromFiles(
      [
        {
          path: "app.yaml",
          bytes: Buffer.from("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: all}\nspec:\n  source:\n    repoURL: https://github.com/acme/gitops\n    path: .\n    helm:\n      valueFiles: [values/prod.yaml, ../outside.yaml]\n  destination: {server: https://kubernetes.default.svc, namespace: default}\n"),
        },
        { path: "values/prod.yaml", bytes: Buffer.from("a: 1\n") },
      ],
      { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
    );
    const deployments = deployedBy(parseWorkspace(files, DEFAULT_LIMITS), { repositoryUrls: GITOPS });
    expect(deployments.map(({ folders, valueFiles }) => [folders, valueFiles])).toEqual([[["."], ["values/prod.yaml"]]]);
    expect(applicationsForFile(deployments, "any/where.yaml").map((app) => app.name)).toEqual(["all"]);
  });
});

describe("repository URLs and revisions", () => {
  it("normalises repository URLs", () => {
    expect(
      ["https://github.com/acme/gitops", "https://github.com/acme/gitops.git", "git@github.com:acme/gitops.git", "ssh://git@github.com/acme/gitops", "https://GitHub.com/Acme/GitOps/", "https://user@github.com:443/acme/gitops.git"].map(
        normalizeRepositoryUrl,
      ),
    ).toEqual(Array(6).fill("github.com/acme/gitops"));
    expect(gitHubRepositoryOf("git@github.com:Codertocat/Hello-World.git")).toEqual({ owner: "Codertocat", repo: "Hello-World" });
    expect(gitHubRepositoryOf("https://github.com/Codertocat/Hello-World")).toEqual({ owner: "Codertocat", repo: "Hello-World" });
    expect(gitHubRepositoryOf("https://gitlab.com/acme/gitops.git")).toBeUndefined();
    expect(revisionKey("https://github.com/acme/gitops", undefined)).toBe("https://github.com/acme/gitops#HEAD");
    expect(revisionKey("https://github.com/acme/gitops", "main")).toBe("https://github.com/acme/gitops#main");
  });

  it("tells commits and exact chart versions from what moves", () => {
    const git = (targetRevision?: string) => revisionKind(targetRevision === undefined ? {} : { targetRevision });
    const chart = (targetRevision?: string) => revisionKind({ chart: "redis", ...(targetRevision === undefined ? {} : { targetRevision }) });
    expect([git(), git(""), git("HEAD"), git("main"), git("release/1.2"), git("v1.2.3"), git("1.2"), git("1.*"), git(">=1.2"), git("0123456789abcdef0123456789abcdef01234567"), git("{{revision}}")]).toEqual([
      "head",
      "head",
      "head",
      "branch",
      "branch",
      "tag",
      "tag",
      "range",
      "range",
      "commit",
      "templated",
    ]);
    expect([chart(), chart("1.2.3"), chart("v1.2.3-rc.1"), chart("1.*"), chart(">=1.2"), chart("~1.2"), chart("^1"), chart("1.2"), chart("latest")]).toEqual([
      "latest",
      "version",
      "version",
      "range",
      "range",
      "range",
      "range",
      "range",
      "range",
    ]);
  });
});
