import { helmLockfileProblems } from "../lockfiles/helm-lockfile-problems.js";
import { npmLockfileProblems } from "../lockfiles/npm-lock.js";
import { pipLockfileProblems } from "../lockfiles/pip-problems.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/**
 * Lockfiles that no longer match what they lock. Each kind of lockfile has
 * its detector in src/lockfiles/; this check reports what they all find.
 */
export const lockfileStale: WorkspaceCheck = {
  name: "lockfile-stale",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, context) {
    return [...helmLockfileProblems(workspace, context), ...pipLockfileProblems(workspace), ...npmLockfileProblems(workspace)];
  },
};
