import { describe, expect, it } from "vitest";
import { deployment, run } from "./run.js";

const RULES = ["network-policy-missing"];
const MESSAGE = (subject: string, first: string) => `${subject} (${first}) has no NetworkPolicy: its pods accept traffic from every pod in the cluster`;

describe("network-policy-missing", () => {
  it("reports each namespace with workloads and no policy once, at its first workload", () => {
    const { seen, changeset } = run(
      {
        "apps/a.yaml": `${deployment("web", "shop")}---\n${deployment("api", "shop")}`,
        "apps/b.yaml": deployment("worker", undefined),
        "apps/c.yaml": "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: shop\nspec:\n  schedule: '0 1 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: job\n              image: busybox:1\n",
        "apps/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: quiet\nspec:\n  ports: [{port: 80}]\n",
      },
      RULES,
    );
    expect(seen).toEqual([
      ["apps/a.yaml", 1, MESSAGE('namespace "shop"', 'Deployment "web" and 2 more workloads'), true, undefined],
      ["apps/b.yaml", 1, MESSAGE("the namespace of the objects without metadata.namespace", 'Deployment "worker"'), true, undefined],
    ]);
    // Each namespace gets its own policies file (test/fixes/network-policy.test.ts has their bytes).
    expect(changeset.files.map((file) => file.path)).toEqual(["apps/shop-network-policies.yaml", "apps/network-policies.yaml"]);
  });

  it("counts any NetworkPolicy of the namespace (Kubernetes or Cilium), and cluster-wide policies for all", () => {
    const policy = (namespace: string, selector = "{}") => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: ${namespace}\nspec:\n  podSelector: ${selector}\n  policyTypes: [Ingress]\n`;
    const { seen } = run(
      {
        "apps/a.yaml": `${deployment("web", "shop")}---\n${deployment("api", "api")}---\n${deployment("db", "data")}`,
        "policies/shop.yaml": policy("shop"),
        "policies/api.yaml": policy("api", "{matchLabels: {app: api}}"),
        "policies/data.yaml": "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: db\n  namespace: data\nspec:\n  endpointSelector: {}\n",
        "apps/b.yaml": deployment("lonely", "other"),
      },
      RULES,
    );
    expect(seen).toEqual([["apps/b.yaml", 1, MESSAGE('namespace "other"', 'Deployment "lonely"'), true, undefined]]);

    const clusterWide = run(
      {
        "apps/a.yaml": deployment("web", "shop"),
        "policies/global.yaml": "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  endpointSelector: {}\n",
      },
      RULES,
    );
    expect(clusterWide.seen).toEqual([]);
  });

  it("keeps a policy without a namespace for objects without one, and does not count kustomize patches as workloads", () => {
    const { seen } = run(
      {
        "base/kustomization.yaml": "resources:\n  - web.yaml\n  - policy.yaml\n",
        "base/web.yaml": deployment("web", undefined),
        "base/policy.yaml": "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n",
        "overlay/kustomization.yaml": "namespace: prod\nresources:\n  - ../base\npatches:\n  - path: patch.yaml\n",
        "overlay/patch.yaml": deployment("web", "other"),
      },
      RULES,
    );
    expect(seen).toEqual([]);
  });

  it("is ignored through the first workload's annotation", () => {
    const ignored = deployment("web", "shop").replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n    shipshape.dev/ignore: network-policy-missing\n");
    const { seen } = run({ "apps/a.yaml": ignored }, RULES);
    expect(seen).toEqual([]);
  });
});
