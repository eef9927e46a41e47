/**
 * The containers of a Helm chart's workloads, found in its templates without rendering, and for each where
 * its probes, resources, securityContext and env come from: written in the template, read from `.Values.<path>`
 * (so a finding can point at, and a fix edit, the values files), missing, or templated beyond following.
 */
import { composeYaml } from "../yaml/compose.js";
import { get, getIn, isMap, isScalar, seqItems, type YamlMap, type YamlScalar } from "../yaml/nodes.js";
import { templateSkeleton, type TemplateSkeleton } from "./template-skeleton.js";
import { actionValues, ROOT, type ActionValue, type Val } from "./template-values.js";

export type HookedField = "livenessProbe" | "readinessProbe" | "startupProbe" | "resources" | "securityContext" | "env";
export const HOOKED_FIELDS: readonly HookedField[] = ["livenessProbe", "readinessProbe", "startupProbe", "resources", "securityContext", "env"];
export type FieldSource =
  | { kind: "template"; offset: number } // written literally in the template (offset of its key)
  /** From `.Values.<path>` (offset of the template key); `enabledPath`: an `if .Values.<x>.enabled` guard around it;
   * `preset`: a Bitnami `common.resources.preset` alternative, named by the values at that path. */
  | { kind: "values"; path: string[]; enabledPath?: string[]; preset?: string[]; offset: number }
  | { kind: "absent"; offset: number } // not in the template: offset = the container's first key, where a hook would go
  | { kind: "unknown"; offset: number; reason: string };
export interface ChartContainer {
  chart: string;
  template: string;
  workloadKind: string;
  workloadOffset: number;
  list: "containers" | "initContainers";
  /** literal name, or the template text such as `{{ .Chart.Name }}` */
  name: string;
  /** The container item's first key in the template. */
  offset: number;
  fields: Record<HookedField, FieldSource>;
  /** Pod-level spec.securityContext. */
  podSecurityContext: FieldSource;
  /** Literal ones; a templated containerPort or name is left out. */
  ports: { name?: string; containerPort?: number }[];
}
export interface ChartTemplates {
  root: string;
  templates: readonly { path: string; text: string }[];
}

const POD_TEMPLATE_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ["Deployment", ["spec", "template", "spec"]],
  ["StatefulSet", ["spec", "template", "spec"]],
  ["DaemonSet", ["spec", "template", "spec"]],
  ["ReplicaSet", ["spec", "template", "spec"]],
  ["Job", ["spec", "template", "spec"]],
  ["CronJob", ["spec", "jobTemplate", "spec", "template", "spec"]],
]);
const LISTS = ["containers", "initContainers"] as const;
const MAX_INCLUDE_DEPTH = 4;

/** A template (or a define body within one) and what its output actions write. */
interface Source {
  text: string;
  bare: string; // every action blanked, all branches kept
  sk: TemplateSkeleton;
  values: Map<number, ActionValue>;
}
type Helpers = ReadonlyMap<string, { sk: TemplateSkeleton; text: string; bare: string; at: number }>;
type Found = FieldSource | { kind: "preset"; path: string[]; offset: number };

const columnOf = (text: string, offset: number): number => offset - (text.lastIndexOf("\n", offset - 1) + 1);
const bareOf = (sk: TemplateSkeleton, text: string): string => {
  const chars = text.split("");
  for (const a of sk.actions) for (let k = a.start; k < a.end; k++) if (chars[k] !== "\n") chars[k] = " ";
  return chars.join("");
};
const actionText = (text: string, a: { start: number; end: number }): string => text.slice(a.start, a.end).replace(/\s+/g, " ");

/** Where the block whose keys start at column `column` (first key at `from`) ends: the next line indented less. */
function blockEnd(masked: string, from: number, column: number): number {
  const re = /\n([ \t]*)(?=[^ \t\r\n])/g;
  re.lastIndex = from;
  for (let m = re.exec(masked); m !== null; m = re.exec(masked)) if (m[1]!.length < column) return m.index + 1;
  return masked.length;
}

/** The keys written at `column` in [from, to), every if/else branch included. */
function keysAt(bare: string, from: number, to: number, column: number): { key: string; offset: number }[] {
  const keys: { key: string; offset: number }[] = [];
  const re = /^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w.-]*):(?=[ \t\r\n]|$)/gm;
  re.lastIndex = from - columnOf(bare, from);
  for (let m = re.exec(bare); m !== null && m.index < to; m = re.exec(bare)) {
    const offset = m.index + m[1]!.length;
    if (offset >= from && m[1]!.length === column) keys.push({ key: m[2]!, offset });
  }
  return keys;
}

/** The column a block output writes at: its `nindent`/`indent` count, else where it stands. */
function levelOf(src: Source, i: number): number {
  const t = src.sk.actions[i]!.tokens;
  const k = t.findIndex((token) => token === "nindent" || token === "indent");
  const n = k < 0 ? NaN : Number(t[k + 1]);
  return Number.isInteger(n) ? n : columnOf(src.text, src.sk.actions[i]!.start);
}

