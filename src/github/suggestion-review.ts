import { fillText } from "../fixes/templates.js";
import { checkTexts } from "./check-texts.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { changedLinesOf, type ChangedLines } from "./patch-lines.js";
import { suggestionComments, type SuggestionInput } from "./suggestions.js";

export interface ReviewTarget {
  repository: RepositoryName;
  number: number;
  headSha: string;
}

/**
 * Posts the suggestions for a pull request's new findings as one review
 * ("COMMENT", on the head commit). Reads which lines it changed first, and
 * leaves out a suggestion already posted on the same line with the same text,
 * so that pushing again does not repeat them. Returns how many it posted.
 */
export async function postSuggestions(octokit: GitHubClient, target: ReviewTarget, input: Omit<SuggestionInput, "changed">): Promise<number> {
  const pull = { ...target.repository, pull_number: target.number };
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pull, per_page: 100 });
  const changed = new Map<string, ChangedLines>(files.filter((file) => file.status !== "removed").map((file) => [file.filename, changedLinesOf(file.patch)]));
  const comments = suggestionComments({ ...input, changed });
  if (comments.length === 0) return 0;
  const existing = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...pull, per_page: 100 });
  const posted = new Set(existing.map((comment) => keyOf(comment.path, comment.line ?? undefined, comment.body)));
  const fresh = comments.filter((comment) => !posted.has(keyOf(comment.path, comment.line, comment.body)));
  if (fresh.length === 0) return 0;
  const body = fillText(checkTexts().review, { count: fresh.length, fixes: fresh.length === 1 ? "fix" : "fixes" });
  await octokit.rest.pulls.createReview({ ...pull, commit_id: target.headSha, event: "COMMENT", body, comments: fresh });
  return fresh.length;
}

function keyOf(path: string, line: number | undefined, body: string): string {
  return JSON.stringify([path, line ?? null, body]);
}
