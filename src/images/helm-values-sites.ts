import type { NodePath } from "../model/paths.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getIn, getPair, isMap, isScalar, sharedAnchorOnPath, type YamlMap, type YamlNode, type YamlScalar } from "../yaml/nodes.js";
import { imageText, SiteRecorder, type ImagePart, type ImagePartSite, type ImageReferenceSite, type ImageSiteDetails } from "./site.js";

/**
 * Image references in Helm values, in the shapes charts use:
 *
 * - `image: "repo:tag"` (any key named `image` or ending in `Image`: `initImage`, `kubectlImage`);
 * - `image: {repository, tag, digest}` (helm create), `{registry, repository, tag, digest}` (Bitnami),
 *   `{registry, name, tag}`, `{registry, image, tag, digest}` (ingress-nginx), `{repo, tag}`;
 * - a mapping under any key with `repository` (or `image`) and `tag`/`imageTag`/`digest`
 *   (`images: {api: {repository, tag}}`, the old flat `image: x` + `imageTag: y`);
 * - any of these nested per component (`api: {image: …}`) or in lists (`sidecars: [{name, image}]`).
 *
 * Null and blank values are placeholders for users to fill, and give no site.
 * In a values file layered over the chart's values.yaml (`values-prod.yaml`),
 * a partial shape (`image: {tag: v2}`) takes its other parts from values.yaml
 * at the same path, the way Helm merges them; lists are not merged.
 */
export interface ValuesWalk {
  kind: "helm-values" | "argocd-helm-values";
  document: number;
  /** The document's root, for anchors shared along the way. */
  documentRoot: YamlNode | undefined;
  /** Facts every site of this walk carries (chart, application…). */
  details: ImageSiteDetails;
  appVersion?: string;
  /** The chart's values.yaml root, when this file is layered over it. */
  base?: { file: string; root: YamlNode | undefined };
}

const IMAGE_KEY = /^(?:image|[a-z][A-Za-z0-9_]*Image)$/;
const REPOSITORY_KEYS_UNDER_IMAGE = ["repository", "repo", "image", "name"];
const REPOSITORY_KEYS_ELSEWHERE = ["repository", "image"];
const TAG_KEYS = ["tag", "imageTag"];
const PART_ORDER: readonly ImagePart[] = ["registry", "repository", "tag", "digest"];
const MAX_DEPTH = 100;

/** What a values file's walk is told about its chart. */
export type ValuesFileWalk = Omit<ValuesWalk, "kind" | "document" | "documentRoot">;

/** Sites of a whole values file. */
export function helmValuesImageSites(file: string, text: string, documents: readonly YamlDocument[], walk: ValuesFileWalk): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text);
  for (const document of documents) {
    walkValues(recorder, document.root, [], { ...walk, kind: "helm-values", document: document.index, documentRoot: document.root });
  }
  return recorder.sorted();
}

/** Walks values from `node` (at `path` from the document root) and records every image found. */
export function walkValues(recorder: SiteRecorder, node: YamlNode | undefined, path: NodePath, walk: ValuesWalk): void {
  visit(node, undefined, path, 0);

  function visit(here: YamlNode | undefined, key: string | undefined, at: NodePath, depth: number): void {
    if (here === undefined || depth > MAX_DEPTH) return;
    if (here.kind === "seq") {
      here.items.forEach((item, index) => visit(item, undefined, [...at, index], depth + 1));
      return;
    }
    if (here.kind !== "map") return;
    if (recordSplit(recorder, here, key, at, walk)) return;
    for (const [childKey, pair] of here.pairs) {
      const value = pair.value;
      if (isScalar(value)) {
        if (IMAGE_KEY.test(childKey)) recordString(recorder, value, [...at, childKey], walk);
      } else {
        visit(value, childKey, [...at, childKey], depth + 1);
      }
    }
  }
}

function recordString(recorder: SiteRecorder, scalar: YamlScalar, path: NodePath, walk: ValuesWalk): void {
  const image = imageText(scalar);
  if (image === undefined) return;
  recorder.add({
    kind: walk.kind,
    image,
    offset: scalar.offset,
    end: scalar.end,
    document: walk.document,
    path,
    details: { ...walk.details, shape: "string", sharedAnchor: sharedAnchorOnPath(walk.documentRoot, path) },
  });
}

