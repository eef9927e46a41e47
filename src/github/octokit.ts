import type { ProbotOctokit } from "probot";

/** The installation-authenticated client Probot hands to event handlers. */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

// A type alias, not an interface: Octokit's parameters need an index signature.
export type RepositoryName = { owner: string; repo: string };

/** The HTTP status of a failed request, if it was one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}
