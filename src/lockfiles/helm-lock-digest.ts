import { createHash } from "node:crypto";
import { isMap, isScalar, isSeq, type YamlNode } from "../yaml/nodes.js";
import { GoStruct, goJsonMarshal, type GoJsonValue } from "./go-json.js";

/** Helm's chart.Dependency (pkg/chart/dependency.go), as Go holds it once loaded. */
export interface HelmDependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[] | null;
  enabled: boolean;
  importValues: GoJsonValue[] | null;
  alias: string;
}

/** A dependency list as Go holds it: `null` when the key is missing (a nil slice marshals as `null`). */
export type HelmDependencies = HelmDependency[] | null;

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const GO_PRINT = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** Helm's sanitizeString: Unicode spaces become ' ', other non-printable characters are dropped. */
export function sanitizeHelmString(value: string): string {
  let out = "";
  for (const char of value) {
    if (GO_SPACE.test(char)) out += " ";
    else if (GO_PRINT.test(char)) out += char;
  }
  return out;
}

/** What Dependency.Validate does to a Chart.yaml dependency (lock entries are not validated). */
export function sanitizeHelmDependency(dep: HelmDependency): HelmDependency {
  return {
    ...dep,
    name: sanitizeHelmString(dep.name),
    version: sanitizeHelmString(dep.version),
    repository: sanitizeHelmString(dep.repository),
    condition: sanitizeHelmString(dep.condition),
    tags: dep.tags && dep.tags.map(sanitizeHelmString),
  };
}

/** The struct json.Marshal writes: field order and omitempty as Helm's json tags say. */
function dependencyStruct(dep: HelmDependency): GoStruct {
  const fields: Array<[string, GoJsonValue]> = [["name", dep.name]];
  if (dep.version !== "") fields.push(["version", dep.version]);
  fields.push(["repository", dep.repository]);
  if (dep.condition !== "") fields.push(["condition", dep.condition]);
  if (dep.tags && dep.tags.length > 0) fields.push(["tags", dep.tags]);
  if (dep.enabled) fields.push(["enabled", true]);
  if (dep.importValues && dep.importValues.length > 0) fields.push(["import-values", dep.importValues]);
  if (dep.alias !== "") fields.push(["alias", dep.alias]);
  return new GoStruct(fields);
}

const listOf = (deps: HelmDependencies): GoJsonValue => (deps === null ? null : deps.map(dependencyStruct));

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;

/** The JSON Helm hashes: json.Marshal([2][]*Dependency{req, lock}). */
export function helmHashInput(req: HelmDependencies, lock: HelmDependencies): string {
  return goJsonMarshal([listOf(req), listOf(lock)]);
}

/** resolver.HashReq: the digest `helm dependency update` writes into Chart.lock. */
export function helmHashReq(req: HelmDependencies, lock: HelmDependencies): string {
  return sha256(helmHashInput(req, lock));
}

/** resolver.HashV2Req: the digest Helm 2 wrote into requirements.lock (accepted for apiVersion v1 charts). */
export function helmHashV2Req(req: HelmDependencies): string {
  return sha256(goJsonMarshal({ dependencies: listOf(req) }));
}

/** A JSON value as sigs.k8s.io/yaml hands it to Go (for import-values items). */
function jsonValueOf(node: YamlNode): GoJsonValue {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map(jsonValueOf);
  const out: Record<string, GoJsonValue> = {};
  for (const [key, pair] of node.pairs) out[key] = jsonValueOf(pair.value);
  return out;
}

class NotLoadable extends Error {}

function stringField(node: YamlNode | undefined, field: string): string {
  if (node === undefined) return "";
  if (!isScalar(node)) throw new NotLoadable(`${field} is not a string`);
  return node.value === null ? "" : node.text;
}

function dependencyOf(node: YamlNode): HelmDependency {
  if (!isMap(node)) throw new NotLoadable("a dependency is not a mapping");
  const field = (key: string) => node.pairs.get(key)?.value;
  const tags = field("tags");
  const enabled = field("enabled");
  const importValues = field("import-values");
  if (tags !== undefined && !isSeq(tags) && !(isScalar(tags) && tags.value === null)) throw new NotLoadable("tags is not a list");
  if (enabled !== undefined && !(isScalar(enabled) && (typeof enabled.value === "boolean" || enabled.value === null))) throw new NotLoadable("enabled is not a boolean");
  if (importValues !== undefined && !isSeq(importValues) && !(isScalar(importValues) && importValues.value === null)) throw new NotLoadable("import-values is not a list");
  return {
    name: stringField(field("name"), "name"),
    version: stringField(field("version"), "version"),
    repository: stringField(field("repository"), "repository"),
    condition: stringField(field("condition"), "condition"),
    tags: isSeq(tags) ? tags.items.map((item) => stringField(item, "tags")) : null,
    enabled: isScalar(enabled) && enabled.value === true,
    importValues: isSeq(importValues) ? importValues.items.map(jsonValueOf) : null,
    alias: stringField(field("alias"), "alias"),
  };
}

/**
 * The `dependencies:` list of a Chart.yaml, requirements.yaml or lock file's
 * root as Go loads it, or undefined when Helm could not load it (a value of
 * the wrong type, a null entry).
 */
export function readHelmDependencies(root: YamlNode | undefined): HelmDependencies | undefined {
  if (root !== undefined && !isMap(root)) return undefined;
  const list = root?.pairs.get("dependencies")?.value;
  if (list === undefined || (isScalar(list) && list.value === null)) return null;
  if (!isSeq(list)) return undefined;
  try {
    return list.items.map(dependencyOf);
  } catch (error) {
    if (error instanceof NotLoadable) return undefined;
    throw error;
  }
}
