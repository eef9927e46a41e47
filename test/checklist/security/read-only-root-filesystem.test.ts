/** read-only-root-filesystem-missing: containers and init containers must set readOnlyRootFilesystem: true; no fix. */
import { describe, expect, it } from "vitest";
import { deployment, run } from "./helpers.js";

const RULE = ["read-only-root-filesystem-missing"];

describe("read-only-root-filesystem-missing", () => {
  it("reports a container without it, one that sets false, and a quoted \"true\"; at securityContext, the container or the value", () => {
    const { found, after, changeset } = run(
      {
        "web.yaml": deployment(
          "web",
          `      initContainers:
        - name: migrate
          image: migrate:1
      containers:
        - name: app
          image: app:1
          securityContext:
            runAsNonRoot: true
        - name: writer
          image: writer:1
          securityContext:
            readOnlyRootFilesystem: false
        - name: quoted
          image: quoted:1
          securityContext: {readOnlyRootFilesystem: "true"}
`,
        ),
      },
      RULE,
    );
    expect(found).toEqual([
      ["web.yaml", 9, 'container "migrate" does not set readOnlyRootFilesystem: true, so its root filesystem is writable', false, undefined],
      ["web.yaml", 14, 'container "app" does not set readOnlyRootFilesystem: true, so its root filesystem is writable', false, undefined],
      ["web.yaml", 19, 'container "writer" sets readOnlyRootFilesystem: false, so its root filesystem is writable', false, undefined],
      ["web.yaml", 22, 'container "quoted" sets readOnlyRootFilesystem: "true", so its root filesystem is writable', false, undefined],
    ]);
    expect(after).toEqual({});
    expect(changeset.skipped).toEqual([]);
  });

  it("passes containers that set it, in block and flow style, and ignores ephemeral containers and objects without pods", () => {
    const { found } = run(
      {
        "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1
      securityContext:
        readOnlyRootFilesystem: true
    - name: flow
      image: flow:1
      securityContext: {readOnlyRootFilesystem: true}
  ephemeralContainers:
    - name: debug
      image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports: [{port: 80}]
`,
      },
      RULE,
    );
    expect(found).toEqual([]);
  });
});
