/** The NetworkPolicy fix: a new file of policies for the namespace, listed in its kustomization, opened as a draft. */
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { loadRules } from "../../src/rules/load.js";
import { scanAndFix } from "../checklist/scan-and-fix.js";

const rules = activeRules(loadRules(), {}, ["network-policy-missing"]);

const fix = (files: Record<string, string>) => scanAndFix(files, rules);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:2.4
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
      targetPort: 9090
      protocol: TCP
    - name: admin
      port: 7000
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
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
                  name: http
`;

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: web
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: http
        - port: 9090
          protocol: TCP
        - port: 7000
`;

const DENY_ONLY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: jobs
spec:
  podSelector: {}
  policyTypes:
    - Ingress
`;

const OPEN_QUESTIONS =
  "What else may need opening: egress stays open, because denying it would also need DNS (UDP and TCP port 53 to kube-system) and every service the applications call, which this repository does not show; connections from other namespaces, from monitoring scrapers such as Prometheus, and from admission webhooks are now refused unless a policy allows them.";

describe("network-policy: NetworkPolicies for a namespace without one", () => {
  it("denies ingress, allows each Service's target ports from the namespace and the ingress controller, and lists the file", () => {
    const files = {
      "apps/shop/deployment.yaml": DEPLOYMENT,
      "apps/shop/service.yaml": SERVICE,
      "apps/shop/ingress.yaml": INGRESS,
      "apps/shop/kustomization.yaml": "# The storefront.\nresources:\n  - deployment.yaml\n  - service.yaml\n  - ingress.yaml # public\n",
    };
    const { scanned, changeset, after } = fix(files);
    expect(scanned.findings.map((finding) => [finding.rule, finding.file, finding.fixable])).toEqual([["network-policy-missing", "apps/shop/deployment.yaml", true]]);
    expect(changeset.skipped).toEqual([]);
    expect(after).toEqual({
      "apps/shop/shop-network-policies.yaml": POLICIES,
      "apps/shop/kustomization.yaml": "# The storefront.\nresources:\n  - deployment.yaml\n  - service.yaml\n  - ingress.yaml # public\n  - shop-network-policies.yaml\n",
    });
    expect(changeset.files.map((file) => [file.path, file.created === true])).toEqual([
      ["apps/shop/shop-network-policies.yaml", true],
      ["apps/shop/kustomization.yaml", false],
    ]);
    expect(changeset.applied.map((applied) => [applied.explanation, applied.risk, applied.risky])).toEqual([
      [
        'Adds apps/shop/shop-network-policies.yaml with NetworkPolicies for the namespace "shop": "default-deny-ingress" (no pod accepts connections unless a policy below allows them), "allow-web" (pods of the Service "web" accept connections from pods of the same namespace and from the ingress controller\'s namespace "ingress-nginx" (the fix parameter ingressNamespace) on http/TCP, 9090/TCP, 7000/TCP). Lists it in apps/shop/kustomization.yaml\'s resources. ' +
          OPEN_QUESTIONS,
        "Pods in shop refuse connections that no policy allows once this is applied: check what calls them (other namespaces, Prometheus, health checks from outside the cluster) before merging.",
        true,
      ],
    ]);
    // With the new files, the finding is gone.
    const again = fix({ ...files, ...after });
    expect(again.scanned.findings).toEqual([]);
  });

  it("writes only the default deny for a namespace without Services, and takes the ingress controller's namespace from the parameter", () => {
    const job = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: jobs\nspec:\n  schedule: '0 1 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              image: busybox:1\n`;
    const { changeset, after } = fix({ "jobs/nightly.yaml": job, "shop/web.yaml": `${DEPLOYMENT}---\n${SERVICE}` });
    expect(after["jobs/jobs-network-policies.yaml"]).toBe(DENY_ONLY);
    expect(changeset.applied[0]?.explanation).toBe(`Adds jobs/jobs-network-policies.yaml with NetworkPolicies for the namespace "jobs": "default-deny-ingress" (no pod accepts connections unless a policy below allows them). ${OPEN_QUESTIONS}`);
    // A Service of another namespace is not opened, and one without an Ingress is opened to its namespace only.
    expect(after["shop/shop-network-policies.yaml"]).toContain("name: allow-web\n");
    expect(after["shop/shop-network-policies.yaml"]).not.toContain("namespaceSelector");
    const again = fix({ "jobs/nightly.yaml": job, "shop/web.yaml": `${DEPLOYMENT}---\n${SERVICE}`, ...after });
    expect(again.scanned.findings).toEqual([]);

    const custom = scanAndFix(
      { "shop/all.yaml": `${DEPLOYMENT}---\n${SERVICE}---\n${INGRESS}` },
      rules.map((active) => ({ ...active, rule: { ...active.rule, fix: { name: "network-policy", params: { ingressNamespace: "traefik" } } } })),
    );
    expect(custom.after["shop/shop-network-policies.yaml"]).toContain("kubernetes.io/metadata.name: traefik\n");
  });

  it("is not fixable when the namespace's policies file already exists beside the workload", () => {
    const taken = fix({ "shop/web.yaml": DEPLOYMENT, "shop/shop-network-policies.yaml": "# Someone's notes.\n" });
    expect(taken.scanned.findings.map((finding) => [finding.fixable, finding.notFixableReason])).toEqual([[false, "shop/shop-network-policies.yaml already exists; Shipshape does not overwrite it"]]);
    expect(taken.changeset.files).toEqual([]);
  });
});
