/** The NetworkPolicy fix: a new file of policies for the namespace, listed in its kustomization, opened as a draft. */
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { packageRoot } from "../../src/package-root.js";
import { loadRules, RuleLoadError } from "../../src/rules/load.js";
import { scanAndFix } from "../checklist/scan-and-fix.js";
import { tempTree, thrown } from "../rules/helpers.js";

const rules = activeRules(loadRules(), {}, ["network-policy-missing"]);

const fix = (files: Record<string, string>) => scanAndFix(files, rules);

/** The rule with these fix parameters, as a rule file that sets them would give. */
const withParams = (params: Record<string, unknown>) => rules.map((active) => ({ ...active, rule: { ...active.rule, fix: { name: "network-policy", params } } }));
const restricted = (files: Record<string, string>, params: Record<string, unknown> = {}) => scanAndFix(files, withParams({ egress: "restrict", ...params }));

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
        "Pods in the namespaces these policies cover refuse connections that no policy allows once they are applied: check what calls them (other namespaces, Prometheus, health checks from outside the cluster) before merging.",
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

    const custom = scanAndFix({ "shop/all.yaml": `${DEPLOYMENT}---\n${SERVICE}---\n${INGRESS}` }, withParams({ ingressNamespace: "traefik" }));
    expect(custom.after["shop/shop-network-policies.yaml"]).toContain("kubernetes.io/metadata.name: traefik\n");
  });

  it("is not fixable when the namespace's policies file already exists beside the workload", () => {
    const taken = fix({ "shop/web.yaml": DEPLOYMENT, "shop/shop-network-policies.yaml": "# Someone's notes.\n" });
    expect(taken.scanned.findings.map((finding) => [finding.fixable, finding.notFixableReason])).toEqual([[false, "shop/shop-network-policies.yaml already exists; Shipshape does not overwrite it"]]);
    expect(taken.changeset.files).toEqual([]);
  });
});