function helperSource(helpers: Helpers, name: string, arg: Val): { src: Source; from: number; to: number } | undefined {
  const h = helpers.get(name);
  if (h === undefined || arg.k === "unknown") return undefined;
  const to = h.sk.ends[h.at] ?? h.sk.actions.length;
  const src: Source = { text: h.text, bare: h.bare, sk: h.sk, values: actionValues(h.sk, h.at + 1, to, arg) };
  return { src, from: h.sk.actions[h.at]!.end, to: h.sk.actions[to]?.start ?? h.text.length };
}

/** What one occurrence of a key writes: the block outputs in its value, else its literal text. */
function occurrence(src: Source, helpers: Helpers, keyOffset: number, valueEnd: number, column: number, at: number, depth: number): Found {
  let result: Found | undefined;
  let unknown: Found | undefined;
  src.sk.actions.forEach((a, i) => {
    const out = src.values.get(i);
    if (out === undefined || a.start < keyOffset || a.start >= valueEnd) return;
    // The value is what the block outputs below the key write, or an output right after it (`key: {{ toJson … }}`).
    const rightAfter = /^[^\s:]+:[ \t]*$/.test(src.bare.slice(keyOffset, a.start));
    if (!rightAfter && !(a.block && levelOf(src, i) > column)) return;
    const v = out.value;
    const reads = out.guards.flat();
    if (v.k === "values" && v.path.length > 0 && (result === undefined || result.kind !== "values")) {
      const enabled = reads.find((p) => p.length === v.path.length + 1 && p.at(-1) === "enabled" && v.path.every((key, k) => p[k] === key));
      result = { kind: "values", path: [...v.path], ...(enabled ? { enabledPath: [...enabled] } : {}), offset: at };
    } else if (v.k === "preset") result ??= { kind: "preset", path: [...v.path], offset: at };
    else if (v.k === "include" && depth < MAX_INCLUDE_DEPTH) {
      const helper = helperSource(helpers, v.name, v.arg);
      const inner = helper && [...helper.src.values].find(([j, o]) => o.value.k === "values" && helper.src.sk.actions[j]!.block)?.[1].value;
      if (inner?.k === "values") result ??= { kind: "values", path: [...inner.path], offset: at };
      else if (helper && helper.src.bare.slice(helper.from, helper.to).trim() !== "") result ??= { kind: "template", offset: at };
      else unknown ??= { kind: "unknown", offset: at, reason: helper ? `include "${v.name}" writes nothing followed` : `include "${v.name}" of a helper that is not read` };
    } else unknown ??= { kind: "unknown", offset: at, reason: `${actionText(src.text, a)} is not followed` };
  });
  return result ?? unknown ?? { kind: "template", offset: at };
}

/**
 * The sources of `fields` in the map whose keys stand at `column` in [from, to): each key written there
 * (in any if/else branch), else what block outputs at key level (an include of a helper) write.
 */
function mapFields(src: Source, helpers: Helpers, from: number, to: number, column: number, fields: readonly string[], at: number | undefined, depth: number): Map<string, FieldSource> {
  const keys = keysAt(src.bare, from, to, column);
  const result = new Map<string, FieldSource>();
  for (const name of fields) {
    const found = keys.flatMap((key, k) => (key.key === name ? [occurrence(src, helpers, key.offset, keys[k + 1]?.offset ?? to, column, at ?? key.offset, depth)] : []));
    const values = found.filter((f): f is Extract<Found, { kind: "values" }> => f.kind === "values");
    // Bitnami's `if .Values.customLivenessProbe` alternative yields to the `livenessProbe` map itself.
    const score = (f: { path: string[] }): number => (f.path.at(-1) === name ? 0 : f.path.at(-1)?.startsWith("custom") ? 2 : 1);
    const best = values.sort((a, b) => score(a) - score(b))[0];
    const preset = found.find((f) => f.kind === "preset")?.path;
    if (best) result.set(name, { ...best, ...(preset ? { preset } : {}) });
    else {
      const first = found.find((f) => f.kind === "template") ?? found.find((f) => f.kind === "unknown");
      if (first) result.set(name, first);
      else if (preset) result.set(name, { kind: "unknown", offset: found[0]!.offset, reason: "only a resources preset" });
    }
  }
  // Outputs at this map's key level may write the missing ones (a lesser level writes a sibling or parent).
  src.sk.actions.forEach((a, i) => {
    const out = src.values.get(i);
    if (out === undefined || !a.block || a.start < from || a.start >= to || levelOf(src, i) !== column) return;
    const offset = at ?? a.start;
    const missing = fields.filter((name) => !result.has(name));
    const helper = out.value.k === "include" && depth < MAX_INCLUDE_DEPTH ? helperSource(helpers, out.value.name, out.value.arg) : undefined;
    if (helper) {
      const inner = helper.src.bare.slice(helper.from, helper.to);
      const keyColumn = Math.min(...[...inner.matchAll(/^([ \t]*)[A-Za-z_][\w.-]*:/gm)].map((m) => m[1]!.length));
      const found = mapFields(helper.src, helpers, helper.from, helper.to, keyColumn, missing, offset, depth + 1);
      for (const [name, source] of found) if (source.kind !== "absent") result.set(name, source);
      return;
    }
    const v = out.value;
    const reason = v.k !== "include" ? `${actionText(src.text, a)} may write it` : helpers.has(v.name) ? `include "${v.name}" is not followed` : `include "${v.name}" of a helper that is not read`;
    for (const name of missing) result.set(name, { kind: "unknown", offset, reason });
  });
  for (const name of fields) if (!result.has(name)) result.set(name, { kind: "absent", offset: at ?? from });
  return result;
}

