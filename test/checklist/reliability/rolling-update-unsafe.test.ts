import { describe, expect, it } from "vitest";
import { run, workload } from "./helpers.js";

const RULE = ["rolling-update-unsafe"];
const rolling = (maxUnavailable: string) => `  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: ${maxUnavailable}`;

describe("rolling-update-unsafe", () => {
  it("reports Recreate at its type, and a maxUnavailable that covers every replica at its value", () => {
    const { findings, changeset } = run(
      {
        "recreate.yaml": workload({ name: "recreate", replicas: "3", spec: "  strategy:\n    type: Recreate" }),
        "all.yaml": workload({ name: "all", replicas: "3", spec: rolling("100%") }),
        "count.yaml": workload({ name: "count", replicas: "3", spec: rolling("3") }),
        "more.yaml": workload({ name: "more", replicas: "2", spec: rolling("5") }),
        "flow.yaml": workload({ name: "flow", replicas: "2", spec: "  strategy: {rollingUpdate: {maxUnavailable: '100%'}}" }),
      },
      RULE,
    );
    expect(findings).toEqual([
      { rule: "rolling-update-unsafe", file: "all.yaml", line: 11, message: 'Deployment "all" runs 3 replicas with rollingUpdate.maxUnavailable: 100%: an update may take all of them down at once', fixable: false },
      { rule: "rolling-update-unsafe", file: "count.yaml", line: 11, message: 'Deployment "count" runs 3 replicas with rollingUpdate.maxUnavailable: 3: an update may take all of them down at once', fixable: false },
      { rule: "rolling-update-unsafe", file: "flow.yaml", line: 7, message: 'Deployment "flow" runs 2 replicas with rollingUpdate.maxUnavailable: 100%: an update may take all of them down at once', fixable: false },
      { rule: "rolling-update-unsafe", file: "more.yaml", line: 11, message: 'Deployment "more" runs 2 replicas with rollingUpdate.maxUnavailable: 5: an update may take all of them down at once', fixable: false },
      { rule: "rolling-update-unsafe", file: "recreate.yaml", line: 8, message: 'Deployment "recreate" runs 3 replicas with strategy Recreate: every update stops all of them before it starts new ones', fixable: false },
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("leaves the default strategy, safe values, rounded-down percentages, one replica, and StatefulSets", () => {
    const { findings } = run(
      {
        "default.yaml": workload({ name: "default", replicas: "3" }),
        "one.yaml": workload({ name: "one", replicas: "3", spec: rolling("1") }),
        // Percentages round down: 2 × 50% = 1, 4 × 90% = 3, 2 × 99% = 1 leave a pod running.
        "half.yaml": workload({ name: "half", replicas: "2", spec: rolling("50%") }),
        "ninety.yaml": workload({ name: "ninety", replicas: "4", spec: rolling("90%") }),
        "almost.yaml": workload({ name: "almost", replicas: "2", spec: rolling('"99%"') }),
        "single.yaml": workload({ name: "single", replicas: "1", spec: "  strategy:\n    type: Recreate" }),
        "unset.yaml": workload({ name: "unset", spec: "  strategy:\n    type: Recreate" }),
        "sts.yaml": workload({ kind: "StatefulSet", name: "sts", replicas: "3", spec: "  updateStrategy:\n    type: OnDelete" }),
        "templated.yaml": workload({ name: "templated", replicas: "3", spec: rolling('"{{ .Values.maxUnavailable }}"') }),
      },
      RULE,
    );
    expect(findings).toEqual([]);
  });
});
