import type { ImageReferenceSite } from "../images/site.js";

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
  const { tag, digest } = site.reference;
  const fromChart = site.details.tagFrom === "chart-appVersion" ? site.details.appVersion : undefined;
  return { text: site.image, tag: tag ?? fromChart, digest };
}

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
      return `job "${details.job ?? "?"}" service ${image}`;
    case "workflow-step":
      return `job "${details.job ?? "?"}" step ${image}`;
  }
}
