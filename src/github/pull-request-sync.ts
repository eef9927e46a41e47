import type { PullRequestSettings } from "../config/types.js";
import { BranchTakenError, createCommit, pointBranch, type CommitBase, type FileWrite } from "./git-commit.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { statusOf } from "./octokit.js";
import { readMetadata, type PullRequestText } from "./pr-text.js";
import { HANDS_OFF_MARKER, hasForeignCommits, OBSOLETE_MARKER, type PullRequestsOnRecord, type ShipshapePullRequest } from "./pull-requests.js";


export type SyncOutcome = "opened" | "updated" | "unchanged" | "left-alone" | "limited";

export interface GroupUpdate {
  branch: string;
  text: PullRequestText;
  files: FileWrite[];
  /** Open it even where the limits would stop it: people asked for these fixes (`/shipshape fix`). */
  force?: boolean;
}

export interface SyncContext {
  octokit: GitHubClient;
  repository: RepositoryName;
  defaultBranch: string;
  base: CommitBase;
  record: PullRequestsOnRecord;
  settings: PullRequestSettings;
  /** Pull requests this scan has opened so far, for the limits. */
  opened: number;
  /** Filled in, when given, with the number of each pull request this scan opened (or found open by its branch), by branch. */
  numbers?: Map<string, number>;
  /** A branch to rebuild from scratch on the base even though people pushed to it: they asked (`/shipshape rebase`). */
  rebuild?: string;
}

/**
 * Brings one group's pull request up to date: opens it, or rebuilds its
 * single commit on the current base while every commit on the branch is
 * Shipshape's. Nothing is written when the fixes and the base are unchanged.
 */
export async function syncPullRequest(context: SyncContext, update: GroupUpdate): Promise<SyncOutcome> {
  const { octokit, repository, record } = context;
  const existing = record.open.find((pull) => pull.branch === update.branch);
  if (existing) return refresh(context, existing, update);
  const limited = record.open.length + context.opened >= context.settings.maxOpen || record.openedLastHour + context.opened >= context.settings.maxPerHour;
  if (limited && !update.force) return "limited";
  const sha = await createCommit(octokit, repository, context.base, update.files, commitMessage(update.text));
  try {
    await pointBranch(octokit, repository, update.branch, sha, false, context.defaultBranch);
  } catch (error) {
    if (error instanceof BranchTakenError) return "left-alone";
    throw error;
  }
  let number: number;
  try {
    const created = await octokit.rest.pulls.create({
      ...repository,
      title: update.text.title,
      body: update.text.body,
      head: update.branch,
      base: context.defaultBranch,
      draft: update.text.draft,
    });
    number = created.data.number;
    context.numbers?.set(update.branch, number);
  } catch (error) {
    // 422: a pull request for this branch exists that the listing did not show (another replica was faster).
    if (statusOf(error) !== 422) throw error;
    const found = await octokit.rest.pulls.list({ ...repository, state: "open", head: `${repository.owner}:${update.branch}` });
    const pull = found.data[0];
    if (!pull) throw error;
    context.numbers?.set(update.branch, pull.number);
    await octokit.rest.pulls.update({ ...repository, pull_number: pull.number, title: update.text.title, body: update.text.body });
    return "updated";
  }
  await octokit.rest.issues.addLabels({ ...repository, issue_number: number, labels: update.text.labels });
  context.opened += 1;
  return "opened";
}

async function refresh(context: SyncContext, pull: ShipshapePullRequest, update: GroupUpdate): Promise<SyncOutcome> {
  const { octokit, repository } = context;
  // Rebuilding discards people's commits and, with the fresh body, the hands-off marker.
  const rebuilding = context.rebuild === pull.branch;
  if (pull.body.includes(HANDS_OFF_MARKER) && !rebuilding) return "left-alone";
  const wanted = readMetadata(update.text.body);
  const current = pull.metadata;
  if (!rebuilding && current && wanted && current.baseSha === wanted.baseSha && sameList(current.fingerprints, wanted.fingerprints)) return "unchanged";
  if (!rebuilding && (await hasForeignCommits(octokit, repository, context.defaultBranch, pull))) {
    await octokit.rest.issues.createComment({
      ...repository,
      issue_number: pull.number,
      body: "Someone pushed commits to this branch, so Shipshape will no longer update it: it is yours now. To have Shipshape propose these fixes afresh, close it and delete the branch.",
    });
    await octokit.rest.pulls.update({ ...repository, pull_number: pull.number, body: `${pull.body}\n${HANDS_OFF_MARKER}` });
    return "left-alone";
  }
  const sha = await createCommit(octokit, repository, context.base, update.files, commitMessage(update.text));
  await pointBranch(octokit, repository, pull.branch, sha, true, context.defaultBranch);
  await octokit.rest.pulls.update({ ...repository, pull_number: pull.number, title: update.text.title, body: update.text.body });
  return "updated";
}

/** Closes a pull request whose findings are gone (fixed some other way, or no longer reported), and deletes its branch. */
export async function closeObsolete(context: SyncContext, pull: ShipshapePullRequest): Promise<boolean> {
  // A rebuild asked for on a branch whose fixes are gone discards people's commits too: nothing is left to rebuild.
  if (pull.body.includes(HANDS_OFF_MARKER) && context.rebuild !== pull.branch) return false;
  const { octokit, repository } = context;
  await octokit.rest.issues.createComment({
    ...repository,
    issue_number: pull.number,
    body: `Shipshape no longer finds what this pull request fixes on ${context.defaultBranch}, so it is closing it and deleting its branch.`,
  });
  // Marked, so that the closed pull request does not read as people's "not this fix" should the finding come back.
  await octokit.rest.pulls.update({ ...repository, pull_number: pull.number, state: "closed", body: `${pull.body}\n${OBSOLETE_MARKER}` });
  await octokit.rest.git.deleteRef({ ...repository, ref: `heads/${pull.branch}` });
  return true;
}

function commitMessage(text: PullRequestText): string {
  return `${text.title}\n\nMade by Shipshape; the pull request says what changed and why.`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
