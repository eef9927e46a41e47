import type { NodePath } from "../model/paths.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getPair, isMap, isScalar, seqItems, sharedAnchorOnPath, getText, type YamlNode, type YamlScalar } from "../yaml/nodes.js";
import { imageText, SiteRecorder, type ImageReferenceSite, type ImageSiteDetails } from "./site.js";

const DOCKER_PREFIX = "docker://";

/**
 * Images of a GitHub Actions workflow: `jobs.*.container` (a string or
 * `{image: …}`), `jobs.*.services.*.image`, and steps that run a container
 * directly (`uses: docker://image:tag`; the site is the image after the
 * prefix, details.prefix keeps `docker://`). Expressions (`${{ matrix.image }}`)
 * are templated.
 */
export function workflowImageSites(file: string, text: string, documents: readonly YamlDocument[]): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text);
  for (const document of documents) {
    const jobs = getPair(document.root, "jobs")?.value;
    if (!isMap(jobs)) continue;
    const add = (node: YamlNode | undefined, path: NodePath, kind: "workflow-container" | "workflow-service", details: ImageSiteDetails) => {
      if (!isScalar(node)) return;
      const image = imageText(node);
      if (image === undefined) return;
      recorder.add({ kind, image, offset: node.offset, end: node.end, document: document.index, path, details: { ...details, sharedAnchor: sharedAnchorOnPath(document.root, path) } });
    };
    for (const [job, { value: body }] of jobs.pairs) {
      const container = getPair(body, "container")?.value;
      if (isMap(container)) add(getPair(container, "image")?.value, ["jobs", job, "container", "image"], "workflow-container", { job });
      else add(container, ["jobs", job, "container"], "workflow-container", { job });
      const services = getPair(body, "services")?.value;
      if (isMap(services)) {
        for (const [service, { value }] of services.pairs) add(getPair(value, "image")?.value, ["jobs", job, "services", service, "image"], "workflow-service", { job, service });
      }
      seqItems(getPair(body, "steps")?.value).forEach((step, index) => {
        const uses = getPair(step, "uses")?.value;
        if (isScalar(uses)) recordStep(recorder, uses, document, ["jobs", job, "steps", index, "uses"], { job, step: String(index), stepName: getText(step, "name") });
      });
    }
  }
  return recorder.sorted();
}

function recordStep(recorder: SiteRecorder, uses: YamlScalar, document: YamlDocument, path: NodePath, details: ImageSiteDetails): void {
  const value = imageText(uses);
  if (value === undefined || !value.startsWith(DOCKER_PREFIX)) return;
  const inside = recorder.offsetInScalar(uses, DOCKER_PREFIX.length);
  recorder.add({
    kind: "workflow-step",
    image: value.slice(DOCKER_PREFIX.length),
    offset: inside ?? uses.offset,
    end: uses.end,
    document: document.index,
    path,
    details: { ...details, prefix: DOCKER_PREFIX, ...(inside === undefined ? { approximate: "true" } : {}), sharedAnchor: sharedAnchorOnPath(document.root, path) },
  });
}