interface FoundPart {
  key: string;
  /** A null value (`tag:`, `tag: ~`) reads as empty: in an override, Helm removes the base's value. */
  scalar: YamlScalar;
}

/** The parts a mapping holds, by the conventions of the key it sits under. */
function partsOf(map: YamlMap, imageLike: boolean): Partial<Record<ImagePart, FoundPart>> {
  const parts: Partial<Record<ImagePart, FoundPart>> = {};
  const take = (part: ImagePart, keys: readonly string[], needsText: boolean) => {
    for (const key of keys) {
      const value = getPair(map, key)?.value;
      if (value === undefined || !isScalar(value)) continue;
      if (needsText && imageText(value) === undefined) continue;
      parts[part] = { key, scalar: value };
      return;
    }
  };
  take("repository", imageLike ? REPOSITORY_KEYS_UNDER_IMAGE : REPOSITORY_KEYS_ELSEWHERE, true);
  take("registry", ["registry"], false);
  take("tag", TAG_KEYS, false);
  take("digest", ["digest"], false);
  return parts;
}

/** Records a reference split over the fields of `map`, if it is one; true when it was. */
function recordSplit(recorder: SiteRecorder, map: YamlMap, key: string | undefined, path: NodePath, walk: ValuesWalk): boolean {
  const imageLike = key !== undefined && IMAGE_KEY.test(key);
  const own = partsOf(map, imageLike);
  if (Object.keys(own).length === 0) return false;
  const baseMap = walk.base && path.every((step) => typeof step === "string") ? getIn(walk.base.root, path as string[]) : undefined;
  const inherited = isMap(baseMap) && baseMap !== map ? partsOf(baseMap, imageLike) : {};
  const text = (part: ImagePart): string => {
    const found = part in own ? own[part] : inherited[part];
    return found === undefined || found.scalar.value === null ? "" : found.scalar.text.trim();
  };
  const repository = text("repository");
  const hasTagOrDigest = ["tag", "digest"].some((part) => part in own || part in inherited);
  if (repository === "" || (!imageLike && !hasTagOrDigest)) return false;
  if (!("repository" in own) && !imageLike) return false;

  const registry = text("registry");
  const tag = text("tag");
  const digest = text("digest");
  const image = `${registry !== "" ? `${registry}/` : ""}${repository}${tag !== "" ? `:${tag}` : ""}${digest !== "" ? `@${digest}` : ""}`;
  const parts: Partial<Record<ImagePart, ImagePartSite>> = {};
  for (const part of PART_ORDER) {
    const found = own[part];
    if (found) parts[part] = { key: found.key, offset: found.scalar.offset, end: found.scalar.end, text: found.scalar.value === null ? "" : found.scalar.text };
  }
  // Where a pin writes: a set tag, else the digest field, else an empty tag, else the name.
  const targetPart = (own.tag && own.tag.scalar.value !== null && own.tag.scalar.text !== "" ? own.tag : undefined) ?? own.digest ?? own.tag ?? own.repository ?? own.registry;
  if (targetPart === undefined) return false;
  const targetPath = [...path, targetPart.key];
  const inheritedParts = PART_ORDER.filter((part) => !(part in own) && inherited[part] !== undefined && inherited[part].scalar.value !== null);
  const tagScalar = (own.tag ?? inherited.tag)?.scalar;
  const details: ImageSiteDetails = {
    ...walk.details,
    shape: "map",
    digestField: "digest" in own || "digest" in inherited ? "present" : "absent",
    sharedAnchor: sharedAnchorOnPath(walk.documentRoot, targetPath),
  };
  // A digest pins the image whatever the tag; helm-create's `tag | default .Chart.AppVersion` only matters without one.
  if (tag === "" && digest === "") {
    details.tagFrom = "chart-appVersion";
    if (walk.appVersion !== undefined) details.appVersion = walk.appVersion;
  }
  if (tagScalar && !tagScalar.quoted && typeof tagScalar.value === "number") details.numericTag = "true";
  if (inheritedParts.length > 0 && walk.base) {
    details.inheritedParts = inheritedParts.join(",");
    details.inheritedFrom = walk.base.file;
  }
  recorder.add({
    kind: walk.kind,
    image,
    offset: targetPart.scalar.offset,
    end: targetPart.scalar.end,
    document: walk.document,
    path: targetPath,
    holder: { offset: map.offset, path },
    parts,
    details,
  });
  return true;
}