/** What `egress: restrict` adds after the ingress policies, for the namespace "shop" with the Service "web". */
const EGRESS_DENY = (namespace: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: ${namespace}
spec:
  podSelector: {}
  policyTypes:
    - Egress
`;

const DNS_EGRESS = (namespace: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns-egress
  namespace: ${namespace}
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
`;

const SAME_NAMESPACE_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-same-namespace-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: web
      ports:
        - port: http
        - port: 9090
          protocol: TCP
        - port: 7000
`;

const RESTRICTED_POLICIES = [POLICIES, EGRESS_DENY("shop"), DNS_EGRESS("shop"), SAME_NAMESPACE_EGRESS].join("---\n");

const DENY_EGRESS_TEXT = '"default-deny-egress" (no pod opens connections unless a policy below allows them)';
const DNS_TEXT =
  '"allow-dns-egress" (every pod may reach DNS, UDP and TCP port 53, at the pods labelled k8s-app=kube-dns in the namespace "kube-system", chosen by its kubernetes.io/metadata.name label, which Kubernetes sets on every namespace since 1.21)';

const RESTRICTED_OPEN_QUESTIONS =
  "What else may need opening: egress is denied as well, so connections to anything outside the namespace (databases, caches, message brokers, APIs in other namespaces, the Kubernetes API server, external services) are now refused unless a policy allows them; clusters whose DNS is elsewhere, such as NodeLocal DNSCache (which answers on a link-local address of each node, 169.254.20.10, that no pod selector matches) or a DNS server outside kube-system, need the DNS policy adjusted (the fix parameters dnsNamespace and dnsPodLabels, or an ipBlock); connections from other namespaces, from monitoring scrapers such as Prometheus, and from admission webhooks are now refused unless a policy allows them.";

const RESTRICTED_RISK =
  "Pods in the namespaces these policies cover refuse connections that no policy allows, and open none but to DNS and their namespace's own Services, once they are applied: check what calls them (other namespaces, Prometheus, health checks from outside the cluster) and what they call (databases, APIs, the Kubernetes API server, external services) before merging.";

const CRONJOB = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: jobs\nspec:\n  schedule: '0 1 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              image: busybox:1\n`;

describe("network-policy with egress: restrict", () => {
  const files = {
    "apps/shop/deployment.yaml": DEPLOYMENT,
    "apps/shop/service.yaml": SERVICE,
    "apps/shop/ingress.yaml": INGRESS,
    "apps/shop/kustomization.yaml": "resources:\n  - deployment.yaml\n  - service.yaml\n  - ingress.yaml\n",
  };

  it("keeps today's bytes by default and with egress: open", () => {
    expect(fix(files).after["apps/shop/shop-network-policies.yaml"]).toBe(POLICIES);
    const open = scanAndFix(files, withParams({ egress: "open" }));
    expect(open.after["apps/shop/shop-network-policies.yaml"]).toBe(POLICIES);
    expect(open.changeset.applied[0]?.explanation).toContain(OPEN_QUESTIONS);
  });

  it("also denies egress, allows DNS to kube-system's kube-dns, and allows the namespace's pods to reach its Services' target ports", () => {
    const { scanned, changeset, after } = restricted(files);
    expect(scanned.findings.map((finding) => [finding.rule, finding.fixable])).toEqual([["network-policy-missing", true]]);
    expect(changeset.skipped).toEqual([]);
    expect(after).toEqual({
      "apps/shop/shop-network-policies.yaml": RESTRICTED_POLICIES,
      "apps/shop/kustomization.yaml": "resources:\n  - deployment.yaml\n  - service.yaml\n  - ingress.yaml\n  - shop-network-policies.yaml\n",
    });
    expect(changeset.applied.map((applied) => [applied.explanation, applied.risk, applied.risky])).toEqual([
      [
        'Adds apps/shop/shop-network-policies.yaml with NetworkPolicies for the namespace "shop": "default-deny-ingress" (no pod accepts connections unless a policy below allows them), "allow-web" (pods of the Service "web" accept connections from pods of the same namespace and from the ingress controller\'s namespace "ingress-nginx" (the fix parameter ingressNamespace) on http/TCP, 9090/TCP, 7000/TCP), ' +
          `${DENY_EGRESS_TEXT}, ${DNS_TEXT}, ` +
          '"allow-same-namespace-egress" (every pod may connect to the pods of the namespace\'s Services, so that the policies above keep working inside it: "web" on http/TCP, 9090/TCP, 7000/TCP). Lists it in apps/shop/kustomization.yaml\'s resources. ' +
          RESTRICTED_OPEN_QUESTIONS,
        RESTRICTED_RISK,
        true,
      ],
    ]);
    expect(restricted({ ...files, ...after }).scanned.findings).toEqual([]);
  });

  it("adds no finding of any rule on by default", () => {
    const all = activeRules(loadRules(), {});
    const { after } = restricted(files);
    const findings = (input: Record<string, string>) =>
      scanAndFix(input, all)
        .scanned.findings.filter((finding) => finding.rule !== "network-policy-missing")
        .map((finding) => `${finding.rule} ${finding.file}:${String(finding.line)}`);
    const before = findings(files);
    expect(before).not.toEqual([]);
    expect(findings({ ...files, ...after })).toEqual(before);
  });

  it("writes the denies and DNS only for a namespace without Services", () => {
    const { changeset, after } = restricted({ "jobs/nightly.yaml": CRONJOB });
    expect(after).toEqual({ "jobs/jobs-network-policies.yaml": [DENY_ONLY, EGRESS_DENY("jobs"), DNS_EGRESS("jobs")].join("---\n") });
    expect(changeset.applied.map((applied) => [applied.explanation, applied.risk])).toEqual([
      [
        `Adds jobs/jobs-network-policies.yaml with NetworkPolicies for the namespace "jobs": "default-deny-ingress" (no pod accepts connections unless a policy below allows them), ${DENY_EGRESS_TEXT}, ${DNS_TEXT}. ${RESTRICTED_OPEN_QUESTIONS}`,
        RESTRICTED_RISK,
      ],
    ]);
    expect(restricted({ "jobs/nightly.yaml": CRONJOB, ...after }).scanned.findings).toEqual([]);
  });

  it("takes DNS from the parameters, opens every port of a Service without ports, and refuses a Service whose policy would take an egress policy's name", () => {
    const api = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    app: api\n";
    const { changeset, after } = restricted({ "shop/all.yaml": `${DEPLOYMENT}---\n${SERVICE}---\n${api}` }, { dnsNamespace: "dns", dnsPodLabels: { app: "coredns", tier: "node" } });
    const text = after["shop/shop-network-policies.yaml"] ?? "";
    expect(text).toContain(
      "    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: dns\n          podSelector:\n            matchLabels:\n              app: coredns\n              tier: node\n",
    );
    expect(text.slice(text.indexOf("name: allow-same-namespace-egress"))).toBe(
      "name: allow-same-namespace-egress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app.kubernetes.io/name: web\n      ports:\n        - port: http\n        - port: 9090\n          protocol: TCP\n        - port: 7000\n    - to:\n        - podSelector:\n            matchLabels:\n              app: api\n",
    );
    const explanation = changeset.applied[0]?.explanation ?? "";
    expect(explanation).toContain('at the pods labelled app=coredns, tier=node in the namespace "dns",');
    expect(explanation).toContain('so that the policies above keep working inside it: "web" on http/TCP, 9090/TCP, 7000/TCP; "api" on every port).');

    const clash = restricted({ "shop/all.yaml": `${DEPLOYMENT}---\n${api.replace("name: api", "name: dns-egress")}` });
    expect(clash.scanned.findings.map((finding) => [finding.fixable, finding.notFixableReason])).toEqual([[false, 'the Service "dns-egress" would get a policy named "allow-dns-egress", the name of an egress policy']]);
    // With egress open, the name is free.
    expect(fix({ "shop/all.yaml": `${DEPLOYMENT}---\n${api.replace("name: api", "name: dns-egress")}` }).after["shop/shop-network-policies.yaml"]).toContain("name: allow-dns-egress\n");
  });

  it("refuses a rule file with an unknown egress value or empty DNS labels", () => {
    const rule = readFileSync(join(packageRoot(), "rules", "network-policy-missing.yaml"), "utf8");
    const withFixParams = (params: string) => rule.replace("fix:\n  name: network-policy\n", `fix:\n  name: network-policy\n  params:\n${params}`);
    const dir = tempTree({ "network-policy-missing.yaml": withFixParams("    egress: sideways\n    dnsPodLabels: {}\n    dnsNamespace: 53\n") });
    copyFileSync(join(packageRoot(), "rules", "schema.json"), join(dir, "schema.json"));
    const error = thrown(() => loadRules(dir));
    expect(error).toBeInstanceOf(RuleLoadError);
    expect((error as RuleLoadError).problems).toEqual([
      "network-policy-missing.yaml: fix.params egress: must be one of open, restrict",
      "network-policy-missing.yaml: fix.params dnsNamespace: must be string",
      "network-policy-missing.yaml: fix.params dnsPodLabels: must NOT have fewer than 1 properties",
    ]);

    const good = tempTree({ "network-policy-missing.yaml": withFixParams("    egress: restrict\n    dnsNamespace: dns\n    dnsPodLabels: {k8s-app: coredns}\n") });
    copyFileSync(join(packageRoot(), "rules", "schema.json"), join(good, "schema.json"));
    expect(loadRules(good).map((loaded) => loaded.fix)).toEqual([{ name: "network-policy", params: { egress: "restrict", dnsNamespace: "dns", dnsPodLabels: { "k8s-app": "coredns" } } }]);
  });
});
