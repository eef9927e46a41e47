import { activeRules, type ActiveRule } from "../../../src/config/resolve.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanAndFix } from "../scan-and-fix.js";

/** Scans files in memory with only the given rules, and fixes what it can. */
export function run(files: Record<string, string>, ruleIds: string[], adjust: (rules: ActiveRule[]) => ActiveRule[] = (rules) => rules) {
  const { scanned, changeset, after } = scanAndFix(files, adjust(activeRules(loadRules(), {}, ruleIds)));
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
    after,
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