const templated = (src: Source, masked: string, node: YamlScalar): boolean => masked.slice(node.offset, node.end) !== src.text.slice(node.offset, node.end);

function containersOfTemplate(root: string, path: string, text: string, helpers: Helpers): ChartContainer[] {
  const sk = templateSkeleton(text);
  const src: Source = { text, bare: bareOf(sk, text), sk, values: actionValues(sk, 0, sk.actions.length, ROOT) };
  const broken = sk.actions.find((a) => !a.closed);
  const containers: ChartContainer[] = [];
  for (const doc of composeYaml(sk.text).documents) {
    const workloadKind = isScalar(get(doc.root, "kind")) ? (get(doc.root, "kind") as YamlScalar).text : "";
    const specPath = POD_TEMPLATE_PATHS.get(workloadKind);
    const spec = specPath && getIn(doc.root, specPath);
    if (!isMap(spec) || !isMap(doc.root)) continue;
    const sources = (map: YamlMap, fields: readonly string[]): Map<string, FieldSource> => {
      const column = columnOf(text, map.offset);
      const found = mapFields(src, helpers, map.offset, blockEnd(sk.text, map.offset, column), column, fields, undefined, 0);
      // Helm refuses a template with an unclosed action: nothing about it is sure.
      if (broken) for (const name of fields) found.set(name, { kind: "unknown", offset: found.get(name)!.offset, reason: `unclosed action at offset ${broken.start}` });
      return found;
    };
    const podSecurityContext = sources(spec, ["securityContext"]).get("securityContext")!;
    const items = LISTS.flatMap((list) => seqItems(get(spec, list)).map((item) => ({ list, item })));
    for (const { list, item } of items.sort((a, b) => a.item.offset - b.item.offset)) {
      if (!isMap(item)) continue;
      const nameNode = get(item, "name");
      const name = !isScalar(nameNode) ? "" : templated(src, sk.text, nameNode) ? text.slice(nameNode.offset, nameNode.end) : nameNode.text;
      const ports = seqItems(get(item, "ports")).flatMap((port) => {
        if (!isMap(port)) return [];
        const [portName, number] = [get(port, "name"), get(port, "containerPort")];
        return [{
          ...(isScalar(portName) && !templated(src, sk.text, portName) ? { name: portName.text } : {}),
          ...(isScalar(number) && typeof number.value === "number" && !templated(src, sk.text, number) ? { containerPort: number.value } : {}),
        }];
      });
      const fields = Object.fromEntries(sources(item, HOOKED_FIELDS)) as Record<HookedField, FieldSource>;
      containers.push({ chart: root, template: path, workloadKind, workloadOffset: doc.root.offset, list, name, offset: item.offset, fields, podSecurityContext, ports });
    }
  }
  return containers;
}

/** The containers of the chart's own workloads (`<root>/templates/`, not `_*` helpers nor subcharts), in file order. */
export function chartContainers(chart: ChartTemplates): ChartContainer[] {
  const prefix = chart.root === "" ? "templates/" : `${chart.root}/templates/`;
  const own = chart.templates.filter((t) => t.path.startsWith(prefix));
  const helpers = new Map<string, { sk: TemplateSkeleton; text: string; bare: string; at: number }>();
  // Defines are global in helm: subcharts' count too, the chart's own first.
  for (const t of [...own, ...chart.templates.filter((t) => !t.path.startsWith(prefix))]) {
    const sk = templateSkeleton(t.text);
    const bare = bareOf(sk, t.text);
    sk.actions.forEach((a, at) => {
      const name = a.tokens[0] === "define" ? a.tokens[1] : undefined;
      if (name?.[0] === '"' && !helpers.has(name.slice(1))) helpers.set(name.slice(1), { sk, text: t.text, bare, at });
    });
  }
  return own
    .filter((t) => /\.(ya?ml|tpl)$/.test(t.path) && !t.path.slice(t.path.lastIndexOf("/") + 1).startsWith("_"))
    .flatMap((t) => {
      try {
        return containersOfTemplate(chart.root, t.path, t.text, helpers);
      } catch {
        return []; // never throw on odd input
      }
    });
}
