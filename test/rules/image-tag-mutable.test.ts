import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, rows, scan, scanFixture, subjects, tempTree } from "./helpers.js";

const RULE = "image-tag-mutable";
const only = { rules: [RULE] };
const untagged = (container: string, image: string) => `container "${container}" image "${image}" has no tag (so it means :latest) and no digest`;
const latest = (container: string, image: string) => `container "${container}" image "${image}" uses the mutable tag :latest and no digest`;

/** What images.yaml reports, whatever its line endings. */
const imagesFindings = (file: string) => [
  [RULE, file, 9, 14, untagged("untagged", "nginx")],
  [RULE, file, 11, 14, latest("latest", "nginx:latest")],
  // nginx:1.25, digests (with or without a tag, even :latest), templated and missing images: nothing.
  // A quoted image is reported at its first character, inside the quotes.
  [RULE, file, 21, 15, untagged("quoted", "nginx")],
  // The port of a registry is not a tag.
  [RULE, file, 23, 14, untagged("registry-port-no-tag", "localhost:5000/app")],
  [RULE, file, 25, 14, latest("registry-port-latest", "registry.example.com:5000/team/app:latest")],
  [RULE, file, 36, 28, latest("init", "busybox:latest")],
];

describe(RULE, () => {
  it("covers init and ephemeral containers in every workload kind, and nothing outside workloads", () => {
    const findings = scanFixture("all-kinds", only);
    expect(rows(findings)).toEqual([
      [RULE, "workloads.yaml", 15, 14, untagged("pod-init", "busybox")],
      [RULE, "workloads.yaml", 18, 14, untagged("pod-debug", "busybox")],
      [RULE, "workloads.yaml", 32, 18, untagged("deployment-init", "busybox")],
      [RULE, "workloads.yaml", 90, 18, untagged("job-init", "busybox")],
    ]);
    expect(subjects(findings)).toEqual(["Pod/pod pod-init", "Pod/pod pod-debug", "Deployment/deployment deployment-init", "Job/job job-init"]);
    expect(findings.every((f) => f.severity === "high")).toBe(true);
  });

  it("reports untagged and :latest images at the image value, and nothing for versions, digests and templates", () => {
    expect(rows(scanFixture(RULE, only).filter((f) => f.file === "images.yaml"))).toEqual(imagesFindings("images.yaml"));
  });

  it("gives the same positions and messages (no stray \\r) with CRLF line endings", () => {
    const lf = readFileSync(join(FIXTURES, RULE, "images.yaml"), "utf8");
    const root = tempTree({ "images.yaml": lf.replace(/\n/g, "\r\n") });
    expect(rows(scan(root, only))).toEqual(imagesFindings("images.yaml"));
  });

  it("reads the last of two image keys, and parse-error reports the duplicate", () => {
    const findings = scanFixture(RULE, { rules: [RULE, "parse-error"] }).filter((f) => f.file === "duplicate-keys.yaml");
    expect(rows(findings)).toEqual([
      [RULE, "duplicate-keys.yaml", 11, 18, latest("app", "app:latest")],
      [
        "parse-error",
        "duplicate-keys.yaml",
        11,
        11,
        'duplicate key "image" (also defined on line 10); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last',
      ],
    ]);
  });

  it("reports a CronJob's containers through its jobTemplate", () => {
    const root = tempTree({
      "cron.yaml": [
        "apiVersion: batch/v1",
        "kind: CronJob",
        "metadata: {name: nightly, namespace: ops}",
        "spec:",
        "  schedule: '@daily'",
        "  jobTemplate:",
        "    spec:",
        "      template:",
        "        spec:",
        "          containers:",
        "            - name: backup",
        "              image: backup:latest",
        "",
      ].join("\n"),
    });
    const findings = scan(root, only);
    expect(rows(findings)).toEqual([[RULE, "cron.yaml", 12, 22, latest("backup", "backup:latest")]]);
    expect(findings.map((f) => f.resource)).toEqual([{ kind: "CronJob", name: "nightly", namespace: "ops" }]);
  });
});
