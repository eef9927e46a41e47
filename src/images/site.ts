import type { NodePath } from "../model/paths.js";
import { LineIndex, type Position } from "../yaml/lines.js";
import type { YamlScalar } from "../yaml/nodes.js";
import { isTemplatedImage, parseImageReference, type ImageReference } from "./reference.js";

/** Where an image reference is written. */
export type ImageSiteKind =
  /** `image:` of a container, init container or ephemeral container of any workload kind. */
  | "pod-spec"
  /** A Helm values file beside a Chart.yaml: `image: "repo:tag"` or `image: {registry, repository, tag, digest}`. */
  | "helm-values"
  /** The same shapes inside an Argo CD Application's `helm.valuesObject`. */
  | "argocd-helm-values"
  /** An entry of a kustomization's `images:` list. */
  | "kustomize-images"
  /** A `name=newName:tag` string of an Argo CD Application's `kustomize.images`. */
  | "argocd-kustomize-images"
  /** The image of a Dockerfile `FROM` line (or the `ARG` default it names). */
  | "dockerfile-from"
  /** The image of a Dockerfile `COPY --from=image`. */
  | "dockerfile-copy-from"
  /** `services.*.image` of a Compose file. */
  | "compose"
  /** `jobs.*.container` of a GitHub workflow. */
  | "workflow-container"
  /** `jobs.*.services.*.image` of a GitHub workflow. */
  | "workflow-service"
  /** `jobs.*.steps[].uses: docker://image` of a GitHub workflow. */
  | "workflow-step";

/** The parts a reference can be split over. */
export type ImagePart = "registry" | "repository" | "tag" | "digest";

/** One part of a split reference, as written in this file. */
export interface ImagePartSite {
  /** The key that holds it, as written: `repository`, `name`, `image`, `newName`, `newTag`, `tag`, `digest`, `registry`… */
  key: string;
  /** Offsets of the scalar's content (inside the quotes, when quoted). */
  offset: number;
  end: number;
  /** The decoded text. */
  text: string;
}

/**
 * Extra facts about a site, for rules and fixes. Every field is optional and
 * a string (booleans are "true"), so details serialise as they are.
 */
export interface ImageSiteDetails {
  /** "true" when the reference is filled in later (`${VAR}`, `{{ }}`, `$(…)`, an ARG without default): not parsed. */
  templated?: string;
  /** Why parseImageReference rejected the reference. Absent on templated sites. */
  malformed?: string;
  /** Text written before the image in the same scalar (`docker://`, `name=`): a fix writes it back unchanged. */
  prefix?: string;
  /** "true" when the scalar holds escapes, so offsets inside it are the scalar's start, not the image's. */
  approximate?: string;
  /** The first YAML anchor on the way to the value that aliases reuse: an edit there changes every alias too. */
  sharedAnchor?: string;

  /** pod-spec: container name, the list it is in, and `Kind/name` of the workload. */
  container?: string;
  containerList?: string;
  workload?: string;

  /** helm-values: chart folder ("" for the repository root). */
  chart?: string;
  /** helm-values: "string" (`image: repo:tag`) or "map" (split over fields). */
  shape?: string;
  /** helm-values (map), kustomize-images: "present" or "absent": whether the shape has a digest field to write. */
  digestField?: string;
  /** helm-values: no tag is set, and helm-create charts fall back to the chart's appVersion; that version, when Chart.yaml has one. */
  appVersion?: string;
  /** helm-values: "chart-appVersion" when neither tag nor digest is set (see appVersion). The image itself carries no tag then. */
  tagFrom?: string;
  /** helm-values: parts not in this file, taken from the chart's values.yaml at the same path (comma separated), and that file. */
  inheritedParts?: string;
  inheritedFrom?: string;
  /** helm-values: "true" when the tag is an unquoted number (`tag: 1.10`): Helm renders it as a float (`1.1`). */
  numericTag?: string;

  /** kustomize-images, argocd-kustomize-images: the image name the entry matches. */
  name?: string;
  /** kustomize-images: the entry's index in `images:`. */
  entry?: string;
  /** argocd-*: the Application's name, and the source's index in `spec.sources` ("" for `spec.source`). */
  application?: string;
  source?: string;

  /** dockerfile-from: the stage's `AS` alias, its 0-based index, and the `--platform` flag. */
  stage?: string;
  stageIndex?: string;
  platform?: string;
  /** dockerfile-from: the ARG whose default is the whole image (the site is that default), and the FROM line that uses it. */
  argument?: string;
  fromLine?: string;
  /** dockerfile-*: ARGs substituted into the image text (comma separated) when the site is the FROM token itself. */
  substituted?: string;

