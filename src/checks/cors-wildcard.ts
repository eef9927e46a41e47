import { isIngress } from "../model/ingress.js";
import { getMap, getPair, getText } from "../yaml/nodes.js";
import { namedValuesOf, nameWords } from "./data-values.js";
import { NO_PARAMS, type Hit, type ResourceCheck } from "./types.js";

/** Names (as words, and as the end of longer names: API_CORS_ORIGINS) that hold the origins CORS allows. */
const CORS_NAMES = ["CORS ORIGINS", "CORS ORIGIN", "CORS ALLOWED ORIGINS", "CORS ALLOW ORIGINS", "CORS ALLOW ORIGIN", "ALLOWED ORIGINS", "ACCESS CONTROL ALLOW ORIGIN"];
const ENABLE_CORS = "nginx.ingress.kubernetes.io/enable-cors";
const CORS_ALLOW_ORIGIN = "nginx.ingress.kubernetes.io/cors-allow-origin";

export function namesCorsOrigins(name: string): boolean {
  const words = ` ${nameWords(name).join(" ")}`;
  return CORS_NAMES.some((cors) => words.endsWith(` ${cors}`));
}

/** `*`, or a list (commas, spaces, a JSON array) with `*` in it. */
export function allowsAnyOrigin(value: string): boolean {
  return value
    .split(/[\s,;[\]"']+/)
    .some((origin) => origin === "*");
}

/**
 * Origins set to `*`: in an env entry or a ConfigMap data key named like
 * CORS_ORIGINS or ALLOWED_ORIGINS, or by ingress-nginx's
 * `enable-cors: "true"` with `cors-allow-origin` `*` or unset (its default is `*`).
 */
export const corsWildcard: ResourceCheck = {
  name: "cors-wildcard",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    if (isIngress(resource)) return ingressHits(resource.node, resource.name);
    return namedValuesOf(resource)
      .filter(({ name, value }) => namesCorsOrigins(name) && allowsAnyOrigin(value.text))
      .map(({ name, value, where }) => ({
        offset: value.offset,
        message: `${where} to allow any origin (*): any website can make browsers send requests to it and read the answers`,
        detail: `${where}`,
      }));
  },
};

function ingressHits(node: Parameters<typeof getMap>[0], name: string): Hit[] {
  const annotations = getMap(getMap(node, "metadata"), "annotations");
  const enable = getPair(annotations, ENABLE_CORS);
  if (!enable || (getText(annotations, ENABLE_CORS) ?? "").toLowerCase() !== "true") return [];
  const origin = getPair(annotations, CORS_ALLOW_ORIGIN);
  if (!origin) {
    return [{ offset: enable.key.offset, message: `Ingress "${name}" enables CORS without ${CORS_ALLOW_ORIGIN}, and ingress-nginx then allows any origin (*)`, detail: "cors-allow-origin" }];
  }
  if (!allowsAnyOrigin(getText(annotations, CORS_ALLOW_ORIGIN) ?? "")) return [];
  return [{ offset: origin.value.offset, message: `Ingress "${name}" allows CORS from any origin (*) in ${CORS_ALLOW_ORIGIN}`, detail: "cors-allow-origin" }];
}
