import { posix } from "node:path";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getPair, isScalar, seqItems } from "../yaml/nodes.js";
import { dirnameOf } from "./helm-charts.js";
import { kustomizeImageSites } from "./kustomize-sites.js";
import type { ImageReferenceSite } from "./site.js";

/** The kustomization that lists a manifest in its `resources:`, and its `images:` entries by the name they match. */
export interface KustomizeOwner {
  file: string;
  entries: ReadonlyMap<string, ImageReferenceSite>;
}

interface KustomizationFile {
  path: string;
  role: string;
  text: string;
}

/**
 * Manifest path → the kustomization listing it directly in `resources:`.
 * Kustomize rewrites the images of those manifests with the kustomization's
 * `images:` entries, so an entry is where an image of a base is pinned. A
 * manifest listed by two kustomizations belongs to the first by path.
 */
export function kustomizeOwners<F extends KustomizationFile>(files: readonly F[], documentsOf: (file: F) => readonly YamlDocument[]): Map<string, KustomizeOwner> {
  const owners = new Map<string, KustomizeOwner>();
  const kustomizations = files.filter((file) => file.role === "kustomization").sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of kustomizations) {
    const documents = documentsOf(file);
    const document = documents.find((candidate) => getPair(candidate.root, "resources") !== undefined);
    if (!document) continue;
    const entries = new Map<string, ImageReferenceSite>();
    for (const site of kustomizeImageSites(file.path, file.text, [document])) if (site.details.name !== undefined) entries.set(site.details.name, site);
    const owner: KustomizeOwner = { file: file.path, entries };
    for (const item of seqItems(getPair(document.root, "resources")?.value)) {
      if (!isScalar(item) || typeof item.value !== "string" || !/\.ya?ml$/.test(item.value) || item.value.includes("://")) continue;
      const listed = posix.normalize(posix.join(dirnameOf(file.path), item.value));
      if (!listed.startsWith("../") && !owners.has(listed)) owners.set(listed, owner);
    }
  }
  return owners;
}

/** The name a Kustomize `images:` entry matches: the reference without its tag and digest, as written. */
export function kustomizeImageName(image: string): string {
  const withoutDigest = image.split("@")[0] as string;
  const colon = withoutDigest.lastIndexOf(":");
  return colon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, colon) : withoutDigest;
}

const ownersOfWorkspace = new WeakMap<ParsedWorkspace, Map<string, KustomizeOwner>>();

/** kustomizeOwners of a parsed workspace, worked out once per workspace (fixes plan one finding at a time). */
export function workspaceKustomizeOwners(workspace: ParsedWorkspace): ReadonlyMap<string, KustomizeOwner> {
  let owners = ownersOfWorkspace.get(workspace);
  if (!owners) ownersOfWorkspace.set(workspace, (owners = kustomizeOwners(workspace.files, (file) => file.documents)));
  return owners;
}
