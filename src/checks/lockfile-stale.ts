import { helmLockfileProblems } from "../lockfiles/helm-lockfile-problems.js";
import { npmLockfileProblems } from "../lockfiles/npm-lock.js";
import { pipLockfileProblems } from "../lockfiles/pip-problems.js";
import type { CheckContext, WorkspaceHit } from "./types.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/**
 * Lockfiles that no longer match what they lock. Each kind of lockfile has
 * its detector in src/lockfiles/; this check reports what they all find, and
 * whether the lockfile fix can rewrite the lock.
 */
export const lockfileStale: WorkspaceCheck = {
  name: "lockfile-stale",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, context) {
    const pip = pipLockfileProblems(workspace).map((hit) => ({ ...hit, lockfile: { path: hit.file, notFixable: PIP_NOT_FIXABLE } }));
    return [...helmLockfileProblems(workspace, context), ...pip, ...npmLockfileProblems(workspace).map((hit) => withNpmFixability(hit, context))];
  },
};

const PIP_NOT_FIXABLE = "pip-compile resolves against the Python package index, which Shipshape does not ask: run the command the message quotes";

/** npm locks are regenerated only when the config asks for it, and only when npm managed to. */
function withNpmFixability(hit: WorkspaceHit, context: CheckContext): WorkspaceHit {
  const path = hit.lockfile?.path ?? hit.file;
  if (!context.settings.lockfiles.npm.regenerate) {
    return { ...hit, lockfile: { path, notFixable: "Shipshape regenerates package-lock.json only when the config sets lockfiles.npm.regenerate: true" } };
  }
  if (!path.endsWith("package-lock.json")) return { ...hit, lockfile: { path, notFixable: "Shipshape regenerates package-lock.json, not npm-shrinkwrap.json: run `npm install` and commit it" } };
  const regenerated = context.lockfiles?.npmLocks.get(path);
  return { ...hit, lockfile: { path, ...(regenerated && !regenerated.ok ? { notFixable: regenerated.reason } : {}) } };
}
