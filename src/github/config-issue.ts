import type { GitHubClient, RepositoryName } from "./octokit.js";

export const CONFIG_ISSUE_LABEL = "shipshape-config";
const TITLE = "Shipshape cannot read its configuration";

/** Tells the repository its config is invalid: one open issue, updated in place, never duplicated. */
export async function reportConfigError(octokit: GitHubClient, repository: RepositoryName, message: string): Promise<void> {
  const body = [
    "Shipshape found a problem in its configuration and opened no pull requests until it is fixed:",
    "",
    "```",
    message,
    "```",
    "",
    "Fix the file and push to the default branch; Shipshape scans again on that push.",
  ].join("\n");
  const existing = await octokit.rest.issues.listForRepo({ ...repository, state: "open", labels: CONFIG_ISSUE_LABEL, per_page: 1 });
  const issue = existing.data[0];
  if (issue === undefined) {
    await octokit.rest.issues.create({ ...repository, title: TITLE, body, labels: [CONFIG_ISSUE_LABEL] });
  } else if (issue.body !== body) {
    await octokit.rest.issues.update({ ...repository, issue_number: issue.number, body });
  }
}
