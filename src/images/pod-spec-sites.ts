import { CONTAINER_LISTS, containersOf, podSpecOf } from "../model/pods.js";
import { resourcesOf } from "../model/resource.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getPair, isScalar, sharedAnchorOnPath } from "../yaml/nodes.js";
import { SiteRecorder, type ImageReferenceSite } from "./site.js";

/**
 * The `image:` of every container, init container and ephemeral container of
 * every workload in a manifest file. A missing or null image gives no site; an
 * empty string is reported as malformed.
 */
export function podSpecImageSites(file: string, text: string, documents: readonly YamlDocument[]): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text);
  const roots = new Map(documents.map((document) => [document.index, document.root]));
  for (const resource of resourcesOf(file, documents)) {
    const pod = podSpecOf(resource);
    if (!pod) continue;
    for (const container of containersOf(pod, CONTAINER_LISTS)) {
      const node = getPair(container.node, "image")?.value;
      if (!isScalar(node) || node.value === null) continue;
      const path = [...container.path, "image"];
      recorder.add({
        kind: "pod-spec",
        image: node.text,
        offset: node.offset,
        end: node.end,
        document: resource.document,
        path,
        details: {
          container: container.name,
          containerList: container.list,
          workload: `${resource.kind}/${resource.name}`,
          sharedAnchor: sharedAnchorOnPath(roots.get(resource.document), path),
        },
      });
    }
  }
  return recorder.sorted();
}
