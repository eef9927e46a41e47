import { activeRules, type ActiveRule } from "../../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../../src/config/types.js";
import { fixFindings } from "../../../src/fixes/engine.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanFiles } from "../../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../../src/workspace/load.js";

/** Scans files in memory with only the given rules, and fixes what it can. */
export function run(files: Record<string, string>, ruleIds: string[], adjust: (rules: ActiveRule[]) => ActiveRule[] = (rules) => rules) {
  const rules = adjust(activeRules(loadRules(), {}, ruleIds));
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: DEFAULT_FIX_SETTINGS });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS });
  return {
    findings: scanned.findings.map((finding) => ({
      rule: finding.rule,
      file: finding.file,
      line: finding.line,
      message: finding.message,
      fixable: finding.fixable,
      ...(finding.notFixableReason !== undefined ? { reason: finding.notFixableReason } : {}),
    })),
    raw: scanned.findings,
    changeset,
    after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])),
  };
}

export interface WorkloadOptions {
  kind?: string;
  name?: string;
  namespace?: string;
  /** The `replicas:` line's value; undefined writes no line. */
  replicas?: string;
  labels?: string;
  /** Lines under `spec:` of the Deployment, after replicas (indented 2). */
  spec?: string;
  /** Lines under the pod spec, after the containers (indented 6). */
  pod?: string;
}

/** A Deployment (or StatefulSet) in block style; `replicas` is on line 7 when there is a namespace, 6 without. */
export function workload(options: WorkloadOptions = {}): string {
  const name = options.name ?? "web";
  const labels = options.labels ?? `app: ${name}`;
  return [
    "apiVersion: apps/v1",
    `kind: ${options.kind ?? "Deployment"}`,
    "metadata:",
    `  name: ${name}`,
    ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
    "spec:",
    ...(options.replicas !== undefined ? [`  replicas: ${options.replicas}`] : []),
    ...(options.spec ? [options.spec] : []),
    "  selector:",
    `    matchLabels: {${labels}}`,
    "  template:",
    "    metadata:",
    `      labels: {${labels}}`,
    "    spec:",
    "      containers:",
    `        - name: ${name}`,
    "          image: ghcr.io/acme/web:1.0",
    ...(options.pod ? [options.pod] : []),
    "",
  ].join("\n");
}

export function autoscaler(target: string, minReplicas: string | undefined, options: { kind?: string; namespace?: string } = {}): string {
  return [
    "apiVersion: autoscaling/v2",
    "kind: HorizontalPodAutoscaler",
    "metadata:",
    `  name: ${target}`,
    ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
    "spec:",
    "  scaleTargetRef:",
    "    apiVersion: apps/v1",
    `    kind: ${options.kind ?? "Deployment"}`,
    `    name: ${target}`,
    ...(minReplicas !== undefined ? [`  minReplicas: ${minReplicas}`] : []),
    "  maxReplicas: 10",
    "",
  ].join("\n");
}

/** A PodDisruptionBudget; `budget` is its minAvailable/maxUnavailable line (line 6 without a namespace). */
export function disruptionBudget(name: string, budget: string, selector: string, namespace?: string): string {
  return [
    "apiVersion: policy/v1",
    "kind: PodDisruptionBudget",
    "metadata:",
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    "spec:",
    `  ${budget}`,
    `  selector: ${selector}`,
    "",
  ].join("\n");
}
