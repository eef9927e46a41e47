import { ingressRuleHosts, isIngress, listInSentence } from "../model/ingress.js";
import { get, getMap, getPair, getText, seqItems } from "../yaml/nodes.js";
import type { ResourceCheck } from "./types.js";

/**
 * An Ingress with rules must terminate TLS: a non-empty `spec.tls`, or one of
 * the annotations (`params.tlsAnnotations`) by which cloud load balancers take
 * their certificate from elsewhere (AWS ACM, GCP managed certificates).
 */
export const ingressTls: ResourceCheck = {
  name: "ingress-tls",
  scope: "resource",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    properties: { tlsAnnotations: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1 } } },
  },
  run(resource, params) {
    if (!isIngress(resource)) return [];
    const spec = getMap(resource.node, "spec");
    const rules = getPair(spec, "rules");
    if (!rules || seqItems(rules.value).length === 0) return [];
    if (seqItems(get(spec, "tls")).length > 0) return [];
    const annotations = getMap(getMap(resource.node, "metadata"), "annotations");
    const tlsAnnotations = (params.tlsAnnotations as string[] | undefined) ?? [];
    if (tlsAnnotations.some((key) => (getText(annotations, key) ?? "") !== "")) return [];
    const hosts = ingressRuleHosts(resource);
    const message =
      hosts.length === 0
        ? "Ingress has rules but no tls, and no rule names a host: it is served over plain HTTP only"
        : `Ingress has rules but no tls: ${listInSentence(hosts)} ${hosts.length === 1 ? "is" : "are"} served over plain HTTP only`;
    return [{ offset: rules.key.offset, message, detail: "tls" }];
  },
};
