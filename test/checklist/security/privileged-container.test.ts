/** privileged-container: securityContext.privileged: true, in any container list; no fix. */
import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

const RULE = ["privileged-container"];

describe("privileged-container", () => {
  it("reports privileged: true at its value, in containers, init containers and ephemeral containers of a CronJob", () => {
    const { found, after } = run(
      {
        "job.yaml": `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: setup
              image: setup:1
              securityContext: {privileged: true}
          containers:
            - name: run
              image: run:1
              securityContext:
                # needs the GPU devices
                privileged: true
`,
      },
      RULE,
    );
    expect(found).toEqual([
      ["job.yaml", 14, 'container "setup" is privileged: it has every capability and access to all of the node\'s devices', false, undefined],
      ["job.yaml", 20, 'container "run" is privileged: it has every capability and access to all of the node\'s devices', false, undefined],
    ]);
    expect(after).toEqual({});
  });

  it("passes privileged: false, a quoted \"true\" (a string, which the API server rejects) and no securityContext", () => {
    const { found } = run(
      {
        "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: a
      image: a:1
      securityContext:
        privileged: false
    - name: b
      image: b:1
      securityContext:
        privileged: "true"
    - name: c
      image: c:1
`,
      },
      RULE,
    );
    expect(found).toEqual([]);
  });
});
