import type { YamlDocument } from "../yaml/compose.js";
import { getPair, isMap, isScalar, seqItems, sharedAnchorOnPath, type YamlMap } from "../yaml/nodes.js";
import { imageText, SiteRecorder, type ImagePart, type ImagePartSite, type ImageReferenceSite } from "./site.js";

/** Which key of a kustomize `images:` entry holds which part. */
const ENTRY_KEYS: readonly (readonly [ImagePart, string])[] = [
  ["repository", "newName"],
  ["tag", "newTag"],
  ["digest", "digest"],
];

/**
 * The entries of a kustomization's `images:` list. Each entry rewrites the
 * image `name` to `newName:newTag@digest`; the site's image is what the
 * workloads end up running. An entry without `digest` is not pinned yet: its
 * `digestField` is "absent", and a pin adds `digest:` to the entry (`holder`).
 */
export function kustomizeImageSites(file: string, text: string, documents: readonly YamlDocument[]): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text);
  for (const document of documents) {
    seqItems(getPair(document.root, "images")?.value).forEach((entry, index) => {
      if (isMap(entry)) recordEntry(recorder, entry, document.index, ["images", index], document.root);
    });
  }
  return recorder.sorted();
}

function recordEntry(recorder: SiteRecorder, entry: YamlMap, document: number, path: readonly (string | number)[], root: YamlDocument["root"]): void {
  const nameNode = getPair(entry, "name")?.value;
  const name = isScalar(nameNode) ? imageText(nameNode) : undefined;
  if (!isScalar(nameNode) || name === undefined) return;
  const parts: Partial<Record<ImagePart, ImagePartSite>> = {};
  for (const [part, key] of ENTRY_KEYS) {
    const node = getPair(entry, key)?.value;
    if (isScalar(node) && node.value !== null && node.text !== "") parts[part] = { key, offset: node.offset, end: node.end, text: node.text };
  }
  const repository = parts.repository?.text ?? name;
  const image = `${repository}${parts.tag ? `:${parts.tag.text}` : ""}${parts.digest ? `@${parts.digest.text}` : ""}`;
  // The name is where the entry's reference starts when nothing else is set.
  const target = parts.tag ?? parts.digest ?? parts.repository ?? { key: "name", offset: nameNode.offset, end: nameNode.end, text: name };
  const targetPath = [...path, target.key];
  recorder.add({
    kind: "kustomize-images",
    image,
    offset: target.offset,
    end: target.end,
    document,
    path: targetPath,
    holder: { offset: entry.offset, path },
    parts,
    details: {
      name,
      entry: String(path[1]),
      digestField: parts.digest ? "present" : "absent",
      sharedAnchor: sharedAnchorOnPath(root, targetPath),
    },
  });
}
