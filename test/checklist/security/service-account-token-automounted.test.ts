/** service-account-token-automounted: the pod spec (or its ServiceAccount, when in the workspace) must say automountServiceAccountToken: false. */
import { describe, expect, it } from "vitest";
import { deployment, run } from "./helpers.js";

const RULE = ["service-account-token-automounted"];
const RISK = "If the workload calls the Kubernetes API it will lose its token; keep it for controllers and operators. Workloads that never talk to the API server are not affected.";
const containers = "      containers:\n        - name: app\n          image: app:1\n";

describe("service-account-token-automounted", () => {
  it("reports a pod spec without the setting (at its spec key), naming a ServiceAccount that does not set it either, and an explicit true", () => {
    const { found } = run(
      {
        "web.yaml": deployment("web", `      serviceAccountName: web\n${containers}`),
        "sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\nautomountServiceAccountToken: true\n",
        "api.yaml": deployment("api", `      automountServiceAccountToken: true\n${containers}`),
        "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: a, image: a:1}]\n",
      },
      RULE,
    );
    expect(found).toEqual([
      [
        "api.yaml",
        8,
        'Deployment "api" sets automountServiceAccountToken: true: every container gets a Kubernetes API token',
        false,
        'Deployment "api" sets automountServiceAccountToken: true on purpose; it may call the Kubernetes API, decide by hand',
      ],
      ["pod.yaml", 5, 'Pod "p" does not set automountServiceAccountToken: false in its pod spec: every container gets a Kubernetes API token', true, undefined],
      [
        "web.yaml",
        7,
        'Deployment "web" does not set automountServiceAccountToken: false in its pod spec, nor does its ServiceAccount "web": every container gets a Kubernetes API token',
        true,
        undefined,
      ],
    ]);
  });

  it("passes a pod spec that sets false, and one whose ServiceAccount (same namespace, or \"default\") sets false", () => {
    const { found } = run(
      {
        "web.yaml": deployment("web", `      automountServiceAccountToken: false\n${containers}`),
        "worker.yaml": deployment("worker", `      serviceAccountName: worker\n${containers}`).replace("  name: worker\n", "  name: worker\n  namespace: jobs\n"),
        "plain.yaml": deployment("plain", containers),
        "accounts.yaml": [
          "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: worker\n  namespace: jobs\nautomountServiceAccountToken: false\n",
          "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n",
        ].join("---\n"),
      },
      RULE,
    );
    expect(found).toEqual([]);
  });

  it("does not count a ServiceAccount of another namespace", () => {
    const { found } = run(
      {
        "worker.yaml": deployment("worker", `      serviceAccountName: worker\n${containers}`).replace("  name: worker\n", "  name: worker\n  namespace: jobs\n"),
        "sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: worker\n  namespace: other\nautomountServiceAccountToken: false\n",
      },
      RULE,
    );
    expect(found.map((finding) => [finding[0], finding[1]])).toEqual([["worker.yaml", 8]]);
  });

  it("fixes the pod spec of a Deployment, keeping comments, risky, with its risk", () => {
    const before = deployment("web", `      # runs as web\n      serviceAccountName: web   # see rbac.yaml\n${containers}      volumes: []\n`);
    const { after, changeset } = run({ "web.yaml": before }, RULE);
    expect(after).toEqual({ "web.yaml": `${before}      automountServiceAccountToken: false\n` });
    expect(changeset.applied.map((fix) => [fix.rule, fix.explanation, fix.risk, fix.risky])).toEqual([
      ["service-account-token-automounted", 'Sets automountServiceAccountToken to false in the pod spec of Deployment "web".', RISK, true],
    ]);
  });

  it("fixes a CronJob's pod spec, a flow-style pod spec, and a Pod in CRLF", () => {
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: OnFailure, containers: [{name: run, image: run:1}]}
`;
    const pod = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: a\r\n    image: a:1\r\n";
    const { after } = run({ "cron.yaml": cron, "pod.yaml": pod }, RULE);
    expect(after).toEqual({
      "cron.yaml": cron.replace("image: run:1}]}", "image: run:1}], automountServiceAccountToken: false}"),
      "pod.yaml": `${pod}  automountServiceAccountToken: false\r\n`,
    });
  });
});
