import type { NodePath } from "../model/paths.js";
import { isArgoCdApplication, resourcesOf } from "../model/resource.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getIn, getPair, isMap, isScalar, seqItems, sharedAnchorOnPath, type YamlNode } from "../yaml/nodes.js";
import { walkValues } from "./helm-values-sites.js";
import { imageText, SiteRecorder, type ImageReferenceSite } from "./site.js";

/**
 * Images set inline in Argo CD Applications (and ApplicationSet templates),
 * for `spec.source` and each of `spec.sources[]`:
 *
 * - `kustomize.images` strings, in kustomize's `edit set image` syntax:
 *   `name=newName:tag`, `name=newName@digest`, `name:tag`, `name@digest`.
 *   The site is the image after `name=` (details.prefix keeps `name=`).
 * - `helm.valuesObject`, read like a values file (see helm-values-sites.ts).
 */
export function argoCdImageSites(file: string, text: string, documents: readonly YamlDocument[]): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text);
  const roots = new Map(documents.map((document) => [document.index, document.root]));
  for (const resource of resourcesOf(file, documents)) {
    if (!isArgoCdApplication(resource)) continue;
    const specPath: NodePath = resource.kind === "ApplicationSet" ? [...resource.path, "spec", "template", "spec"] : [...resource.path, "spec"];
    const spec = getIn(resource.node, specPath.slice(resource.path.length) as string[]);
    const sources: [YamlNode, NodePath, string][] = [];
    const single = getPair(spec, "source")?.value;
    if (isMap(single)) sources.push([single, [...specPath, "source"], ""]);
    seqItems(getPair(spec, "sources")?.value).forEach((source, index) => {
      if (isMap(source)) sources.push([source, [...specPath, "sources", index], String(index)]);
    });
    const root = roots.get(resource.document);
    for (const [source, sourcePath, sourceIndex] of sources) {
      const common = { application: resource.name, source: sourceIndex };
      seqItems(getIn(source, ["kustomize", "images"])).forEach((item, index) => {
        if (!isScalar(item)) return;
        const value = imageText(item);
        if (value === undefined) return;
        const equals = value.indexOf("=");
        const prefix = equals === -1 ? "" : value.slice(0, equals + 1);
        const image = value.slice(prefix.length);
        const inside = recorder.offsetInScalar(item, prefix.length);
        const path = [...sourcePath, "kustomize", "images", index];
        recorder.add({
          kind: "argocd-kustomize-images",
          image,
          offset: inside ?? item.offset,
          end: item.end,
          document: resource.document,
          path,
          details: {
            ...common,
            name: equals === -1 ? imageName(image) : value.slice(0, equals),
            ...(prefix !== "" ? { prefix } : {}),
            ...(inside === undefined && prefix !== "" ? { approximate: "true" } : {}),
            sharedAnchor: sharedAnchorOnPath(root, path),
          },
        });
      });
      const valuesObject = getIn(source, ["helm", "valuesObject"]);
      if (isMap(valuesObject)) {
        walkValues(recorder, valuesObject, [...sourcePath, "helm", "valuesObject"], {
          kind: "argocd-helm-values",
          document: resource.document,
          documentRoot: root,
          details: common,
        });
      }
    }
  }
  return recorder.sorted();
}

/** The image's name without tag or digest: what kustomize matches containers by. */
function imageName(image: string): string {
  const at = image.indexOf("@");
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const colon = withoutDigest.lastIndexOf(":");
  return colon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, colon) : withoutDigest;
}
