import { CONTAINER_LISTS, containersOf, podSpecOf } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { get, getMap, isMap, isScalar, seqItems, type YamlMap, type YamlScalar } from "../yaml/nodes.js";

/** A literal string value a workload or a ConfigMap sets under a name: an env entry's `value`, or a ConfigMap `data` key. */
export interface NamedValue {
  name: string;
  value: YamlScalar;
  /** Where, for a message: `container "api" sets NAME` or `ConfigMap "app" sets NAME`. */
  where: string;
}

/** The literal env values of every container of a pod spec (entries with `valueFrom` have no literal). */
export function envValues(containerName: string, containerNode: YamlMap): NamedValue[] {
  const values: NamedValue[] = [];
  for (const entry of seqItems(get(containerNode, "env"))) {
    if (!isMap(entry)) continue;
    const name = get(entry, "name");
    const value = get(entry, "value");
    if (!isScalar(name) || name.value === null || !isScalar(value) || value.value === null) continue;
    values.push({ name: name.text, value, where: `container "${containerName}" sets ${name.text}` });
  }
  return values;
}

/** The literal values an object sets by name: env entries of all its containers, or a v1 ConfigMap's `data`. */
export function namedValuesOf(resource: Resource): NamedValue[] {
  if (resource.kind === "ConfigMap" && resource.apiVersion === "v1") {
    const data = getMap(resource.node, "data");
    if (!data) return [];
    const values: NamedValue[] = [];
    for (const [key, pair] of data.pairs) {
      if (isScalar(pair.value) && pair.value.value !== null) values.push({ name: key, value: pair.value, where: `ConfigMap "${resource.name}" sets ${key}` });
    }
    return values;
  }
  const pod = podSpecOf(resource);
  if (!pod) return [];
  return containersOf(pod, CONTAINER_LISTS).flatMap((container) => envValues(container.name, container.node));
}

/** Words of a variable name: `dbPassword`, `DB_PASSWORD`, `db-password` and `db.password` all give DB, PASSWORD. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== "");
}

/** A value that is filled in elsewhere: `$(VAR)` (Kubernetes), `${VAR}` (envsubst, Flux substitution), `{{ … }}` (templates). */
export function isSubstitution(text: string): boolean {
  const trimmed = text.trim();
  return /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(trimmed) || /^\$\{[^}]+\}$/.test(trimmed) || /^\{\{.*\}\}$/s.test(trimmed);
}
