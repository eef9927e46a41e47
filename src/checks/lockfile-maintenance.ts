import { helmLockMaintenance } from "../lockfiles/helm-lock-maintenance.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/** Locks older than lockfiles.maxAgeDays whose dependencies now resolve to newer allowed versions. Needs the look-up step. */
export const lockfileMaintenance: WorkspaceCheck = {
  name: "lockfile-maintenance",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, context) {
    return helmLockMaintenance(workspace, context.settings.lockfiles.maxAgeDays, context);
  },
};
