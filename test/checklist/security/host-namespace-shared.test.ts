/** host-namespace-shared: hostNetwork, hostPID, hostIPC true in a pod spec, one finding per field at that field; no fix. */
import { describe, expect, it } from "vitest";
import { deployment, run } from "./helpers.js";

const RULE = ["host-namespace-shared"];

describe("host-namespace-shared", () => {
  it("reports each shared namespace at its own line", () => {
    const { found, after } = run(
      {
        "agent.yaml": `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  template:
    spec:
      hostNetwork: true # needs the node's interfaces
      hostPID: true
      hostIPC: true
      containers:
        - name: agent
          image: agent:1
`,
        "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers: [{name: sh, image: busybox}]
  hostPID: true
`,
      },
      RULE,
    );
    expect(found).toEqual([
      ["agent.yaml", 8, "DaemonSet \"agent\" sets hostNetwork: true, so its pod shares the node's network namespace: it sees every interface of the node and can bind its ports", false, undefined],
      ["agent.yaml", 9, "DaemonSet \"agent\" sets hostPID: true, so its pod shares the node's process namespace: it sees and can signal every process on the node", false, undefined],
      ["agent.yaml", 10, "DaemonSet \"agent\" sets hostIPC: true, so its pod shares the node's IPC namespace: it can read the shared memory of every process on the node", false, undefined],
      ["pod.yaml", 7, "Pod \"debug\" sets hostPID: true, so its pod shares the node's process namespace: it sees and can signal every process on the node", false, undefined],
    ]);
    expect(after).toEqual({});
  });

  it("passes false, absent and quoted values, and objects without a pod spec", () => {
    const { found } = run(
      {
        "web.yaml": deployment(
          "web",
          `      hostNetwork: false
      hostPID: "true"
      containers:
        - name: app
          image: app:1
`,
        ),
        "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n",
      },
      RULE,
    );
    expect(found).toEqual([]);
  });
});
