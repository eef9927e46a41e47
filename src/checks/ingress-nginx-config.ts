import type { Resource } from "../model/resource.js";
import { getMap, getPair, isScalar, type YamlPair } from "../yaml/nodes.js";

/** The names the ingress-nginx controller's ConfigMap usually has: `ingress-nginx-controller` (Helm chart), `nginx-configuration` (old manifests). */
export const INGRESS_NGINX_CONFIG_NAMES = ["ingress-nginx", "nginx-configuration"];

export const CONFIG_NAMES_PARAMS = {
  type: "object",
  additionalProperties: false,
  properties: { names: { type: "array", uniqueItems: true, minItems: 1, items: { type: "string", minLength: 1 } } },
} as const;

/** A v1 ConfigMap whose name contains one of `names` (default: INGRESS_NGINX_CONFIG_NAMES). */
export function isIngressNginxConfig(resource: Resource, names: readonly string[] | undefined): boolean {
  if (resource.kind !== "ConfigMap" || resource.apiVersion !== "v1") return false;
  return (names ?? INGRESS_NGINX_CONFIG_NAMES).some((part) => resource.name.includes(part));
}

/** A `data` key of the ConfigMap, when its value is a scalar that is not null. */
export function configValue(resource: Resource, key: string): YamlPair | undefined {
  const pair = getPair(getMap(resource.node, "data"), key);
  return pair && isScalar(pair.value) && pair.value.value !== null ? pair : undefined;
}

/** The decoded text of a scalar pair's value (`false` and `"false"` alike). */
export function pairText(pair: YamlPair): string {
  return isScalar(pair.value) ? pair.value.text : "";
}
