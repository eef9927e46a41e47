import { ingressIssuerAnnotation } from "../model/cert-manager.js";
import { ingressRuleHosts, isIngress, listInSentence } from "../model/ingress.js";
import { getMap, getText } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { DataChange, ResourceFix } from "./types.js";

interface IngressTlsTemplate {
  explanation: { issuer: string; existingIssuer: string; noIssuer: string };
  risk: { issuer: string; defaultIssuer: string; noIssuer: string };
  words: { inNamespace: string };
  reasons: { notIngress: string; noHosts: string; noName: string };
}

/**
 * Adds `spec.tls` for the hosts of an Ingress's rules, with the Secret
 * `<name>-tls`. When the config names a cert-manager issuer, it also adds
 * the annotation that has cert-manager issue the certificate into that
 * Secret; without one the Secret must be made by hand, so the fix is risky.
 */
export const ingressTlsFix: ResourceFix = {
  name: "ingress-tls",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource, _params, settings) {
    const template = fixTemplate<IngressTlsTemplate>("ingress-tls");
    if (!isIngress(resource)) return { ok: false, reason: template.reasons.notIngress };
    const hosts = ingressRuleHosts(resource);
    if (hosts.length === 0) return { ok: false, reason: template.reasons.noHosts };
    const metadata = getMap(resource.node, "metadata");
    const name = getText(metadata, "name");
    if (name === undefined || name === "") return { ok: false, reason: template.reasons.noName };
    const secretName = `${name}-tls`;
    const changes: DataChange[] = [{ path: [...resource.path, "spec", "tls"], value: [{ hosts, secretName }] }];
    const words = { hosts: listInSentence(hosts), secretName };

    const annotation = ingressIssuerAnnotation(resource, settings.certificates.issuer);
    if (annotation) {
      // An annotation the Ingress already has for cert-manager stays as it is; otherwise the configured issuer's is added.
      if (!annotation.existing) changes.push({ path: [...resource.path, "metadata", "annotations", annotation.key], value: annotation.value });
      const explanation = annotation.existing
        ? fillText(template.explanation.existingIssuer, { ...words, annotation: annotation.key })
        : fillText(template.explanation.issuer, { ...words, annotation: annotation.key, issuer: annotation.value });
      return { ok: true, plan: { changes, explanation, risk: issuerRisk(template, annotation.key, annotation.value, words), risky: false } };
    }
    return { ok: true, plan: { changes, explanation: fillText(template.explanation.noIssuer, words), risk: fillText(template.risk.noIssuer, words), risky: true } };
  },
};

function issuerRisk(template: IngressTlsTemplate, annotation: string, issuer: string, words: Record<string, string>): string {
  if (annotation === "kubernetes.io/tls-acme") return fillText(template.risk.defaultIssuer, words);
  const namespaced = annotation === "cert-manager.io/issuer";
  return fillText(template.risk.issuer, { ...words, kind: namespaced ? "Issuer" : "ClusterIssuer", issuer, where: namespaced ? template.words.inNamespace : "" });
}
