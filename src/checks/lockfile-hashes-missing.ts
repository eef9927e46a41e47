import { pipHashProblems } from "../lockfiles/pip-problems.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/**
 * pip-compiled lockfiles where some pins carry `--hash` and others do not:
 * pip's hash-checking mode, switched on by the first hash, refuses the file.
 * Reported on each pin without a hash; no fix (hashes come from the index).
 */
export const lockfileHashesMissing: WorkspaceCheck = {
  name: "lockfile-hashes-missing",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    return pipHashProblems(workspace);
  },
};
