import { listInSentence } from "../model/ingress.js";
import { getMap, getPair, getText, isScalar, type YamlMap } from "../yaml/nodes.js";
import { isSubstitution } from "./data-values.js";
import { NO_PARAMS, type ResourceCheck } from "./types.js";

/** How many key names a message lists before it counts the rest. */
const MAX_KEYS_NAMED = 5;

/**
 * A v1 Secret committed with values in `data` (base64, an encoding) or
 * `stringData` (plain text): one finding per Secret, at `data` (or
 * `stringData` when it has no data). Empty values, and stringData values
 * that are substitutions filled in at deploy time (`${VAR}`), do not count.
 * SealedSecrets and ExternalSecrets are other kinds and never match.
 */
export const secretPlaintext: ResourceCheck = {
  name: "secret-plaintext",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    if (resource.kind !== "Secret" || resource.apiVersion !== "v1") return [];
    const data = keysWithValues(getMap(resource.node, "data"), false);
    const stringData = keysWithValues(getMap(resource.node, "stringData"), true);
    if (data.length === 0 && stringData.length === 0) return [];
    const anchor = getPair(resource.node, data.length > 0 ? "data" : "stringData");
    if (!anchor) return [];
    const type = getText(resource.node, "type");
    const parts = [
      ...(data.length > 0 ? [`${named(data)} in data (base64, readable by anyone)`] : []),
      ...(stringData.length > 0 ? [`${named(stringData)} in stringData (plain text)`] : []),
    ];
    return [
      {
        offset: anchor.key.offset,
        message: `Secret "${resource.name}"${type ? ` (${type})` : ""} is committed unencrypted: ${parts.join(" and ")}`,
        detail: "data",
      },
    ];
  },
};

function keysWithValues(map: YamlMap | undefined, plainText: boolean): string[] {
  if (!map) return [];
  return [...map.pairs].filter(([, pair]) => !isScalar(pair.value) || (pair.value.value !== null && pair.value.text !== "" && !(plainText && isSubstitution(pair.value.text)))).map(([key]) => key);
}

function named(keys: readonly string[]): string {
  const label = keys.length === 1 ? "key" : "keys";
  const quoted = keys.map((key) => `"${key}"`);
  if (keys.length <= MAX_KEYS_NAMED) return `${label} ${listInSentence(quoted)}`;
  return `${label} ${quoted.slice(0, MAX_KEYS_NAMED).join(", ")} and ${keys.length - MAX_KEYS_NAMED} more`;
}
