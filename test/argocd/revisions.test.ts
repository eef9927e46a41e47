/**
 * The app's look-up of the commits mutable targetRevisions point at (src/github/argocd-revisions.ts), with a
 * stand-in for Octokit, and the pull request section that lists the Argo CD applications a change syncs through.
 */
import { describe, expect, it } from "vitest";
import { deployedBy } from "../../src/argocd/applications.js";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { repositoryUrlsOf, withArgoRevisions } from "../../src/github/argocd-revisions.js";
import type { GitHubClient } from "../../src/github/octokit.js";
import { argoCdSection, pullRequestText } from "../../src/github/pr-text.js";
import { NO_LOCKFILE_LOOKUPS } from "../../src/lockfiles/lookups.js";
import { NO_DIGESTS } from "../../src/pins/lookup.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";

const CATALOG = loadRules();
const RULE = "argocd-target-revision-mutable";
const rules = activeRules(CATALOG, {}, [RULE]);
const SHA = "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d";
const REPOSITORY = { owner: "acme", repo: "gitops" };

function application(name: string, sources: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ${name}, namespace: argocd}
spec:
  ${sources}
  destination: {name: prod, namespace: ${name}}
`;
}

function scan(files: Record<string, string>) {
  const loaded = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  return scanFiles(loaded, { rules, fixSettings: DEFAULT_FIX_SETTINGS, now: new Date("2026-01-01T00:00:00Z") });
}

/** Answers getCommit from a table of `owner/repo@ref`, recording each question. */
function fakeOctokit(answers: Record<string, string | number>): { octokit: GitHubClient; asked: string[] } {
  const asked: string[] = [];
  const getCommit = async (request: { owner: string; repo: string; ref: string; mediaType: { format: string } }) => {
    const key = `${request.owner}/${request.repo}@${request.ref}`;
    asked.push(`${key} (${request.mediaType.format})`);
    const answer = answers[key];
    if (typeof answer === "string") return { data: answer };
    throw Object.assign(new Error(answer === undefined ? "Not Found" : `status ${answer}`), { status: answer ?? 404 });
  };
  return { octokit: { rest: { repos: { getCommit } } } as unknown as GitHubClient, asked };
}

describe("looking up the commits of mutable targetRevisions", () => {
  it("asks once per repository and ref, HEAD of this repository as its default branch, and rescans", async () => {
    const scanned = scan({
      "a.yaml": application("a", "source: {repoURL: https://github.com/acme/gitops, path: a, targetRevision: HEAD}"),
      "b.yaml": application("b", "source: {repoURL: git@github.com:acme/gitops.git, path: b}"),
      "c.yaml": application("c", "source: {repoURL: https://github.com/acme/platform.git, path: c, targetRevision: release}"),
      "d.yaml": application("d", "source: {repoURL: https://github.com/acme/platform.git, path: d, targetRevision: release}"),
      "e.yaml": application("e", "source: {repoURL: https://gitlab.com/acme/infra.git, path: e, targetRevision: main}"),
      "f.yaml": application("f", "source: {repoURL: https://github.com/acme/gone, path: f, targetRevision: main}"),
      "g.yaml": application("g", "source: {repoURL: https://github.com/acme/other, path: g}"),
    });
    expect(scanned.findings.every((finding) => !finding.fixable)).toBe(true);
    const { octokit, asked } = fakeOctokit({ "acme/gitops@main": SHA, "acme/platform@release": SHA.replace("7", "8"), "acme/other@HEAD": SHA.replace("7", "9") });
    const result = await withArgoRevisions(octokit, scanned, { repository: REPOSITORY, defaultBranch: "main", rules, fixSettings: DEFAULT_FIX_SETTINGS, digests: NO_DIGESTS, lockfiles: NO_LOCKFILE_LOOKUPS });
    // One question per repository and ref (gitops@main for both spellings of HEAD), in the order of their keys: deterministic.
    expect(asked).toEqual(["acme/gitops@main (sha)", "acme/gone@main (sha)", "acme/other@HEAD (sha)", "acme/platform@release (sha)"]);
    expect(result.fixSettings.argocdRevisions).toEqual({
      "git@github.com:acme/gitops.git#HEAD": { ok: true, sha: SHA },
      "https://github.com/acme/gitops#HEAD": { ok: true, sha: SHA },
      "https://github.com/acme/platform.git#release": { ok: true, sha: SHA.replace("7", "8") },
      "https://github.com/acme/other#HEAD": { ok: true, sha: SHA.replace("7", "9") },
      "https://github.com/acme/gone#main": { ok: false, reason: 'GitHub has no commit "main" of acme/gone that this installation can read (HTTP 404)' },
      "https://gitlab.com/acme/infra.git#main": { ok: false, reason: "https://gitlab.com/acme/infra.git is not a github.com repository, and Shipshape looks up commits on github.com only" },
    });
    expect(result.scanned.findings.map((finding) => [finding.file, finding.fixable, finding.notFixableReason])).toEqual([
      ["a.yaml", true, undefined],
      ["b.yaml", true, undefined],
      ["c.yaml", true, undefined],
      ["d.yaml", true, undefined],
      ["e.yaml", false, "https://gitlab.com/acme/infra.git is not a github.com repository, and Shipshape looks up commits on github.com only"],
      ["f.yaml", false, 'GitHub has no commit "main" of acme/gone that this installation can read (HTTP 404)'],
      ["g.yaml", true, undefined],
    ]);
  });

  it("asks nothing when no finding needs a commit", async () => {
    const scanned = scan({ "a.yaml": application("a", "source: {repoURL: https://charts.acme.dev, chart: a, targetRevision: 1.*}") });
    const { octokit, asked } = fakeOctokit({});
    const result = await withArgoRevisions(octokit, scanned, { repository: REPOSITORY, defaultBranch: "main", rules, fixSettings: DEFAULT_FIX_SETTINGS, digests: NO_DIGESTS, lockfiles: NO_LOCKFILE_LOOKUPS });
    expect(asked).toEqual([]);
    expect(result.scanned).toBe(scanned);
    expect(result.fixSettings).toBe(DEFAULT_FIX_SETTINGS);
  });

  it("knows a repository by its URLs", () => {
    expect(repositoryUrlsOf(REPOSITORY, { ssh_url: "git@github.com:acme/gitops.git", html_url: "" })).toEqual(["https://github.com/acme/gitops", "git@github.com:acme/gitops.git"]);
  });
});

describe("the pull request section on Argo CD applications", () => {
  const files = {
    "apps/web.yaml": application("web", "source: {repoURL: https://github.com/acme/gitops, path: web, targetRevision: main}"),
    "apps/shop.yaml": application(
      "shop",
      "sources: [{repoURL: https://charts.acme.dev, chart: shop, targetRevision: 1.0.0, helm: {valueFiles: [$values/values/shop.yaml]}}, {repoURL: https://github.com/acme/gitops.git, ref: values, targetRevision: main}]",
    ),
    "root.yaml": application("root", "source: {repoURL: git@github.com:acme/gitops.git, path: apps, targetRevision: main}"),
    "web/deployment.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n",
    "values/shop.yaml": "replicas: 2\n",
    "other/readme.yaml": "a: 1\n",
  };
  const deployments = deployedBy(scan(files).workspace, { repositoryUrls: ["https://github.com/acme/gitops"] });
  const changed = (...paths: string[]): Pick<Changeset, "files"> => ({ files: paths.map((path) => ({ path, before: "", after: "", fixes: [] })) });

  it("lists each application that deploys a changed file, with its cluster, namespace and files", () => {
    expect(argoCdSection(deployments, changed("web/deployment.yaml", "values/shop.yaml", "apps/web.yaml"))).toBe(
      [
        "## Argo CD applications that sync this change",
        "",
        "Once this is merged, Argo CD deploys the changed files through 3 applications:",
        "",
        "| Application | Defined in | Cluster | Namespace | Changed files it deploys |",
        "| --- | --- | --- | --- | --- |",
        "| root | root.yaml | prod | root | apps/web.yaml |",
        "| shop | apps/shop.yaml | prod | shop | values/shop.yaml |",
        "| web | apps/web.yaml | prod | web | web/deployment.yaml |",
      ].join("\n"),
    );
  });

  it("is left out when no application deploys the changed files, or there are none", () => {
    expect(argoCdSection(deployments, changed("other/readme.yaml"))).toBe("");
    expect(argoCdSection([], changed("web/deployment.yaml"))).toBe("");
  });

  it("is part of the pull request body only when given", () => {
    const scanned = scan({ "apps/web.yaml": files["apps/web.yaml"] });
    const finding = scanned.findings[0]!;
    const changeset: Changeset = {
      ...changed("apps/web.yaml"),
      applied: [{ id: "x", rule: RULE, file: "apps/web.yaml", finding, explanation: "Pins it.", risk: "", risky: false }],
      skipped: [],
    } as Changeset;
    const group = { key: RULE, branch: `shipshape/${RULE}`, groupBy: "rule" as const, findings: [finding] };
    const input = { group, changeset, rules: CATALOG, repository: REPOSITORY, baseSha: "a".repeat(40), defaultBranch: "main" };
    expect(pullRequestText(input).body).not.toContain("Argo CD applications");
    const body = pullRequestText({ ...input, argoCd: deployments }).body;
    expect(body).toContain("## Argo CD applications that sync this change\n\nOnce this is merged, Argo CD deploys the changed files through 1 application:");
    expect(body).toContain("| root | root.yaml | prod | root | apps/web.yaml |\n\n## Before merging");
  });
});
