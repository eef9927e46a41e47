import type { CommitLookup } from "../config/types.js";
import { statusOf, type GitHubClient } from "./octokit.js";

/** One question to GitHub: the commit `ref` of `owner/repo` points at. */
export interface CommitQuestion {
  owner: string;
  repo: string;
  ref: string;
}

/**
 * Answers the questions of a look-up (by FixSettings key: a question, or why none can be asked) into a FixSettings
 * table. GitHub is asked once per distinct repository (case-insensitive, as GitHub names them) and ref, one request
 * after the other in the order of the keys, so that the calls are the same on every run.
 */
export async function commitTable(octokit: GitHubClient, wanted: ReadonlyMap<string, CommitQuestion | { reason: string }>): Promise<Record<string, CommitLookup>> {
  const table: Record<string, CommitLookup> = {};
  const answers = new Map<string, CommitLookup>();
  for (const [key, question] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if ("reason" in question) {
      table[key] = { ok: false, reason: question.reason };
      continue;
    }
    const id = JSON.stringify([question.owner.toLowerCase(), question.repo.toLowerCase(), question.ref]);
    let answer = answers.get(id);
    if (!answer) {
      answer = await commitOf(octokit, question);
      answers.set(id, answer);
    }
    table[key] = answer;
  }
  return table;
}

/**
 * `GET /repos/{owner}/{repo}/commits/{ref}` with the `sha` media type: the SHA of the commit a branch, tag or HEAD
 * names, as plain text. For a tag GitHub answers the commit, not an annotated tag's own object.
 */
export async function commitOf(octokit: GitHubClient, question: CommitQuestion): Promise<CommitLookup> {
  const where = `"${question.ref}" of ${question.owner}/${question.repo}`;
  try {
    const response = await octokit.rest.repos.getCommit({ owner: question.owner, repo: question.repo, ref: question.ref, mediaType: { format: "sha" } });
    const sha = String(response.data as unknown).trim();
    if (!/^[0-9a-f]{40}$/.test(sha)) return { ok: false, reason: `GitHub answered the commit of ${where} with something that is not a commit SHA` };
    return { ok: true, sha };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 422) return { ok: false, reason: `GitHub has no commit ${where} that this installation can read (HTTP ${status})` };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `could not ask GitHub for the commit of ${where}: ${status !== undefined ? `HTTP ${status}: ` : ""}${message}` };
  }
}
