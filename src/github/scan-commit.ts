import type { LoadOptions, WorkspaceFile } from "../workspace/load.js";
import { loadWorkspaceFromFiles } from "../workspace/load.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { readTarball } from "./tarball.js";

/**
 * The files of one commit as a scan reads them: the commit's tarball, read in
 * memory, with .gitignore and the config's ignorePaths applied. A pull
 * request's head commit is read from the base repository, which serves the
 * commits of pull requests from forks too.
 */
export async function readCommitFiles(octokit: GitHubClient, repository: RepositoryName, sha: string, options: LoadOptions): Promise<WorkspaceFile[]> {
  const archive = await octokit.rest.repos.downloadTarballArchive({ ...repository, ref: sha });
  const tarball = await readTarball(new Uint8Array(archive.data as ArrayBuffer));
  return loadWorkspaceFromFiles(tarball.files, options);
}
