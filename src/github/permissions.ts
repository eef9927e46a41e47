import type { GitHubClient, RepositoryName } from "./octokit.js";
import { statusOf } from "./octokit.js";

export interface CommandPermission {
  /** True for write, maintain and admin. */
  allowed: boolean;
  /** The person's role on the repository as GitHub names it (`read`, `triage`, `write`, `maintain`, `admin`, a custom role, or `none`). */
  role: string;
}

/** GitHub's legacy `permission` field maps maintain to write, and a custom role to the base role it extends. */
const WRITE_PERMISSIONS = new Set(["admin", "write"]);
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * May this person run Shipshape commands on the repository? Asks GitHub's
 * collaborator permission API (one call) rather than trusting the comment's
 * `author_association`, which says nothing about write access. A person
 * GitHub does not know as a collaborator (404) has no permission; any other
 * failure is thrown for the caller to report.
 */
export async function commandPermission(octokit: GitHubClient, repository: RepositoryName, username: string): Promise<CommandPermission> {
  let data: { permission: string; role_name?: string };
  try {
    ({ data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repository, username }));
  } catch (error) {
    if (statusOf(error) === 404) return { allowed: false, role: "none" };
    throw error;
  }
  const role = data.role_name || data.permission;
  return { allowed: WRITE_PERMISSIONS.has(data.permission) || WRITE_ROLES.has(role), role };
}
