import { getPair, getText } from "../yaml/nodes.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";

const CHART_FILE = "Chart.yaml";
const SCHEMA_FILE = "values.schema.json";

/**
 * Helm charts without a `values.schema.json` next to their Chart.yaml: Helm validates values against it at
 * install, upgrade, template and lint time. Library charts (`type: library`) have no values of their own
 * to validate, and subcharts vendored under another chart's `charts/` folder are someone else's.
 */
export const helmValuesSchemaMissing: WorkspaceCheck = {
  name: "helm-values-schema-missing",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const paths = new Set(workspace.files.map((file) => file.path));
    const charts = workspace.files.filter((file) => file.role === "helm-chart" && (file.path === CHART_FILE || file.path.endsWith(`/${CHART_FILE}`)));
    const roots = charts.map((file) => file.path.slice(0, file.path.length - CHART_FILE.length));
    const hits: WorkspaceHit[] = [];
    charts.forEach((chart, index) => {
      const root = roots[index] as string;
      if (paths.has(`${root}${SCHEMA_FILE}`)) return;
      if (roots.some((other) => other !== root && root.startsWith(`${other}charts/`))) return;
      const metadata = chart.documents[0]?.root;
      if (getText(metadata, "type")?.trim() === "library") return;
      const name = getText(metadata, "name") ?? (root === "" ? "." : root.slice(0, -1));
      const offset = getPair(metadata, "name")?.key.offset ?? 0;
      hits.push({
        file: chart.path,
        offset,
        message: `Helm chart "${name}" has no ${SCHEMA_FILE}: Helm does not validate its values, so a typo or a wrong type reaches the templates unnoticed`,
        detail: SCHEMA_FILE,
      });
    });
    return hits;
  },
};
