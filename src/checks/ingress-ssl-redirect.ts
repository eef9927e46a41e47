import { isIngress } from "../model/ingress.js";
import { get, getMap, getPair, getText, seqItems } from "../yaml/nodes.js";
import { asWritten } from "./describe.js";
import { NO_PARAMS, type ResourceCheck } from "./types.js";

export const SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect";
const FORCE_SSL_REDIRECT = "nginx.ingress.kubernetes.io/force-ssl-redirect";

/**
 * An Ingress with tls that turns ingress-nginx's HTTP → HTTPS redirect off
 * (`nginx.ingress.kubernetes.io/ssl-redirect: "false"`), unless
 * `force-ssl-redirect: "true"` redirects anyway.
 */
export const ingressSslRedirect: ResourceCheck = {
  name: "ingress-ssl-redirect",
  scope: "resource",
  paramsSchema: NO_PARAMS,
  run(resource) {
    if (!isIngress(resource)) return [];
    if (seqItems(get(getMap(resource.node, "spec"), "tls")).length === 0) return [];
    const annotations = getMap(getMap(resource.node, "metadata"), "annotations");
    const redirect = getPair(annotations, SSL_REDIRECT);
    if (!redirect || (getText(annotations, SSL_REDIRECT) ?? "").toLowerCase() !== "false") return [];
    if ((getText(annotations, FORCE_SSL_REDIRECT) ?? "").toLowerCase() === "true") return [];
    return [
      {
        offset: redirect.value.offset,
        message: `Ingress "${resource.name}" has tls but sets ${SSL_REDIRECT}: ${asWritten(redirect)}, so ingress-nginx serves its hosts over plain HTTP too`,
        detail: "ssl-redirect",
      },
    ];
  },
};
