import { HELM_VALUES_FILE } from "../workspace/roles.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getText } from "../yaml/nodes.js";
import type { TemplateFile } from "./helm-template-reads.js";

/** What image sites need to know about one Helm chart. */
export interface HelmChartInfo {
  /** The chart folder, relative to the workspace root, with `/` separators ("" for the root itself). */
  root: string;
  /** `appVersion` of its Chart.yaml: helm-create charts use it when `image.tag` is empty. */
  appVersion?: string;
  /** Its Go templates (`templates/**`, subcharts' too): whether they read an image's `digest` decides how it is pinned. */
  templates?: readonly TemplateFile[];
}

/** The charts whose Chart.yaml is among `files`, each with the template files under its folder. */
export function chartsOf<F extends TemplateFile & { role: string }>(files: readonly F[], documentsOf: (file: F) => readonly YamlDocument[]): HelmChartInfo[] {
  const templates = files.filter((file) => file.role === "helm-template");
  return files
    .filter((file) => basenameOf(file.path) === "Chart.yaml")
    .map((file) => {
      const chart = chartInfoOf(file.path, documentsOf(file));
      const prefix = chart.root === "" ? "" : `${chart.root}/`;
      return { ...chart, templates: templates.filter((template) => template.path.startsWith(prefix)) };
    });
}


/** The base values file of a chart: other values files are layered over it. */
export const BASE_VALUES_NAMES: readonly string[] = ["values.yaml", "values.yml"];

export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The chart whose values file `path` is, if it is one. */
export function chartOfValuesFile(path: string, role: string, charts: ReadonlyMap<string, HelmChartInfo>): HelmChartInfo | undefined {
  const chart = charts.get(dirnameOf(path));
  if (!chart) return undefined;
  // Values files beside Chart.yaml (the workspace gives them the helm-values role; callers with plain roles are matched by name).
  return role === "helm-values" || HELM_VALUES_FILE.test(basenameOf(path)) ? chart : undefined;
}

/** The chart described by a Chart.yaml, from its parsed documents. */
export function chartInfoOf(chartYamlPath: string, documents: readonly YamlDocument[]): HelmChartInfo {
  const appVersion = getText(documents[0]?.root, "appVersion");
  return { root: dirnameOf(chartYamlPath), ...(appVersion !== undefined && appVersion !== "" ? { appVersion } : {}) };
}
