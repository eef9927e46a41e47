import type { Changeset } from "../fixes/changeset.js";
import type { WorkspaceFile } from "./load.js";
import { isReadRole, refineTextRole, roleFromPath } from "./roles.js";

/**
 * The workspace's files as a changeset leaves them: changed files with their new text, and the files it
 * creates classified as loading the folder would (one under a chart's folder gets its Helm role). The report
 * after `--fix` scans these, so that it says what a new scan of the written files says.
 */
export function withChanges(files: readonly WorkspaceFile[], changeset: Changeset): WorkspaceFile[] {
  const after = new Map(changeset.files.map((change) => [change.path, change.after]));
  const updated = files.map((file) => {
    const text = after.get(file.path);
    return text === undefined ? file : { ...file, text, size: Buffer.byteLength(text) };
  });
  const known = new Set(files.map((file) => file.path));
  const chartRoots = files.filter((file) => file.path === "Chart.yaml" || file.path.endsWith("/Chart.yaml")).map((file) => file.path.slice(0, Math.max(0, file.path.lastIndexOf("/"))));
  const created = changeset.files
    .filter((change) => !known.has(change.path))
    .map((change): WorkspaceFile => {
      // The innermost chart folder that holds the file, as a walk of the folder would find it.
      const chartRoot = chartRoots.filter((root) => root === "" || change.path.startsWith(`${root}/`)).sort((a, b) => b.length - a.length)[0];
      const role = refineTextRole(roleFromPath({ path: change.path, chartRoot }), change.path, change.after);
      return { path: change.path, role, size: Buffer.byteLength(change.after), ...(isReadRole(role) ? { text: change.after } : {}) };
    });
  return [...updated, ...created].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
