import { HELM_VALUES_FILE } from "../workspace/roles.js";
import type { YamlDocument } from "../yaml/compose.js";
import { getText } from "../yaml/nodes.js";

/** What image sites need to know about one Helm chart. */
export interface HelmChartInfo {
  /** The chart folder, relative to the workspace root, with `/` separators ("" for the root itself). */
  root: string;
  /** `appVersion` of its Chart.yaml: helm-create charts use it when `image.tag` is empty. */
  appVersion?: string;
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
