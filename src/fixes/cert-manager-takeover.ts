import { describeObject } from "../certs/describe.js";
import { ingressIssuerAnnotation } from "../model/cert-manager.js";
import { isIngress, listInSentence } from "../model/ingress.js";
import type { Resource } from "../model/resource.js";
import { get, getIn, getText, isMap, isScalar, seqItems } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ResourceFix } from "./types.js";

interface TakeoverTemplate {
  explanation: string;
  risk: string;
  words: { inNamespace: string; others: string };
  reasons: { noIngress: string; noIssuer: string; managed: string; noHosts: string };
}

/**
 * Hands an expiring static certificate in a Secret to cert-manager: the
 * Ingress that serves the Secret (the finding's `fixOn`, the object this fix
 * edits) gets the configured issuer's annotation, so that cert-manager's
 * ingress-shim issues the Secret from then on. The finding stays until
 * people delete the static Secret, as the risk says: the edit does not
 * resolve it by itself.
 */
export const certManagerTakeoverFix: ResourceFix = {
  name: "cert-manager-takeover",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource, _params, settings, subject) {
    const template = fixTemplate<TakeoverTemplate>("cert-manager-takeover");
    const secret = subject.resource?.kind === "Secret" ? subject.resource.name : undefined;
    const entries = isIngress(resource) ? tlsEntriesOf(resource) : [];
    const serving = entries.filter((entry) => entry.secretName === secret);
    if (secret === undefined || serving.length === 0) return { ok: false, reason: template.reasons.noIngress };
    const words = { secret, ingress: describeObject(resource), file: subject.file };

    const annotation = ingressIssuerAnnotation(resource, settings.certificates.issuer);
    if (annotation?.existing) return { ok: false, reason: fillText(template.reasons.managed, { ...words, annotation: annotation.key }) };
    if (serving.every((entry) => entry.hosts.length === 0)) return { ok: false, reason: fillText(template.reasons.noHosts, words) };
    if (!annotation) return { ok: false, reason: template.reasons.noIssuer };

    const namespaced = annotation.key === "cert-manager.io/issuer";
    const issuerWords = { annotation: annotation.key, issuer: annotation.value, kind: namespaced ? "Issuer" : "ClusterIssuer", where: namespaced ? template.words.inNamespace : "" };
    // The annotation reaches every tls entry of the Ingress: cert-manager issues their Secrets too.
    const others = [...new Set(entries.map((entry) => entry.secretName).filter((name) => name !== secret))].sort();
    const othersNote = others.length > 0 ? fillText(template.words.others, { secrets: listInSentence(others.map((name) => `Secret "${name}"`)) }) : "";
    return {
      ok: true,
      plan: {
        changes: [{ path: [...resource.path, "metadata", "annotations", annotation.key], value: annotation.value }],
        explanation: fillText(template.explanation, { ...words, ...issuerWords, others: othersNote }),
        risk: fillText(template.risk, issuerWords),
        risky: false,
        resolvesFinding: false,
      },
    };
  },
  reasonWithoutObject() {
    return fixTemplate<TakeoverTemplate>("cert-manager-takeover").reasons.noIngress;
  },
};

/** An Ingress's tls entries that name a Secret, with the hosts each lists. */
function tlsEntriesOf(ingress: Resource): { secretName: string; hosts: string[] }[] {
  return seqItems(getIn(ingress.node, ["spec", "tls"]))
    .filter(isMap)
    .flatMap((entry) => {
      const secretName = getText(entry, "secretName");
      if (secretName === undefined || secretName === "") return [];
      const hosts = seqItems(get(entry, "hosts")).flatMap((host) => (isScalar(host) && host.value !== null && host.text !== "" ? [host.text] : []));
      return [{ secretName, hosts }];
    });
}
