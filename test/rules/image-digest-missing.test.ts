import { describe, expect, it } from "vitest";
import { rows, scan, scanFixture, subjects, tempTree, yaml } from "./helpers.js";

const RULE = "image-digest-missing";
const only = { rules: [RULE] };
const unpinned = (container: string, image: string) => `container "${container}" image "${image}" is not pinned by digest`;
const DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe(RULE, () => {
  it("reports tagged images in every workload kind, CronJobs included, at the image value", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 12, 14, unpinned("pod-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 29, 18, unpinned("deployment-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 43, 18, unpinned("statefulset-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 54, 18, unpinned("daemonset-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 65, 18, unpinned("replicaset-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 76, 18, unpinned("rc-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 87, 18, unpinned("job-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 104, 22, unpinned("cronjob-main", "nginx:1.25")],
      [RULE, "workloads.yaml", 115, 18, unpinned("rollout-main", "nginx:1.25")],
    ]);
    expect(findings.map((f) => f.resource?.kind)).toEqual([
      "Pod",
      "Deployment",
      "StatefulSet",
      "DaemonSet",
      "ReplicaSet",
      "ReplicationController",
      "Job",
      "CronJob",
      "Rollout",
    ]);
    expect(findings.every((f) => f.severity === "medium")).toBe(true);
  });

  it("leaves untagged and :latest images to image-tag-mutable, and digests and templates alone", () => {
    // The same images image-tag-mutable's fixtures use: only nginx:1.25 is a pinned-but-movable tag.
    expect(rows(scanFixture("image-tag-mutable", only))).toEqual([[RULE, "images.yaml", 13, 14, unpinned("versioned", "nginx:1.25")]]);
  });

  it("reports init and ephemeral containers", () => {
    const root = tempTree({
      "pod.yaml": yaml(
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: debug}",
        "spec:",
        `  containers: [{name: app, image: "app@${DIGEST}"}]`,
        "  initContainers: [{name: init, image: init:2}]",
        "  ephemeralContainers: [{name: shell, image: busybox:1.36}]",
      ),
    });
    const findings = scan(root, only);
    expect(rows(findings)).toEqual([
      [RULE, "pod.yaml", 6, 40, unpinned("init", "init:2")],
      [RULE, "pod.yaml", 7, 46, unpinned("shell", "busybox:1.36")],
    ]);
  });

  it("follows aliases: an aliased container or image is reported where the anchored value is written", () => {
    const findings = scanFixture(RULE, only).filter((f) => f.file === "anchors.yaml");
    expect(rows(findings)).toEqual([
      [RULE, "anchors.yaml", 11, 25, unpinned("base", "app:1.0")],
      [RULE, "anchors.yaml", 11, 25, unpinned("base", "app:1.0")],
      [RULE, "anchors.yaml", 11, 25, unpinned("sidecar", "app:1.0")],
    ]);
    expect(subjects(findings)).toEqual(["Deployment/anchors base", "Deployment/anchors base", "Deployment/anchors sidecar"]);
    // The init container and its alias in containers are the same subject twice: their fingerprints are still kept apart.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
  });
});
