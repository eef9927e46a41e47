import { DAY_MS, parseGoDuration } from "../config/go-duration.js";
import type { CertificateSettings } from "../config/types.js";
import { getMap, getPair, getText, isScalar, type YamlScalar } from "../yaml/nodes.js";
import type { Resource } from "./resource.js";

/** What cert-manager issues when a Certificate sets no duration: 90 days. */
export const CERT_MANAGER_DEFAULT_DURATION_MS = 90 * DAY_MS;

/** A cert-manager Certificate (cert-manager.io/v1, its alphas and betas, and the old certmanager.k8s.io group). */
export function isCertManagerCertificate(resource: Pick<Resource, "apiVersion" | "kind">): boolean {
  return resource.kind === "Certificate" && (resource.apiVersion.startsWith("cert-manager.io/") || resource.apiVersion.startsWith("certmanager.k8s.io/"));
}

/** A duration field as written: its text, its value (undefined when Go would refuse it), and its scalar, to point at. */
export interface WrittenDuration {
  text: string;
  ms: number | undefined;
  node: YamlScalar;
}

/** A percentage field (`renewBeforePercentage`) as written. */
export interface WrittenPercentage {
  text: string;
  value: number | undefined;
  node: YamlScalar;
}

/** A Certificate's lifetime and renewal settings; each is undefined when it is not written (or null). */
export interface CertificateTiming {
  duration: WrittenDuration | undefined;
  renewBefore: WrittenDuration | undefined;
  renewBeforePercentage: WrittenPercentage | undefined;
}

export function certificateTiming(resource: Resource): CertificateTiming {
  const spec = getMap(resource.node, "spec");
  const scalar = (key: string): YamlScalar | undefined => {
    const value = getPair(spec, key)?.value;
    return isScalar(value) && value.value !== null ? value : undefined;
  };
  const duration = (key: string): WrittenDuration | undefined => {
    const node = scalar(key);
    return node ? { text: node.text, ms: parseGoDuration(node.text), node } : undefined;
  };
  const percentage = scalar("renewBeforePercentage");
  return {
    duration: duration("duration"),
    renewBefore: duration("renewBefore"),
    renewBeforePercentage: percentage ? { text: percentage.text, value: typeof percentage.value === "number" ? percentage.value : undefined, node: percentage } : undefined,
  };
}

/** The annotations by which cert-manager's ingress-shim issues the certificates of an Ingress's tls entries. */
const ISSUER_ANNOTATIONS = ["cert-manager.io/cluster-issuer", "cert-manager.io/issuer", "kubernetes.io/tls-acme"] as const;

/**
 * How an Ingress gets its certificates from cert-manager: the annotation it
 * already has for it (`existing`, kept as written), else the one to add for
 * the configured issuer (`cert-manager.io/issuer` for `kind: Issuer`,
 * `cert-manager.io/cluster-issuer` otherwise); undefined when it has none and
 * none is configured. `kubernetes.io/tls-acme` counts only when "true".
 */
export function ingressIssuerAnnotation(ingress: Resource, configured: CertificateSettings["issuer"]): { key: string; value: string; existing: boolean } | undefined {
  const annotations = getMap(getMap(ingress.node, "metadata"), "annotations");
  for (const key of ISSUER_ANNOTATIONS) {
    const value = getText(annotations, key);
    if (value !== undefined && value !== "" && (key !== "kubernetes.io/tls-acme" || value === "true")) return { key, value, existing: true };
  }
  if (!configured) return undefined;
  const key = configured.kind === "Issuer" ? "cert-manager.io/issuer" : "cert-manager.io/cluster-issuer";
  return { key, value: configured.name, existing: false };
}