  /** compose: the service; build is "true" when the service also builds (the image names the build's result). */
  service?: string;
  build?: string;

  /** workflow-*: the job id; workflow-step: the step's 0-based index and its name, if any. */
  job?: string;
  step?: string;
  stepName?: string;
}

export interface ImageReferenceSite {
  file: string;
  kind: ImageSiteKind;
  /**
   * The reference as people read it, assembled when it is split over fields
   * (`registry/repository:tag@digest`). Never invented: a Helm tag that falls
   * back to appVersion is absent here (see details.appVersion).
   */
  image: string;
  /**
   * The value a pin edits: the whole reference (a scalar, the image token of
   * a FROM line, the ARG default it names, the image inside `docker://…`); for
   * split references a non-empty tag, else the digest field, else the (empty)
   * tag, else the repository.
   * YAML offsets are of the content, inside quotes. The text from `offset`
   * to `end` is the reference as written: with details.substituted it still
   * holds the `${ARG}`s, with details.prefix the prefix is before `offset`.
   */
  offset: number;
  end: number;
  /** 1-based position of `offset`; column in UTF-16 code units. */
  line: number;
  column: number;
  /** The parsed reference, when the image is literal and well formed. */
  reference?: ImageReference;
  /** YAML sites: the document index and the path of the scalar at `offset` from the document root. */
  document?: number;
  path?: NodePath;
  /** Split references: the mapping that holds the parts (where a missing `digest:` or `tag:` goes). */
  holder?: { offset: number; path: NodePath };
  /** Split references: each part present in this file. The path of a part is `[...holder.path, part.key]`. */
  parts?: Partial<Record<ImagePart, ImagePartSite>>;
  details: ImageSiteDetails;
}

export type SiteInput = Omit<ImageReferenceSite, "file" | "line" | "column" | "reference" | "details"> & {
  details?: ImageSiteDetails;
  /** Known to be templated whatever the text says (an ARG with no default). */
  templated?: boolean;
};

/** Collects the sites of one file: adds positions, parses each image, marks templated and malformed ones. */
export class SiteRecorder {
  private readonly sites: ImageReferenceSite[] = [];
  private lines: LineIndex | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    /** How this source spots templated text; Compose also reads `$VAR`. */
    private readonly isTemplated: (image: string) => boolean = isTemplatedImage,
  ) {}

  add(input: SiteInput): void {
    const { templated, details: given, ...site } = input;
    const details: ImageSiteDetails = { ...given };
    let reference: ImageReference | undefined;
    if (templated === true || this.isTemplated(site.image)) {
      details.templated = "true";
    } else {
      const parsed = parseImageReference(site.image);
      if (parsed.ok) reference = parsed.reference;
      else details.malformed = parsed.reason;
    }
    const { line, column } = this.position(site.offset);
    this.sites.push({ file: this.file, ...site, line, column, ...(reference ? { reference } : {}), details: sortedDetails(details) });
  }

  /** The sites recorded, in the order they are written in the file. */
  sorted(): ImageReferenceSite[] {
    return sortSites([...this.sites]);
  }

  position(offset: number): Position {
    this.lines ??= new LineIndex(this.text);
    return this.lines.position(offset);
  }

  /** Offset of character `index` of a scalar's decoded text, when the source holds it verbatim (no escapes, not folded). */
  offsetInScalar(scalar: YamlScalar, index: number): number | undefined {
    return this.text.slice(scalar.offset, scalar.end) === scalar.text ? scalar.offset + index : undefined;
  }
}

/** By offset, then kind: the order they are written in, the same every run. */
export function sortSites(sites: ImageReferenceSite[]): ImageReferenceSite[] {
  return sites.sort((a, b) => a.offset - b.offset || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** Details in key order, so equal sites serialise to equal bytes. */
function sortedDetails(details: ImageSiteDetails): ImageSiteDetails {
  const entries = Object.entries(details).filter(([, value]) => value !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries) as ImageSiteDetails;
}

/** A scalar's text when it is a string worth reading as an image: not null, not a number or boolean, not blank. */
export function imageText(node: YamlScalar): string | undefined {
  if (typeof node.value !== "string" || node.text.trim() === "") return undefined;
  return node.text;
}
