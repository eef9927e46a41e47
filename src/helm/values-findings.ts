import { stringify } from "yaml";
import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import { CHECKS } from "../checks/registry.js";
import { isPlainObject, type PlainValue } from "../edit/render.js";
import { FIXES } from "../fixes/registry.js";
import type { DataChange } from "../fixes/types.js";
import { BASE_VALUES_NAMES, basenameOf, type HelmChartInfo } from "../images/helm-charts.js";
import { containersOf, podSpecOf, type ContainerRef } from "../model/pods.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { Finding } from "../scan/finding.js";
import { fingerprintOf } from "../scan/fingerprint.js";
import { parseWorkspace, type ParsedWorkspace } from "../scan/parse-workspace.js";
import { DEFAULT_YAML_LIMITS } from "../yaml/compose.js";
import { get, getIn, isMap, isSeq, seqItems } from "../yaml/nodes.js";
import { toPlain } from "../yaml/plain.js";
import { chartContainers, type ChartContainer, type FieldSource, type HookedField } from "./chart-containers.js";
import { containerSkeleton, guardsAt, readTemplate, type ContainerSkeleton } from "./container-skeleton.js";

/** What a values fix writes, said for people, planned when the finding is made (the values file holds no container to plan on). */
export interface ValuesFix {
  changes: DataChange[];
  explanation: string;
  risk: string;
  risky: boolean;
}

export interface HelmValuesInput {
  charts: readonly HelmChartInfo[];
  /** A chart's values files as this scan sees them (the base one first), by chart root. */
  valuesFiles: (chart: HelmChartInfo) => ParsedFile[];
  /** A template as a parsed file (for positions in it), when this scan has it. */
  templateFile: (path: string) => ParsedFile | undefined;
  /** Only findings in these files are wanted (a one-file rescan asks for its own). */
  reports: (path: string) => boolean;
  rules: readonly ActiveRule[];
  settings: FixSettings;
  /** The file scan's runRules, to judge the containers as the values make them. */
  judge: (workspace: ParsedWorkspace, rules: readonly ActiveRule[]) => Finding[];
}

const POD_PATHS: Record<string, string[]> = { CronJob: ["spec", "jobTemplate", "spec", "template", "spec"] };
const podPathOf = (kind: string) => POD_PATHS[kind] ?? ["spec", "template", "spec"];

/**
 * Container rules on Helm charts, without rendering: each container of a
 * chart's templates is judged as each values file makes it (the base
 * values, then each values-<env> file over it), with the probes, resources,
 * securityContext and env the templates take from values filled in. A finding
 * about a field taken from values is reported at that values key (at the
 * environment file when it sets the key) and its fix writes there; a field
 * the template writes itself, or has no hook for, is reported in the
 * template, where the fix belongs.
 */
export function helmValuesFindings(input: HelmValuesInput): Finding[] {
  // Container rules, and the object rules that judge only what a container's env sets.
  const rules = input.rules.filter((active) => CHECKS.get(active.rule.check.name)?.scope === "container" || ENV_CHECKS.has(active.rule.check.name));
  if (rules.length === 0) return [];
  const found = new Map<string, Finding>();
  const roots = input.charts.map((chart) => chart.root);
  for (const chart of input.charts) {
    // A chart vendored under another chart's charts/ is a dependency: people do not maintain it here.
    if (roots.some((root) => chart.root.startsWith(root === "" ? "charts/" : `${root}/charts/`))) continue;
    const templates = chart.templates ?? [];
    if (templates.length === 0) continue;
    const containers = chartContainers({ root: chart.root, templates });
    if (containers.length === 0) continue;
    // Each template is read once; each container's skeleton and guards do not change with the values.
    const read = new Map(templates.map((template) => [template.path, readTemplate(template.text)]));
    const prepared = containers.flatMap((container) => {
      const template = read.get(container.template);
      const skeleton = template && containerSkeleton(template, container.offset);
      return template && skeleton ? [{ container, skeleton, guards: guardsAt(template, container.offset) }] : [];
    });
    const [base, ...overrides] = input.valuesFiles(chart);
    const layerSets = [base ? [base] : [], ...overrides.map((override) => (base ? [base, override] : [override]))];
    for (const layers of layerSets) {
      const values = layers.map((file) => toPlain(file.documents[0]?.root)).reduce<PlainValue>((merged, layer) => mergeValues(merged, layer), {});
      for (const { container, skeleton, guards } of prepared) {
        // A container these values switch off is not deployed with them.
        if (guards.some((path) => !isTruthy(pathValue(values, path)))) continue;
        for (const finding of judgeContainer(chart, container, skeleton, values, layers, rules, input)) {
          if (input.reports(finding.file) && !found.has(finding.fingerprint)) found.set(finding.fingerprint, finding);
        }
      }
    }
  }
  return [...found.values()];
}

