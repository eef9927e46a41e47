import type { ArgoSource } from "./applications.js";

/**
 * How a source's targetRevision picks what Argo CD deploys.
 *
 * - `commit`: a full commit SHA (40 hex, or 64 for SHA-256 repositories): immutable.
 * - `version`: an exact chart version (`1.2.3`, `1.2.3-rc.1`) of a Helm chart source: immutable, as chart
 *   repositories do not republish a version.
 * - `head`: `HEAD`, or no targetRevision at all, on a Git source: the default branch.
 * - `branch`: any other name on a Git source.
 * - `tag`: a version-like name on a Git source (`v1.2.3`): a tag, which can be moved or deleted and pushed again.
 * - `range`: a semver constraint or wildcard (`1.*`, `>=1.2`, `~1.2`, `^1`): the newest matching release.
 * - `latest`: a Helm chart source without a version: the newest release.
 * - `templated`: an ApplicationSet parameter (`{{…}}`): decided per generated Application, not judged here.
 */
export type RevisionKind = "commit" | "version" | "head" | "branch" | "tag" | "range" | "latest" | "templated";

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const VERSION_LIKE = /^v?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.+-]+)?$/;
const RANGE = /[*xX^~<>=|, ]|^\s*$/;

export function revisionKind(source: Pick<ArgoSource, "chart" | "targetRevision">): RevisionKind {
  const revision = (source.targetRevision ?? "").trim();
  if (revision.includes("{{")) return "templated";
  if (source.chart !== undefined) {
    if (revision === "") return "latest";
    if (EXACT_VERSION.test(revision)) return "version";
    return "range";
  }
  if (revision === "" || revision === "HEAD") return "head";
  if (COMMIT.test(revision)) return "commit";
  if (VERSION_LIKE.test(revision)) return "tag";
  if (isRange(revision)) return "range";
  return "branch";
}

/** Whether the revision lets what is deployed change without a commit to this repository. */
export function isMutableRevision(kind: RevisionKind): boolean {
  return kind !== "commit" && kind !== "version" && kind !== "templated";
}

/** Whether the commit a revision points at can be looked up and written in its place (Git sources only). */
export function isPinnableToCommit(kind: RevisionKind): boolean {
  return kind === "head" || kind === "branch" || kind === "tag";
}

/** A semver constraint (Argo CD resolves them among tags, and among chart versions): `1.*`, `>=1.2 <2`, `~1.2`, `^1`, `1.x`. */
function isRange(revision: string): boolean {
  if (!/^[\sv\d.*xX^~<>=|,-]+$/.test(revision)) return false;
  return RANGE.test(revision) && /\d|\*/.test(revision);
}

/** The key of a look-up in FixSettings.argocdRevisions: the repoURL as written and the revision (`HEAD` when none is written). */
export function revisionKey(repoURL: string, targetRevision: string | undefined): string {
  const revision = (targetRevision ?? "").trim();
  return `${repoURL}#${revision === "" ? "HEAD" : revision}`;
}

/** `owner/repo` of a github.com repository URL, or undefined for any other host. */
export function gitHubRepositoryOf(repoURL: string): { owner: string; repo: string } | undefined {
  const trimmed = repoURL.trim();
  const match =
    /^(?:https?:\/\/|ssh:\/\/git@|git:\/\/)(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?\/([^/]+)\/([^/?#]+?)(?:\.git)?\/?$/i.exec(trimmed) ??
    /^git@github\.com:([^/]+)\/([^/?#]+?)(?:\.git)?\/?$/i.exec(trimmed);
  if (!match) return undefined;
  return { owner: match[1] as string, repo: match[2] as string };
}
