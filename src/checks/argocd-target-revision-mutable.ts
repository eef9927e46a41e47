import { readApplication, type ArgoSource } from "../argocd/applications.js";
import { isMutableRevision, revisionKind, type RevisionKind } from "../argocd/revisions.js";
import type { NodePath } from "../model/paths.js";
import { isArgoCdApplication, type Resource } from "../model/resource.js";
import { get, getPair, isMap, isSeq, type YamlNode } from "../yaml/nodes.js";
import type { Hit, ResourceCheck } from "./types.js";

/**
 * Each source of an Argo CD Application (or ApplicationSet template) must name an immutable revision: a commit SHA
 * for a Git source, an exact version for a Helm chart. HEAD, a branch, a tag, a semver range and a missing
 * targetRevision all let what runs change without a commit to the GitOps repository. Templated revisions
 * (`{{…}}`) are decided per generated Application and are not judged.
 */
export const argocdTargetRevisionMutable: ResourceCheck = {
  name: "argocd-target-revision-mutable",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  run(resource) {
    if (!isArgoCdApplication(resource)) return [];
    const application = readApplication(resource);
    const subject = resource.kind === "ApplicationSet" ? `ApplicationSet "${resource.name}"` : `Application "${application.name}"`;
    const hits: Hit[] = [];
    for (const source of application.sources) {
      const kind = revisionKind(source);
      if (!isMutableRevision(kind)) continue;
      hits.push({
        offset: offsetOf(resource, source),
        message: `${subject} ${describeRevision(kind, source)}`,
        detail: `${source.index === undefined ? "source" : `sources[${source.index}]`}:${kind}`,
      });
    }
    return hits;
  },
};

function describeRevision(kind: RevisionKind, source: ArgoSource): string {
  const from = source.repoURL ?? "its source (no repoURL)";
  const revision = source.targetRevision ?? "";
  switch (kind) {
    case "head":
      return revision === ""
        ? `has no targetRevision for ${from}, so it tracks HEAD: each push deploys`
        : `tracks HEAD of ${from}: each push deploys`;
    case "branch":
      return `tracks the branch "${revision}" of ${from}: each push to it deploys`;
    case "tag":
      return `deploys the tag "${revision}" of ${from}: a tag can be moved to another commit, which then deploys`;
    case "range":
      return source.chart !== undefined
        ? `tracks the versions "${revision}" of the chart "${source.chart}" from ${from}: each matching release deploys`
        : `tracks the newest tag matching "${revision}" of ${from}: each matching tag deploys`;
    case "latest":
      return `names no version of the chart "${source.chart ?? ""}" from ${from}: each new release deploys`;
    default:
      return `tracks "${revision}" of ${from}`;
  }
}

/** The targetRevision's value, else the source's repoURL, else the source itself. */
function offsetOf(resource: Resource, source: ArgoSource): number {
  const node = nodeAt(resource.node, source.nodePath.slice(resource.path.length));
  const revision = getPair(node, "targetRevision");
  if (revision) return revision.value.offset;
  const repoURL = getPair(node, "repoURL");
  if (repoURL) return repoURL.key.offset;
  return node?.offset ?? resource.node.offset;
}

function nodeAt(root: YamlNode, path: NodePath): YamlNode | undefined {
  let current: YamlNode | undefined = root;
  for (const step of path) {
    if (typeof step === "number") current = isSeq(current) ? current.items[step] : undefined;
    else current = isMap(current) ? get(current, step) : undefined;
  }
  return current;
}