function judgeContainer(
  chart: HelmChartInfo,
  container: ChartContainer,
  skeleton: ContainerSkeleton,
  values: PlainValue,
  layers: readonly ParsedFile[],
  rules: readonly ActiveRule[],
  input: HelmValuesInput,
): Finding[] {
  const built = effectiveContainer(container, skeleton, values, chartName(chart));
  const podPath = podPathOf(container.workloadKind);
  const document: PlainValue = { apiVersion: "apps/v1", kind: container.workloadKind, metadata: { name: chartName(chart) } };
  setPath(document, [...podPath, container.list], [built.container]);
  if (built.podSecurityContext !== undefined) setPath(document, [...podPath, "securityContext"], built.podSecurityContext);
  const text = stringify(document);
  const virtual = parseWorkspace([{ path: container.template, role: "yaml", size: text.length, text }], DEFAULT_YAML_LIMITS);
  const pod = virtual.resources[0] ? podSpecOf(virtual.resources[0]) : undefined;
  const ref = pod ? containersOf(pod, [container.list])[0] : undefined;
  if (!ref) return [];
  return input.judge(virtual, rules).flatMap((finding) => {
    const active = rules.find((candidate) => candidate.rule.id === finding.rule);
    const fix = active?.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
    const planned = fix?.scope === "container" && active?.rule.fix ? fix.plan(ref, active.rule.fix.params, input.settings) : undefined;
    const changes = planned?.ok ? planned.plan.changes.map((change) => ({ ...change, path: change.path.slice(ref.path.length) })) : [];
    const field = (changes[0]?.path[0] ?? fieldOfRule(active)) as HookedField | undefined;
    if (!field || !(field in container.fields) || built.unread.has(field)) return [];
    const source = container.fields[field];
    // A template's own env entries take their values from actions (`value: {{ .Values.password }}`, often set with
    // --set at deploy time) that the skeleton cannot read: only a list that values give whole is judged.
    if (field === "env" && source.kind !== "values") return [];
    // An env finding points at the variable's value, in the values file that sets the list.
    const envItem = field === "env" && source.kind === "values" ? envItemIndex(virtual, ref, finding) : undefined;
    const envValue = envItem !== undefined && source.kind === "values" ? locateEnvValue(source.path, envItem, layers) : undefined;
    const at = envValue ?? locate(source, container, input.templateFile(container.template), layers);
    if (!at) return [];
    const valuesFix = source.kind === "values" && planned?.ok ? valuesFixOf(source, changes, values, planned.plan) : undefined;
    const reason =
      source.kind === "template"
        ? `${container.template} writes ${field} itself: change it there`
        : source.kind === "absent"
          ? `${container.template} takes no ${field} from values: the fix belongs in the template`
          : valuesFix
            ? undefined
            : (planned && !planned.ok ? planned.reason : undefined);
    const inChart = chart.root === "" ? container.template : container.template.slice(chart.root.length + 1);
    const how =
      source.kind === "values" ? `, which takes it from .Values.${source.path.join(".")}` : source.kind === "absent" ? `, which takes no ${field} from values` : " (the template writes it)";
    const position = at.file.lines.position(at.offset);
    return [
      {
        ...finding,
        file: at.file.path,
        line: position.line,
        column: position.column,
        message: `${finding.message} in ${container.workloadKind} ${inChart}${how}`,
        resource: { kind: container.workloadKind, name: chartName(chart), namespace: undefined },
        fixable: valuesFix !== undefined,
        ...(reason !== undefined ? { notFixableReason: reason } : {}),
        target: undefined,
        ...(valuesFix ? { valuesFix } : {}),
        // One container sets several variables: an env finding keeps what it is about (the variable) apart.
        fingerprint: fingerprintOf([finding.rule, at.file.path, container.workloadKind, container.template, container.name, field, ...(field === "env" ? [finding.fingerprint] : [])]),
      },
    ];
  });
}

