import { describe, expect, it } from "vitest";
import { rows, scan, tempTree, yaml } from "./helpers.js";

const RULE = "ingress-tls-missing";
const only = { rules: [RULE] };
const plainHttp = (hosts: string) => `Ingress has rules but no tls: ${hosts} served over plain HTTP only`;
const NO_HOST = "Ingress has rules but no tls, and no rule names a host: it is served over plain HTTP only";
const NO_HOST_REASON = "no rule of this Ingress names a host, and a certificate is issued for names: give its rules hosts, then add tls for them";

/** An Ingress of the given API version whose spec is `lines` (each written at two spaces). */
function ingress(name: string, spec: string[], { apiVersion = "networking.k8s.io/v1", metadata = [] as string[] } = {}): string {
  return yaml(`apiVersion: ${apiVersion}`, "kind: Ingress", "metadata:", `  name: ${name}`, ...metadata.map((line) => `  ${line}`), "spec:", ...spec.map((line) => `  ${line}`));
}

const RULES = ["rules:", "  - host: shop.example.com", "    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}"];

describe(RULE, () => {
  it("reports an Ingress of every served API version that has rules and no tls, at `rules:`, as high", () => {
    const root = tempTree({
      "v1.yaml": ingress("v1", RULES),
      "v1beta1.yaml": ingress("v1beta1", RULES, { apiVersion: "networking.k8s.io/v1beta1" }),
      "extensions.yaml": ingress("extensions", RULES, { apiVersion: "extensions/v1beta1" }),
      // Not Kubernetes' Ingress: another group's kind of the same name.
      "other.yaml": ingress("other", RULES, { apiVersion: "example.com/v1" }),
    });
    const findings = scan(root, only);
    expect(rows(findings)).toEqual([
      [RULE, "extensions.yaml", 6, 3, plainHttp("shop.example.com is")],
      [RULE, "v1.yaml", 6, 3, plainHttp("shop.example.com is")],
      [RULE, "v1beta1.yaml", 6, 3, plainHttp("shop.example.com is")],
    ]);
    expect(findings.map((f) => [f.severity, f.resource?.kind, f.resource?.name, f.fixable])).toEqual([
      ["high", "Ingress", "extensions", true],
      ["high", "Ingress", "v1", true],
      ["high", "Ingress", "v1beta1", true],
    ]);
  });

  it("names every host once, sorted; rules without a host add none", () => {
    const root = tempTree({
      "ingress.yaml": ingress("web", ["rules:", "  - host: www.example.com", "  - host: api.example.com", "  - http: {}", "  - host: www.example.com", "  - host: '*.example.com'"]),
    });
    expect(scan(root, only).map((f) => f.message)).toEqual([plainHttp("*.example.com, api.example.com and www.example.com are")]);
  });

  it("reports `tls: []` and an empty `tls:` as no tls", () => {
    const root = tempTree({
      "empty-list.yaml": ingress("empty-list", [...RULES, "tls: []"]),
      "null.yaml": ingress("null", [...RULES, "tls:"]),
    });
    expect(rows(scan(root, only))).toEqual([
      [RULE, "empty-list.yaml", 6, 3, plainHttp("shop.example.com is")],
      [RULE, "null.yaml", 6, 3, plainHttp("shop.example.com is")],
    ]);
  });

  it("accepts tls, no rules, and the annotations by which a cloud load balancer brings its own certificate", () => {
    const root = tempTree({
      "tls.yaml": ingress("tls", [...RULES, "tls:", "  - hosts: [shop.example.com]", "    secretName: shop-tls"]),
      "default-backend.yaml": ingress("default-backend", ["defaultBackend: {service: {name: web, port: {number: 80}}}"]),
      "empty-rules.yaml": ingress("empty-rules", ["rules: []"]),
      "acm.yaml": ingress("acm", RULES, { metadata: ["annotations:", "  alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:123456789012:certificate/abc"] }),
      "gke.yaml": ingress("gke", RULES, { metadata: ["annotations: {networking.gke.io/managed-certificates: shop-cert}"] }),
      "pre-shared.yaml": ingress("pre-shared", RULES, { metadata: ["annotations: {ingress.gcp.kubernetes.io/pre-shared-cert: shop}"] }),
      "appgw.yaml": ingress("appgw", RULES, { metadata: ["annotations: {appgw.ingress.kubernetes.io/appgw-ssl-certificate: shop}"] }),
      // An empty value brings no certificate.
      "empty-arn.yaml": ingress("empty-arn", RULES, { metadata: ['annotations: {alb.ingress.kubernetes.io/certificate-arn: ""}'] }),
      "ignored.yaml": ingress("ignored", RULES, { metadata: ["annotations: {shipshape.dev/ignore: ingress-tls-missing}"] }),
    });
    expect(scan(root, only).map((f) => f.file)).toEqual(["empty-arn.yaml"]);
  });

  it("reports an Ingress whose rules name no host, and says why it cannot be fixed", () => {
    const root = tempTree({ "ingress.yaml": ingress("catch-all", ["rules:", "  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}"]) });
    const findings = scan(root, only);
    expect(rows(findings)).toEqual([[RULE, "ingress.yaml", 6, 3, NO_HOST]]);
    expect(findings.map((f) => [f.fixable, f.notFixableReason])).toEqual([[false, NO_HOST_REASON]]);
  });

  it("finds an Ingress inside a List, and is fixable with or without an issuer configured", () => {
    const root = tempTree({
      "list.yaml": yaml(
        "apiVersion: v1",
        "kind: List",
        "items:",
        "  - apiVersion: v1",
        "    kind: Service",
        "    metadata: {name: web}",
        "  - apiVersion: networking.k8s.io/v1",
        "    kind: Ingress",
        "    metadata: {name: web}",
        "    spec:",
        "      rules: [{host: shop.example.com}]",
      ),
    });
    for (const config of [{}, { certificates: { issuer: { name: "letsencrypt" } } }]) {
      const findings = scan(root, { ...only, config });
      expect(rows(findings)).toEqual([[RULE, "list.yaml", 11, 7, plainHttp("shop.example.com is")]]);
      expect(findings.map((f) => [f.fixable, f.target])).toEqual([[true, { document: 0, path: ["items", 1] }]]);
    }
  });
});
