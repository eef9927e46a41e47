import type { YamlDocument } from "../yaml/compose.js";
import { getPair, isMap, isScalar, sharedAnchorOnPath } from "../yaml/nodes.js";
import { isTemplatedImage } from "./reference.js";
import { imageText, SiteRecorder, type ImageReferenceSite } from "./site.js";

/** `docker-compose.yml`, `compose.yaml`, `docker-compose.override.yml`, `compose.prod.yaml`… */
const COMPOSE_FILE_NAME = /^(?:docker-)?compose(?:[-.][^/]*)?\.ya?ml$/i;

export function isComposeFile(path: string): boolean {
  return COMPOSE_FILE_NAME.test(path.slice(path.lastIndexOf("/") + 1));
}

/** Compose interpolates `${VAR}` and `$VAR`; `$$` is a literal dollar. */
export function isTemplatedComposeImage(image: string): boolean {
  return isTemplatedImage(image) || /\$[A-Za-z_{]/.test(image.replaceAll("$$", ""));
}

/**
 * `services.*.image` of a Compose file. A service that also has `build:`
 * names its build's result with `image:` (details.build = "true"): that
 * image may exist in no registry.
 */
export function composeImageSites(file: string, text: string, documents: readonly YamlDocument[]): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text, isTemplatedComposeImage);
  for (const document of documents) {
    const services = getPair(document.root, "services")?.value;
    if (!isMap(services)) continue;
    for (const [name, { value: service }] of services.pairs) {
      const node = getPair(service, "image")?.value;
      if (!isScalar(node)) continue;
      const image = imageText(node);
      if (image === undefined) continue;
      const path = ["services", name, "image"];
      recorder.add({
        kind: "compose",
        image,
        offset: node.offset,
        end: node.end,
        document: document.index,
        path,
        details: {
          service: name,
          ...(getPair(service, "build") ? { build: "true" } : {}),
          sharedAnchor: sharedAnchorOnPath(document.root, path),
        },
      });
    }
  }
  return recorder.sorted();
}