/** The field a rule without a fix judges, from its check's `fields` parameter. */
function fieldOfRule(active: ActiveRule | undefined): string | undefined {
  const fields = active?.rule.check.params["fields"];
  if (Array.isArray(fields) && typeof fields[0] === "string") return fields[0].split(".")[0];
  const check = active?.rule.check.name ?? "";
  return SECURITY_CONTEXT_CHECKS.has(check) ? "securityContext" : ENV_CHECKS.has(check) ? "env" : undefined;
}

/** Checks that judge a container's env values (a literal secret, CORS `*`, a database URL without TLS). */
const ENV_CHECKS = new Set(["env-secret-literal", "cors-wildcard", "database-tls-disabled"]);

/** Container checks that judge securityContext, whether or not their rule has a fix to say so. */
const SECURITY_CONTEXT_CHECKS = new Set(["run-as-non-root", "privilege-escalation", "privileged-container", "read-only-root-filesystem", "capabilities-dropped", "seccomp-profile"]);

/** The container as the values make it: values-fed fields filled in (or dropped when empty or disabled), the rest as the template writes it. */
function effectiveContainer(
  container: ChartContainer,
  skeleton: ContainerSkeleton,
  values: PlainValue,
  chart: string,
): { container: Record<string, PlainValue>; podSecurityContext: PlainValue | undefined; unread: Set<HookedField> } {
  const out: Record<string, PlainValue> = { ...skeleton.container, name: container.name.replace(/\{\{-?\s*\.Chart\.Name\s*-?\}\}/g, chart) };
  // Written by the template where the skeleton does not show it (a named template's output): not judged.
  const unread = new Set<HookedField>();
  for (const [field, source] of Object.entries(container.fields) as [HookedField, FieldSource][]) {
    if (source.kind === "template" && out[field] === undefined) unread.add(field);
    if (source.kind === "template") continue;
    const value = valueOf(source, values);
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  const pod = container.podSecurityContext;
  return { container: out, podSecurityContext: pod.kind === "template" ? skeleton.podSecurityContext : valueOf(pod, values), unread };
}

/** What a values hook gives: nothing when the value is empty or its `enabled` guard is off. */
function valueOf(source: FieldSource, values: PlainValue): PlainValue | undefined {
  if (source.kind !== "values") return undefined;
  if (source.enabledPath && pathValue(values, source.enabledPath) !== true) return undefined;
  const value = pathValue(values, source.path);
  if (!isTruthy(value)) {
    // Bitnami's resourcesPreset fills resources (requests and limits) when they are empty, unless it is "none".
    const preset = source.preset ? pathValue(values, source.preset) : undefined;
    return typeof preset === "string" && preset !== "none" && preset !== "" ? PRESET_RESOURCES(preset) : undefined;
  }
  if (source.enabledPath && isPlainObject(value)) {
    const { enabled: _enabled, ...rest } = value;
    return rest;
  }
  return value;
}

/**
 * The values writes a container fix makes: its changes under the field, moved to the values path. A Bitnami probe
 * that is configured but disabled is turned on rather than replaced.
 */
function valuesFixOf(source: Extract<FieldSource, { kind: "values" }>, changes: readonly DataChange[], values: PlainValue, plan: { explanation: string; risk: string; risky: boolean }): ValuesFix | undefined {
  if (changes.length === 0) return undefined;
  const configured = pathValue(values, source.path);
  if (source.enabledPath && pathValue(values, source.enabledPath) !== true && isPlainObject(configured) && Object.keys(configured).some((key) => key !== "enabled")) {
    return { changes: [{ path: source.enabledPath, value: true }], explanation: `Sets .Values.${source.enabledPath.join(".")} to true: the probe is configured in values but switched off.`, risk: plan.risk, risky: plan.risky };
  }
  return { changes: changes.map((change) => ({ path: [...source.path, ...change.path.slice(1)], value: change.value })), explanation: plan.explanation, risk: plan.risk, risky: plan.risky };
}

/** Where a field's finding is shown: the values key (in the last file that sets it), else its nearest parent; the template otherwise. */
function locate(source: FieldSource, container: ChartContainer, template: ParsedFile | undefined, layers: readonly ParsedFile[]): { file: ParsedFile; offset: number } | undefined {
  if (source.kind === "unknown") return undefined;
  if (source.kind === "template") return template && { file: template, offset: source.offset };
  if (source.kind === "absent") return template && { file: template, offset: container.offset };
  for (const file of [...layers].reverse()) {
    const root = file.documents[0]?.root;
    for (let depth = source.path.length; depth > 0; depth--) {
      const node = getIn(root, source.path.slice(0, depth));
      if (node && (depth === source.path.length || file === layers[0])) return { file, offset: node.offset };
    }
  }
  const base = layers[0];
  return base ? { file: base, offset: isMap(base.documents[0]?.root) ? (base.documents[0]?.root?.offset ?? 0) : 0 } : undefined;
}

/** Which item of the judged container's env list a finding in the virtual manifest is at (items are in file order). */
function envItemIndex(virtual: ParsedWorkspace, ref: ContainerRef, finding: Finding): number | undefined {
  const file = virtual.files[0];
  if (!file) return undefined;
  const offset = file.lines.offsetOfLine(finding.line) + finding.column - 1;
  const items = seqItems(get(ref.node, "env"));
  const index = items.findLastIndex((item) => item.offset <= offset);
  return index === -1 ? undefined : index;
}

/** The `value` of env item `index` of the list at `path`, in the last values layer that sets that list. */
function locateEnvValue(path: readonly string[], index: number, layers: readonly ParsedFile[]): { file: ParsedFile; offset: number } | undefined {
  for (const file of [...layers].reverse()) {
    const list = getIn(file.documents[0]?.root, path);
    if (!isSeq(list)) continue;
    const item = list.items[index];
    const value = get(item, "value");
    return item ? { file, offset: (value ?? item).offset } : undefined;
  }
  return undefined;
}

function chartName(chart: HelmChartInfo): string {
  return chart.root === "" ? "." : basenameOf(chart.root);
}

/** Go templates' truth: false, 0, nil and empty strings, maps and lists are false. */
function isTruthy(value: PlainValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isPlainObject(value) || Object.keys(value).length > 0;
}

/** What a Bitnami preset stands for, as far as the rules look: requests and limits named by the preset. */
const PRESET_RESOURCES = (preset: string): PlainValue => ({ requests: { cpu: preset, memory: preset }, limits: { cpu: preset, memory: preset } });

function pathValue(value: PlainValue | undefined, path: readonly string[]): PlainValue | undefined {
  let current = value;
  for (const step of path) {
    if (!isPlainObject(current ?? null)) return undefined;
    current = (current as Record<string, PlainValue>)[step];
  }
  return current;
}

function setPath(target: PlainValue, path: readonly string[], value: PlainValue): void {
  let current = target as Record<string, PlainValue>;
  for (const step of path.slice(0, -1)) {
    if (!isPlainObject(current[step] ?? null)) current[step] = {};
    current = current[step] as Record<string, PlainValue>;
  }
  current[path[path.length - 1] as string] = value;
}

/** Helm's coalescing of values files: maps merge key by key, anything else replaces, null removes. */
export function mergeValues(base: PlainValue, layer: PlainValue): PlainValue {
  if (!isPlainObject(base) || !isPlainObject(layer)) return layer === undefined ? base : layer;
  const merged: Record<string, PlainValue> = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    if (value === null) delete merged[key];
    else merged[key] = key in merged ? mergeValues(merged[key] as PlainValue, value) : value;
  }
  return merged;
}

/** The base values file first, then the environment files, of a chart folder. */
export function chartValuesFiles(files: readonly ParsedFile[], chart: HelmChartInfo): ParsedFile[] {
  const prefix = chart.root === "" ? "" : `${chart.root}/`;
  const own = files.filter((file) => file.role === "helm-values" && file.path.startsWith(prefix) && !file.path.slice(prefix.length).includes("/"));
  const isBase = (file: ParsedFile) => BASE_VALUES_NAMES.includes(basenameOf(file.path));
  return [...own.filter(isBase), ...own.filter((file) => !isBase(file))];
}
