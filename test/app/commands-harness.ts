import { INSTALLATION, OWNER, REPO } from "./harness.js";

export const COMMENT_ID = 492700400;
/** The person who comments, as GitHub's example payload has them. */
export const COMMENTER = "Codertocat";

export interface CommentFields {
  body: string;
  /** `edited` to send GitHub's example of an edited comment. */
  action?: "created" | "edited";
  /** The comment's author; a person (GitHub's example) unless given. */
  user?: { login: string; id: number; type: string };
  /** The number of the issue, or of the pull request when `pullRequest`. */
  number?: number;
  pullRequest?: boolean;
}

/** An issue_comment webhook: GitHub's own example of the action, on this repository and installation. */
export function issueCommentEvent(fields: CommentFields): object {
  const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
  const action = fields.action ?? "created";
  const all = examples.find((entry) => entry.name === "issue_comment")?.examples ?? [];
  const example = all.find((candidate) => candidate.action === action && candidate.installation) ?? all.find((candidate) => candidate.action === action);
  if (!example) throw new Error(`no issue_comment.${action} example in @octokit/webhooks-examples`);
  const payload = structuredClone(example) as Record<string, Record<string, unknown>>;
  const number = fields.number ?? 1;
  const htmlBase = `https://github.com/${OWNER}/${REPO}`;
  const apiBase = `https://api.github.com/repos/${OWNER}/${REPO}`;
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTU3Mzg3" };
  payload.repository = { ...payload.repository, name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main" };
  const issue: Record<string, unknown> = { ...payload.issue, number, html_url: `${htmlBase}/${fields.pullRequest ? "pull" : "issues"}/${number}`, url: `${apiBase}/issues/${number}` };
  if (fields.pullRequest) {
    issue.pull_request = {
      url: `${apiBase}/pulls/${number}`,
      html_url: `${htmlBase}/pull/${number}`,
      diff_url: `${htmlBase}/pull/${number}.diff`,
      patch_url: `${htmlBase}/pull/${number}.patch`,
      merged_at: null,
    };
  }
  payload.issue = issue;
  const comment = payload.comment as Record<string, unknown>;
  payload.comment = { ...comment, id: COMMENT_ID, body: fields.body, ...(fields.user ? { user: { ...(comment.user as object), ...fields.user } } : {}) };
  if (fields.user) payload.sender = { ...payload.sender, ...fields.user };
  return payload;
}
