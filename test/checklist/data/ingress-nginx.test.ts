import { describe, expect, it } from "vitest";
import { run } from "./run.js";

const ingress = (annotations: string, tls = true) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
${annotations}spec:
  ingressClassName: nginx
${tls ? "  tls:\n    - hosts: [shop.example.com]\n      secretName: web-tls\n" : ""}  rules:
    - host: shop.example.com
`;

const REDIRECT = 'Ingress "web" has tls but sets nginx.ingress.kubernetes.io/ssl-redirect: ';
const REDIRECT_END = ", so ingress-nginx serves its hosts over plain HTTP too";

describe("ingress-ssl-redirect-missing", () => {
  it("reports ssl-redirect false on an Ingress with tls, and sets it to true keeping quotes and comments", () => {
    const quoted = ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "false" # for the health checker\n');
    const single = ingress("    nginx.ingress.kubernetes.io/ssl-redirect: 'false'\n");
    const plain = ingress("    # off for now\n    nginx.ingress.kubernetes.io/ssl-redirect: false\n");
    const { seen, after, changeset } = run({ "a.yaml": quoted, "b.yaml": single, "c.yaml": plain }, ["ingress-ssl-redirect-missing"]);
    expect(seen).toEqual([
      ["a.yaml", 6, `${REDIRECT}"false"${REDIRECT_END}`, true, undefined],
      ["b.yaml", 6, `${REDIRECT}"false"${REDIRECT_END}`, true, undefined],
      ["c.yaml", 7, `${REDIRECT}false${REDIRECT_END}`, true, undefined],
    ]);
    expect(after).toEqual({
      "a.yaml": ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true" # for the health checker\n'),
      "b.yaml": ingress("    nginx.ingress.kubernetes.io/ssl-redirect: 'true'\n"),
      "c.yaml": ingress('    # off for now\n    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n'),
    });
    expect(changeset.applied.map((fix) => [fix.file, fix.explanation, fix.risky])).toEqual([
      ["a.yaml", 'Sets the annotation nginx.ingress.kubernetes.io/ssl-redirect to "true", so that ingress-nginx redirects HTTP to HTTPS for the Ingress "web".', false],
      ["b.yaml", 'Sets the annotation nginx.ingress.kubernetes.io/ssl-redirect to "true", so that ingress-nginx redirects HTTP to HTTPS for the Ingress "web".', false],
      ["c.yaml", 'Sets the annotation nginx.ingress.kubernetes.io/ssl-redirect to "true", so that ingress-nginx redirects HTTP to HTTPS for the Ingress "web".', false],
    ]);
    expect(changeset.skipped).toEqual([]);
  });

  it("does not report without tls, with true, or with force-ssl-redirect true", () => {
    const { seen } = run(
      {
        "a.yaml": ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n', false),
        "b.yaml": ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "true"\n'),
        "c.yaml": ingress('    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"\n'),
        "d.yaml": ingress("    cert-manager.io/cluster-issuer: letsencrypt\n"),
      },
      ["ingress-ssl-redirect-missing"],
    );
    expect(seen).toEqual([]);
  });
});

const configMap = (name: string, data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ingress-nginx
data:
${data}`;

describe("hsts-missing", () => {
  it("reports hsts false in the controller ConfigMap and sets it to true as a risky fix", () => {
    const { seen, after, changeset } = run(
      {
        "a.yaml": configMap("ingress-nginx-controller", '  use-forwarded-headers: "true"\n  hsts: "false"  # until every host has a certificate\n'),
        "b.yaml": configMap("nginx-configuration", "  hsts: 'false'\n"),
      },
      ["hsts-missing"],
    );
    expect(seen).toEqual([
      ["a.yaml", 8, 'ingress-nginx ConfigMap "ingress-nginx-controller" sets hsts: "false": HTTPS responses carry no Strict-Transport-Security header', true, undefined],
      ["b.yaml", 7, 'ingress-nginx ConfigMap "nginx-configuration" sets hsts: "false": HTTPS responses carry no Strict-Transport-Security header', true, undefined],
    ]);
    expect(after).toEqual({
      "a.yaml": configMap("ingress-nginx-controller", '  use-forwarded-headers: "true"\n  hsts: "true"  # until every host has a certificate\n'),
      "b.yaml": configMap("nginx-configuration", "  hsts: 'true'\n"),
    });
    expect(changeset.applied.map((fix) => [fix.explanation, fix.risky])[0]).toEqual([
      'Sets hsts in the ConfigMap "ingress-nginx-controller" to "true", so that ingress-nginx sends the Strict-Transport-Security header on HTTPS responses.',
      true,
    ]);
  });

  it("does not report hsts true or unset, nor other ConfigMaps", () => {
    const { seen } = run(
      {
        "a.yaml": configMap("ingress-nginx-controller", '  hsts: "true"\n'),
        "b.yaml": configMap("ingress-nginx-controller", '  ssl-redirect: "true"\n'),
        "c.yaml": configMap("app-settings", '  hsts: "false"\n'),
      },
      ["hsts-missing"],
    );
    expect(seen).toEqual([]);
  });
});

describe("tls-protocol-weak", () => {
  it("reports TLSv1, TLSv1.1 and SSLv3 in ssl-protocols and sets TLSv1.2 TLSv1.3 as a risky fix", () => {
    const { seen, after, changeset } = run(
      {
        "a.yaml": configMap("ingress-nginx-controller", '  # legacy clients\n  ssl-protocols: "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"\n'),
        "b.yaml": configMap("rke2-ingress-nginx-controller", "  ssl-protocols: SSLv3 TLSv1.2\n"),
      },
      ["tls-protocol-weak"],
    );
    const message = (name: string, weak: string) =>
      `ingress-nginx ConfigMap "${name}" allows ${weak} in ssl-protocols: clients can be made to use a protocol version with known attacks`;
    expect(seen).toEqual([
      ["a.yaml", 8, message("ingress-nginx-controller", "TLSv1 and TLSv1.1"), true, undefined],
      ["b.yaml", 7, message("rke2-ingress-nginx-controller", "SSLv3"), true, undefined],
    ]);
    expect(after).toEqual({
      "a.yaml": configMap("ingress-nginx-controller", '  # legacy clients\n  ssl-protocols: "TLSv1.2 TLSv1.3"\n'),
      "b.yaml": configMap("rke2-ingress-nginx-controller", "  ssl-protocols: TLSv1.2 TLSv1.3\n"),
    });
    expect(changeset.applied.map((fix) => fix.risky)).toEqual([true, true]);
  });

  it("does not report TLS 1.2 and 1.3 only", () => {
    const { seen } = run({ "a.yaml": configMap("ingress-nginx-controller", "  ssl-protocols: TLSv1.2 TLSv1.3\n") }, ["tls-protocol-weak"]);
    expect(seen).toEqual([]);
  });
});
