import { DEFAULT_KUBERNETES_SETTINGS } from "../config/types.js";
import { kustomizePatchFiles } from "../kustomize/patch-files.js";
import { compareVersions, parseMinorVersion, removedApiOf, replacementFor } from "../model/deprecated-apis.js";
import { getPair } from "../yaml/nodes.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";

/**
 * Objects whose apiVersion Kubernetes removed at or before the target version (`kubernetes.version`, default
 * 1.31): the API server refuses to apply them. A version deprecated at or before the target but removed after
 * it is reported as medium: it still applies, and stops applying on a later upgrade. A workspace check, for the
 * target version in the settings and the per-hit severity; the object brings its ignore annotation. Kustomize
 * patches are not judged (the object they patch is).
 */
export const deprecatedApiVersion: WorkspaceCheck = {
  name: "deprecated-api-version",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, { settings }) {
    const configured = settings.kubernetes?.version ?? DEFAULT_KUBERNETES_SETTINGS.version;
    const target = parseMinorVersion(configured) ? configured : DEFAULT_KUBERNETES_SETTINGS.version;
    const patches = kustomizePatchFiles(workspace.files);
    const hits: WorkspaceHit[] = [];
    for (const resource of workspace.resources) {
      if (patches.has(resource.file)) continue;
      const entry = removedApiOf(resource.apiVersion, resource.kind);
      if (!entry || compareVersions(entry.deprecatedIn, target) > 0) continue;
      const removed = compareVersions(entry.removedIn, target) <= 0;
      const replacement = replacementFor(entry, resource.kind, target);
      const instead = replacement ?? entry.instead ?? "a supported API version";
      const subject = `${resource.kind} "${resource.name}" uses ${entry.apiVersion}`;
      const message = removed
        ? `${subject}, removed in Kubernetes ${entry.removedIn}: use ${instead}`
        : `${subject}, deprecated since Kubernetes ${entry.deprecatedIn} and removed in ${entry.removedIn}: use ${instead}`;
      const offset = getPair(resource.node, "apiVersion")?.value.offset ?? resource.node.offset;
      hits.push({ file: resource.file, offset, message, detail: `apiVersion ${entry.apiVersion}`, resource, ...(removed ? {} : { severity: "medium" as const }) });
    }
    return hits;
  },
};
