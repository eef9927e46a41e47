import type { ImageReferenceSite } from "../images/site.js";
import { describePath } from "../model/paths.js";

export interface SiteImage {
  /** The image as the message shows it. */
  text: string;
  tag: string | undefined;
  digest: string | undefined;
}

/**
 * The image a site deploys, when it is literal and well formed. A Helm image
 * without a tag runs the chart's appVersion (helm create's templates), so
 * that is its tag.
 */
export function siteImage(site: ImageReferenceSite): SiteImage | undefined {
  if (!site.reference || site.details.templated || site.details.malformed) return undefined;
  // Compose's `image:` beside `build:` names what the build makes, not something pulled.
  if (site.kind === "compose" && site.details.build === "true") return undefined;
  const { tag, digest } = site.reference;
  // An override that sets no tag leaves the one written elsewhere (the workload's, the chart's values.yaml): unknown here.
  if (tag === undefined && digest === undefined && TAG_KEPT_FROM_ELSEWHERE.has(site.kind)) return undefined;
  const fromChart = site.details.tagFrom === "chart-appVersion" ? site.details.appVersion : undefined;
  return { text: site.image, tag: tag ?? fromChart, digest };
}

/** Places that override an image written elsewhere: Kustomize keeps the workload's tag, Argo CD's valuesObject the chart's. */
const TAG_KEPT_FROM_ELSEWHERE = new Set<ImageReferenceSite["kind"]>(["kustomize-images", "argocd-kustomize-images", "argocd-helm-values"]);

/** Where the image is written, for messages: `container "web" image "nginx:1.25"`, `Helm values image "…"`. */
export function describeSite(site: ImageReferenceSite): string {
  const image = `image "${site.image}"`;
  const { details } = site;
  switch (site.kind) {
    case "pod-spec":
      return `container "${details.container ?? "?"}" ${image}`;
    case "helm-values":
      return `Helm values ${image}`;
    case "argocd-helm-values":
      return `Argo CD Application "${details.application ?? "?"}" Helm values ${image}`;
    case "kustomize-images":
      return `Kustomize images entry for "${details.name ?? "?"}": ${image}`;
    case "argocd-kustomize-images":
      return `Argo CD Application "${details.application ?? "?"}" kustomize ${image}`;
    case "dockerfile-from":
      return `base ${image}${details.stage ? ` of stage "${details.stage}"` : ""}`;
    case "dockerfile-copy-from":
      return `COPY --from ${image}`;
    case "compose":
      return `service "${details.service ?? "?"}" ${image}`;
    case "workflow-container":
      return `job "${details.job ?? "?"}" container ${image}`;
    case "workflow-service":
      return `job "${details.job ?? "?"}" service "${details.service ?? "?"}" ${image}`;
    case "workflow-step":
      return `job "${details.job ?? "?"}" step ${image}`;
  }
}

/**
 * What tells this reference apart from others in its file, for fingerprints:
 * a pod spec's image is already known by its workload and container; other
 * places by where they are written, so that two uses of one image stay apart.
 */
export function siteIdentity(site: ImageReferenceSite): string {
  if (site.kind === "pod-spec") return site.image;
  const where = site.path ? describePath(site.path) : `stage ${site.details.stageIndex ?? "?"}`;
  return `${site.kind} ${where} ${site.image}`;
}
