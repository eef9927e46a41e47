import { afterAll, describe, expect, it } from "vitest";
import { scanCertificates, tempTree, yaml } from "./helpers.js";
import { base64, indent, TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const web = ca.issue({ subject: "/CN=shop.example.com", notBefore: "2025-12-01", notAfter: "2026-01-10" });
const EXPIRING = "certificate CN=shop.example.com expires on 2026-01-10 (9 days left)";

/** The message of the one certificate-expiring finding in `file`. */
function messageIn(root: string, file: string): string | undefined {
  return scanCertificates(root, { rules: ["certificate-expiring"] }).find((finding) => finding.file === file)?.message;
}

describe("where a certificate is used", () => {
  it("lists Ingresses, Gateway listeners, pod volumes and environment, client-CA annotations, in the Secret's namespace or none", () => {
    const root = tempTree({
      "secret.yaml": yaml("apiVersion: v1", "kind: Secret", "metadata: {name: web-tls, namespace: shop}", "data:", `  tls.crt: ${base64(web.pem)}`),
      "ingress.yaml": yaml(
        "apiVersion: networking.k8s.io/v1",
        "kind: Ingress",
        "metadata:",
        "  name: storefront",
        "  annotations: {nginx.ingress.kubernetes.io/auth-tls-secret: shop/web-tls}",
        "spec:",
        "  tls: [{hosts: [shop.example.com], secretName: web-tls}, {secretName: other-tls}]",
      ),
      "other-namespace.yaml": yaml("apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata: {name: blog, namespace: blog}", "spec: {tls: [{secretName: web-tls}]}"),
      "gateway.yaml": yaml(
        "apiVersion: gateway.networking.k8s.io/v1",
        "kind: Gateway",
        "metadata: {name: edge, namespace: infra}",
        "spec:",
        "  listeners:",
        "    - name: https",
        "      hostname: shop.example.com",
        "      tls: {certificateRefs: [{name: web-tls, namespace: shop}]}",
        "    - name: other",
        "      tls: {certificateRefs: [{name: web-tls}]}",
      ),
      "cronjob.yaml": yaml(
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: renew-check, namespace: shop}",
        "spec:",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers:",
        "            - name: check",
        "              image: check:1",
        "              env: [{name: CERT, valueFrom: {secretKeyRef: {name: web-tls, key: tls.crt}}}]",
        "              envFrom: [{secretRef: {name: web-tls}}]",
      ),
    });
    expect(messageIn(root, "secret.yaml")).toBe(
      `${EXPIRING}; used by CronJob shop/renew-check (environment of container check), Gateway infra/edge (listener https, shop.example.com), Ingress storefront (client CA), Ingress storefront (shop.example.com)`,
    );
  });

  it("follows a certificate file into the Kustomize generators that read it, and what uses their Secrets", () => {
    const root = tempTree({
      "apps/web/certs/tls.crt": web.pem,
      "apps/web/kustomization.yaml": yaml(
        "namespace: shop",
        "resources: [ingress.yaml]",
        "secretGenerator:",
        "  - name: web-tls",
        "    type: kubernetes.io/tls",
        "    files: [tls.crt=certs/tls.crt, tls.key=certs/tls.key]",
        "configMapGenerator:",
        "  - name: trust",
        "    files: [./certs/tls.crt]",
      ),
      "apps/web/ingress.yaml": yaml("apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata: {name: storefront}", "spec: {tls: [{secretName: web-tls}]}"),
    });
    expect(messageIn(root, "apps/web/certs/tls.crt")).toBe(
      `${EXPIRING}; used by Ingress storefront, configMapGenerator trust in apps/web/kustomization.yaml, secretGenerator web-tls in apps/web/kustomization.yaml`,
    );
  });

  it("says nothing of uses where there are none", () => {
    const root = tempTree({ "values.yaml": yaml("tls:", "  crt: |", indent(web.pem, 4)) });
    expect(messageIn(root, "values.yaml")).toBe(EXPIRING);
  });
});
