import { readApplication } from "../argocd/applications.js";
import { gitHubRepositoryOf, isPinnableToCommit, revisionKey, revisionKind } from "../argocd/revisions.js";
import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import type { LockfileLookups } from "../lockfiles/lookups.js";
import { isArgoCdApplication, type Resource } from "../model/resource.js";
import type { DigestTable } from "../pins/lookup.js";
import type { Finding } from "../scan/finding.js";
import { rescanWithLookups, type ScanResult } from "../scan/scan.js";
import { commitTable, type CommitQuestion } from "./commit-of.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";

/** The fix that needs the commits; rules name it in `fix.name`. */
export const ARGOCD_REVISION_PIN = "argocd-revision-pin";

export interface ArgoRevisionOptions {
  /** The repository being scanned, and its default branch (what HEAD of this repository is). */
  repository: RepositoryName;
  defaultBranch: string;
  rules: readonly ActiveRule[];
  fixSettings: FixSettings;
  /** What the look-up step found, for the rescan. */
  digests: DigestTable;
  lockfiles: LockfileLookups;
}

/**
 * For argocd-revision-pin: asks GitHub which commit each mutable targetRevision (HEAD, a branch, a tag) of a
 * github.com source points at, once per distinct repository and ref, puts the answers (or why there is none)
 * into the fix settings, and rescans so that those findings say whether they can be fixed. Without such
 * findings nothing is asked and the scan comes back as it was.
 */
export async function withArgoRevisions(octokit: GitHubClient, scanned: ScanResult, options: ArgoRevisionOptions): Promise<{ scanned: ScanResult; fixSettings: FixSettings }> {
  const wanted = revisionsWanted(scanned, options.rules, options);
  if (wanted.size === 0) return { scanned, fixSettings: options.fixSettings };
  const table = await commitTable(octokit, wanted);
  const fixSettings: FixSettings = { ...options.fixSettings, argocdRevisions: table };
  return { scanned: rescanWithLookups(scanned, options.rules, fixSettings, { digests: options.digests, lockfiles: options.lockfiles }), fixSettings };
}

/** The revisions the findings of rules fixed by argocd-revision-pin need, by FixSettings key: a question, or why none can be asked. */
export function revisionsWanted(scanned: ScanResult, rules: readonly ActiveRule[], where: { repository: RepositoryName; defaultBranch: string }): Map<string, CommitQuestion | { reason: string }> {
  const ruleIds = new Set(rules.filter((active) => active.rule.fix?.name === ARGOCD_REVISION_PIN).map((active) => active.rule.id));
  const wanted = new Map<string, CommitQuestion | { reason: string }>();
  for (const finding of scanned.findings) {
    if (!ruleIds.has(finding.rule)) continue;
    const resource = resourceOf(scanned.workspace.resources, finding);
    if (!resource || !isArgoCdApplication(resource)) continue;
    for (const source of readApplication(resource).sources) {
      const kind = revisionKind(source);
      if (!isPinnableToCommit(kind) || source.repoURL === undefined) continue;
      const key = revisionKey(source.repoURL, source.targetRevision);
      if (wanted.has(key)) continue;
      const github = gitHubRepositoryOf(source.repoURL);
      if (!github) {
        wanted.set(key, { reason: `${source.repoURL} is not a github.com repository, and Shipshape looks up commits on github.com only` });
        continue;
      }
      const sameRepository = github.owner.toLowerCase() === where.repository.owner.toLowerCase() && github.repo.toLowerCase() === where.repository.repo.toLowerCase();
      // HEAD is the default branch: this repository's is known; GitHub resolves HEAD of any other.
      const ref = kind === "head" ? (sameRepository ? where.defaultBranch : "HEAD") : (source.targetRevision ?? "").trim();
      wanted.set(key, { ...github, ref });
    }
  }
  return wanted;
}

/** The object a finding is on, as the fix engine finds it: by file, document and path. */
function resourceOf(resources: readonly Resource[], finding: Finding): Resource | undefined {
  const target = finding.target;
  if (!target) return undefined;
  return resources.find(
    (resource) =>
      resource.file === finding.file &&
      resource.document === target.document &&
      resource.path.length === target.path.length &&
      resource.path.every((part, index) => target.path[index] === part),
  );
}

/** The URLs a repository is known by, for telling which Argo CD sources are this repository. */
export function repositoryUrlsOf(repository: RepositoryName, details: { html_url?: string; clone_url?: string; ssh_url?: string; git_url?: string }): string[] {
  const urls = [`https://github.com/${repository.owner}/${repository.repo}`, details.html_url, details.clone_url, details.ssh_url, details.git_url];
  return urls.filter((url): url is string => typeof url === "string" && url !== "");
}
