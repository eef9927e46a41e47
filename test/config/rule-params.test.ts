/** `checkParams` / `fixParams` in a rule's setting: merged over the rule's params, validated, and seen by the scan and the fix. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/load.js";
import { activeRules } from "../../src/config/resolve.js";
import type { ConfigFile } from "../../src/config/types.js";
import { scanAndFix } from "../checklist/scan-and-fix.js";
import { catalog, thrown } from "../rules/helpers.js";

function configError(action: () => unknown): string {
  const error = thrown(action);
  expect(error).toBeInstanceOf(ConfigError);
  return error.message;
}

const activeRule = (config: ConfigFile, id: string) => activeRules(catalog, config, [id]).find((active) => active.rule.id === id);

describe("checkParams and fixParams", () => {
  it("are accepted by the config schema as objects, and refused as anything else", () => {
    const text = "rules:\n  network-policy-missing:\n    fixParams: {egress: restrict, ingressNamespace: ingress}\n  hsts-missing:\n    checkParams: {names: [edge-nginx]}\n";
    expect(parseConfig(text, ".shipshape.yml")).toEqual({
      rules: { "network-policy-missing": { fixParams: { egress: "restrict", ingressNamespace: "ingress" } }, "hsts-missing": { checkParams: { names: ["edge-nginx"] } } },
    });
    expect(configError(() => parseConfig("rules:\n  network-policy-missing:\n    fixParams: restrict\n", ".shipshape.yml"))).toBe(
      ".shipshape.yml: invalid configuration\n  - rules.network-policy-missing.fixParams: must be object",
    );
  });

  it("reach the active rule merged over the rule's own params", () => {
    const active = activeRule({ rules: { "network-policy-missing": { fixParams: { egress: "restrict", ingressNamespace: "ingress" } } } }, "network-policy-missing");
    expect(active?.rule.fix).toEqual({ name: "network-policy", params: { egress: "restrict", ingressNamespace: "ingress" } });
    expect(active?.rule.check).toEqual({ name: "network-policy-missing", params: {} });

    const hsts = activeRule({ rules: { "hsts-missing": { checkParams: { names: ["edge-nginx"] } } } }, "hsts-missing");
    expect(hsts?.rule.check).toEqual({ name: "nginx-hsts", params: { names: ["edge-nginx"] } });
    expect(hsts?.rule.fix).toEqual({ name: "ingress-nginx-setting", params: { key: "hsts", value: "true" } });
  });

  it("keep the rule's values for the keys they omit, and leave the catalog as it was", () => {
    const hsts = activeRule({ rules: { "hsts-missing": { severity: "high", fixParams: { value: "yes" } } } }, "hsts-missing");
    expect(hsts?.rule.fix).toEqual({ name: "ingress-nginx-setting", params: { key: "hsts", value: "yes" } });
    expect(hsts?.severity).toBe("high");
    expect(catalog.find((rule) => rule.id === "hsts-missing")?.fix).toEqual({ name: "ingress-nginx-setting", params: { key: "hsts", value: "true" } });
    // Without params the active rule is the catalog's rule itself.
    expect(activeRule({ rules: { "hsts-missing": { severity: "high" } } }, "hsts-missing")?.rule).toBe(catalog.find((rule) => rule.id === "hsts-missing"));
  });

  it("refuse a value the fix's params schema does not allow, naming where", () => {
    expect(configError(() => activeRules(catalog, { rules: { "network-policy-missing": { fixParams: { egress: "closed" } } } }))).toBe(
      "rules.network-policy-missing.fixParams.egress: must be one of open, restrict",
    );
    expect(configError(() => activeRules(catalog, { rules: { "hsts-missing": { checkParams: { names: [] } } } }))).toBe(
      "rules.hsts-missing.checkParams.names: must NOT have fewer than 1 items",
    );
  });

  it("refuse a key the params schema does not know", () => {
    expect(configError(() => activeRules(catalog, { rules: { "hsts-missing": { checkParams: { nmes: ["edge-nginx"] } } } }))).toBe(
      "rules.hsts-missing.checkParams.nmes: unknown key",
    );
  });

  it("refuse fixParams on a rule that has no fix", () => {
    expect(configError(() => activeRules(catalog, { rules: { "certificate-expired": { fixParams: { days: 3 } } } }))).toBe(
      'rules.certificate-expired.fixParams: rule "certificate-expired" has no fix (only checkParams can be set)',
    );
  });

  it("are checked for rules the config turns off or --rule leaves out, and listed with unknown rules", () => {
    const config: ConfigFile = { rules: { typo: "low", "network-policy-missing": { enabled: false, fixParams: { egress: "closed" } } } };
    expect(configError(() => activeRules(catalog, config, ["hsts-missing"]))).toBe(
      'rules.typo: unknown rule "typo" (run `shipshape rules` to list them)\nrules.network-policy-missing.fixParams.egress: must be one of open, restrict',
    );
  });
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`;

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ingress-nginx
data:
  hsts: "false"
`;

/** The names of the objects a written file holds, in order. */
const namesIn = (text: string | undefined) => [...(text ?? "").matchAll(/^ {2}name: (.+)$/gm)].map((match) => match[1]);

describe("params from the config, through the scan and the fix", () => {
  it("fixParams egress: restrict and ingressNamespace change the NetworkPolicy file", () => {
    const files = { "apps/web.yaml": `${DEPLOYMENT}---\n${SERVICE}---\n${INGRESS}` };
    const written = (config: ConfigFile) => scanAndFix(files, activeRules(catalog, config, ["network-policy-missing"])).after["apps/shop-network-policies.yaml"];
    const before = written({});
    expect(namesIn(before)).toEqual(["default-deny-ingress", "allow-web"]);
    expect(before).toContain("kubernetes.io/metadata.name: ingress-nginx\n");
    const after = written({ rules: { "network-policy-missing": { fixParams: { egress: "restrict", ingressNamespace: "ingress" } } } });
    expect(namesIn(after)).toEqual(["default-deny-ingress", "allow-web", "default-deny-egress", "allow-dns-egress", "allow-same-namespace-egress"]);
    expect(after).toContain("kubernetes.io/metadata.name: ingress\n");
    expect(after).not.toContain("kubernetes.io/metadata.name: ingress-nginx\n");
  });

  it("checkParams.names makes hsts-missing read ConfigMaps named otherwise", () => {
    const files = { "a.yaml": configMap("edge-nginx-controller"), "b.yaml": configMap("ingress-nginx-controller") };
    const reported = (config: ConfigFile) => scanAndFix(files, activeRules(catalog, config, ["hsts-missing"])).scanned.findings.map((finding) => finding.file);
    expect(reported({})).toEqual(["b.yaml"]);
    expect(reported({ rules: { "hsts-missing": { checkParams: { names: ["edge-nginx"] } } } })).toEqual(["a.yaml"]);
  });
});
