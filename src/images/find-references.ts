import { composeYaml, type YamlDocument } from "../yaml/compose.js";
import { argoCdImageSites } from "./argocd-sites.js";
import { composeImageSites, isComposeFile } from "./compose-sites.js";
import { dockerfileImageSites } from "./dockerfile-sites.js";
import { BASE_VALUES_NAMES, basenameOf, chartOfValuesFile, chartsOf, dirnameOf, type HelmChartInfo } from "./helm-charts.js";
import { helmValuesImageSites, type ValuesFileWalk } from "./helm-values-sites.js";
import type { KustomizeOwner } from "./kustomize-owners.js";
import { kustomizeImageSites } from "./kustomize-sites.js";
import { podSpecImageSites } from "./pod-spec-sites.js";
import { sortSites, type ImageReferenceSite } from "./site.js";
import { workflowImageSites } from "./workflow-sites.js";

export type { HelmChartInfo } from "./helm-charts.js";
export type { ImagePart, ImagePartSite, ImageReferenceSite, ImageSiteDetails, ImageSiteKind } from "./site.js";

/** A file to read images from: a workspace file, or a ParsedFile (whose documents are reused). */
export interface ImageSourceFile {
  /** Relative path with `/` separators. */
  path: string;
  /** Its FileRole (`manifest`, `argocd-app`, `kustomization`, `helm-values`, `dockerfile`, `workflow`, `yaml`…). */
  role: string;
  text: string;
  /** Parsed documents, when the caller has them; YAML files without them are parsed here. */
  documents?: readonly YamlDocument[];
}

/** What the image finder may need from beyond the files it reads: charts, and a chart's values.yaml under an override file. */
export interface ImageContext {
  charts?: readonly HelmChartInfo[];
  file?: (path: string) => ImageSourceFile | undefined;
  /** Manifest → the kustomization listing it (see kustomizeOwners); defaults to the kustomizations among the files. */
  owners?: ReadonlyMap<string, KustomizeOwner>;
}

/** Roles that hold no image reference Shipshape reads (Helm templates are Go templates, not YAML). */
const IMAGELESS_ROLES = new Set(["helm-chart", "helm-template", "helm-lock", "lockfile", "lockfile-source", "pem", "nginx-config", "other"]);

/**
 * Every image reference written in the files, with where it is, in file
 * order and by offset within a file:
 *
 * - manifests: containers, initContainers and ephemeralContainers of every workload kind;
 * - Helm values files beside a Chart.yaml (layered over the chart's values.yaml);
 * - kustomization `images:` entries; Argo CD Application `kustomize.images` and `helm.valuesObject`;
 * - Dockerfile `FROM` (ARGs substituted, stages and scratch left out) and `COPY --from=image`;
 * - Compose `services.*.image`;
 * - GitHub workflow job containers, service containers and `docker://` steps.
 *
 * Templated references are reported, with details.templated = "true" and no
 * `reference`; malformed ones with details.malformed = the reason. `charts`
 * defaults to the charts whose Chart.yaml is among `files`.
 */
export function findImageReferences(files: readonly ImageSourceFile[], context: ImageContext = {}): ImageReferenceSite[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const charts = context.charts;
  const parsed = new Map<string, readonly YamlDocument[]>();
  const documentsOf = (file: ImageSourceFile): readonly YamlDocument[] => {
    let documents = file.documents ?? parsed.get(file.path);
    if (!documents) {
      documents = composeYaml(file.text).documents;
      parsed.set(file.path, documents);
    }
    return documents;
  };
  const chartMap = new Map<string, HelmChartInfo>();
  if (charts) for (const chart of charts) chartMap.set(chart.root, chart);
  else for (const chart of chartsOf(files, documentsOf)) chartMap.set(chart.root, chart);

  const sites: ImageReferenceSite[] = [];
  for (const file of files) {
    sites.push(...sortSites(sitesOf(file)));
  }
  return sites;

  function sitesOf(file: ImageSourceFile): ImageReferenceSite[] {
    const { path, role, text } = file;
    if (IMAGELESS_ROLES.has(role)) return [];
    if (role === "dockerfile") return dockerfileImageSites(path, text);
    if (role === "workflow") return workflowImageSites(path, text, documentsOf(file));
    if (role === "kustomization") return kustomizeImageSites(path, text, documentsOf(file));
    const chart = chartOfValuesFile(path, role, chartMap) ?? (role === "helm-values" ? { root: dirnameOf(path) } : undefined);
    if (chart) return helmValuesImageSites(path, text, documentsOf(file), valuesWalkOf(file, chart));
    if (isComposeFile(path)) return composeImageSites(path, text, documentsOf(file));
    const documents = documentsOf(file);
    return [...podSpecImageSites(path, text, documents), ...argoCdImageSites(path, text, documents)];
  }

  function valuesWalkOf(file: ImageSourceFile, chart: HelmChartInfo): ValuesFileWalk {
    const walk: ValuesFileWalk = { details: { chart: chart.root }, ...(chart.appVersion !== undefined ? { appVersion: chart.appVersion } : {}) };
    if (BASE_VALUES_NAMES.includes(basenameOf(file.path))) return walk;
    const base = BASE_VALUES_NAMES.map((name) => chart.root === "" ? name : `${chart.root}/${name}`)
      .map((path) => byPath.get(path) ?? context.file?.(path))
      .find((candidate) => candidate !== undefined);
    return base ? { ...walk, base: { file: base.path, root: documentsOf(base)[0]?.root } } : walk;
  }
}
