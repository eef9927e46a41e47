import { commitAuthorsOn } from "./branch-commits.js";
import { BRANCH_PREFIX } from "./groups.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { statusOf } from "./octokit.js";

export interface FileWrite {
  path: string;
  content: string;
  executable: boolean;
}

export interface CommitBase {
  /** The commit the new one goes on top of: the default branch's head. */
  sha: string;
  /** Its tree, so only changed files need sending. */
  treeSha: string;
}

/**
 * One commit with every file of a pull request, in three calls whatever the
 * file count: a tree on top of the base tree with the contents inline, then
 * the commit. No author is given, so GitHub records the app as author and
 * marks the commit verified.
 */
export async function createCommit(octokit: GitHubClient, repository: RepositoryName, base: CommitBase, files: readonly FileWrite[], message: string): Promise<string> {
  const tree = await octokit.rest.git.createTree({
    ...repository,
    base_tree: base.treeSha,
    tree: files.map((file) => ({ path: file.path, mode: file.executable ? "100755" : "100644", type: "blob", content: file.content })),
  });
  const commit = await octokit.rest.git.createCommit({ ...repository, message, tree: tree.data.sha, parents: [base.sha] });
  return commit.data.sha;
}

/** The branch exists with commits Shipshape did not make: they are people's, and stay. */
export class BranchTakenError extends Error {}

/**
 * Points `shipshape/…` at the commit: created when new, moved (forced) when
 * Shipshape owns every commit on it. `exists` says the caller checked that
 * already; a branch found in the way is checked here before it is moved.
 */
export async function pointBranch(octokit: GitHubClient, repository: RepositoryName, branch: string, sha: string, exists: boolean, defaultBranch: string): Promise<void> {
  // The one guard between a bug and a force-push to someone's branch.
  if (!branch.startsWith(BRANCH_PREFIX)) throw new Error(`refusing to write to ${branch}: Shipshape only writes to ${BRANCH_PREFIX}* branches`);
  if (branch === defaultBranch) throw new Error(`refusing to write to ${branch}: it is the default branch`);
  if (!exists) {
    try {
      await octokit.rest.git.createRef({ ...repository, ref: `refs/heads/${branch}`, sha });
      return;
    } catch (error) {
      // 422: the branch is there already (a closed pull request's, or another replica was faster).
      if (statusOf(error) !== 422) throw error;
      if ((await commitAuthorsOn(octokit, repository, defaultBranch, branch)).some((author) => author.type !== "Bot")) {
        throw new BranchTakenError(`${branch} already exists with commits Shipshape did not make; it is left as it is`);
      }
    }
  }
  await octokit.rest.git.updateRef({ ...repository, ref: `heads/${branch}`, sha, force: true });
}
