import { commitAuthorsOn } from "./branch-commits.js";
import { BRANCH_PREFIX } from "./groups.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { readMetadata, type PullRequestMetadata } from "./pr-text.js";

export interface ShipshapePullRequest {
  number: number;
  branch: string;
  headSha: string;
  /** Who opened it: the app's bot account; commits by anyone else are people's. */
  author: string;
  title: string;
  body: string;
  createdAt: string;
  merged: boolean;
  metadata: PullRequestMetadata | undefined;
}

export interface PullRequestsOnRecord {
  open: ShipshapePullRequest[];
  /** Closed without merging: people said "not this fix". */
  rejected: ShipshapePullRequest[];
  /** Opened in the last hour, open or not, for the per-hour limit. */
  openedLastHour: number;
}

/** Marks a pull request that people have pushed to: Shipshape said so once and leaves it alone from then on. */
export const HANDS_OFF_MARKER = "<!-- shipshape:hands-off -->";
/** Marks a pull request Shipshape closed itself because what it fixed was gone: closing it was no "not this fix" from people. */
export const OBSOLETE_MARKER = "<!-- shipshape:obsolete -->";

const PAGE = 100;
const HOUR_MS = 60 * 60 * 1000;

/** Shipshape's pull requests in a repository, in two calls: the open ones and the most recently closed ones. */
export async function listShipshapePullRequests(octokit: GitHubClient, repository: RepositoryName, now: Date): Promise<PullRequestsOnRecord> {
  const [open, closed] = await Promise.all([
    octokit.rest.pulls.list({ ...repository, state: "open", per_page: PAGE }),
    octokit.rest.pulls.list({ ...repository, state: "closed", sort: "updated", direction: "desc", per_page: PAGE }),
  ]);
  const fullName = `${repository.owner}/${repository.repo}`.toLowerCase();
  const ours = (list: typeof open.data) =>
    list
      // Opened by an app (Shipshape's bot account), not by a person who named a branch `shipshape/…`.
      .filter((pull) => pull.head.ref.startsWith(BRANCH_PREFIX) && pull.head.repo?.full_name.toLowerCase() === fullName && pull.user?.type === "Bot")
      .map(
        (pull): ShipshapePullRequest => ({
          number: pull.number,
          branch: pull.head.ref,
          headSha: pull.head.sha,
          author: pull.user?.login ?? "",
          title: pull.title,
          body: pull.body ?? "",
          createdAt: pull.created_at,
          merged: pull.merged_at !== null,
          metadata: readMetadata(pull.body),
        }),
      );
  const openOurs = ours(open.data);
  const closedOurs = ours(closed.data);
  const since = now.getTime() - HOUR_MS;
  return {
    open: openOurs,
    // A hands-off pull request that people close is theirs to close: its comment promises the fixes afresh.
    rejected: closedOurs.filter((pull) => !pull.merged && !pull.body.includes(HANDS_OFF_MARKER) && !pull.body.includes(OBSOLETE_MARKER)),
    openedLastHour: [...openOurs, ...closedOurs].filter((pull) => Date.parse(pull.createdAt) >= since).length,
  };
}

/** True when someone other than Shipshape pushed to the branch: from then on it is theirs. */
export async function hasForeignCommits(octokit: GitHubClient, repository: RepositoryName, defaultBranch: string, pull: ShipshapePullRequest): Promise<boolean> {
  return (await commitAuthorsOn(octokit, repository, defaultBranch, pull.branch)).some((author) => author.login !== pull.author);
}
