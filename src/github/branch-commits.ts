import type { GitHubClient, RepositoryName } from "./octokit.js";

export interface CommitAuthor {
  login: string | undefined;
  type: string | undefined;
}

/** Who made each commit a branch has on top of the default branch (one call). */
export async function commitAuthorsOn(octokit: GitHubClient, repository: RepositoryName, defaultBranch: string, branch: string): Promise<CommitAuthor[]> {
  const comparison = await octokit.rest.repos.compareCommitsWithBasehead({ ...repository, basehead: `${defaultBranch}...${branch}`, per_page: 100 });
  return comparison.data.commits.map((commit) => ({ login: commit.author?.login, type: commit.author?.type }));
}
