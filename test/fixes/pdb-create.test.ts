/** The PodDisruptionBudget fix: a new manifest beside the workload, listed in its kustomization, verified with its folder. */
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { loadRules } from "../../src/rules/load.js";
import { scanAndFix } from "../checklist/scan-and-fix.js";

const rules = activeRules(loadRules(), {}, ["pdb-missing"]);

const fix = (files: Record<string, string>) => scanAndFix(files, rules);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        version: "2.4"
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:2.4
`;

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: web
`;

describe("pdb-create: a PodDisruptionBudget for a replicated workload", () => {
  it("writes it beside the workload, selecting by the workload's selector, and lists it in the kustomization", () => {
    const { changeset, after } = fix({
      "apps/web/deployment.yaml": DEPLOYMENT,
      "apps/web/kustomization.yaml": "# The storefront.\nresources:\n  - deployment.yaml # the app\n",
    });
    expect(changeset.skipped).toEqual([]);
    expect(after).toEqual({
      "apps/web/web-pdb.yaml": PDB,
      "apps/web/kustomization.yaml": "# The storefront.\nresources:\n  - deployment.yaml # the app\n  - web-pdb.yaml\n",
    });
    expect(changeset.files.map((file) => [file.path, file.created === true])).toEqual([
      ["apps/web/web-pdb.yaml", true],
      ["apps/web/kustomization.yaml", false],
    ]);
    expect(changeset.applied.map((applied) => applied.explanation)).toEqual([
      'Adds apps/web/web-pdb.yaml: a PodDisruptionBudget that lets node drains and cluster upgrades evict at most one pod of Deployment "web" at a time. Lists it in apps/web/kustomization.yaml\'s resources.',
    ]);
    // With both files, the finding is gone.
    const again = fix({ "apps/web/deployment.yaml": DEPLOYMENT, ...after });
    expect(again.scanned.findings).toEqual([]);
  });

  it("writes only the file when no kustomization lists the workload, and never overwrites a file of that name", () => {
    expect(Object.keys(fix({ "web.yaml": DEPLOYMENT }).after)).toEqual(["web-pdb.yaml"]);
    const taken = fix({ "web.yaml": DEPLOYMENT, "web-pdb.yaml": "# Someone's notes.\n" });
    expect(taken.changeset.files).toEqual([]);
    expect(taken.changeset.skipped.map((skip) => skip.reason)).toEqual(["web-pdb.yaml already exists; Shipshape does not overwrite it"]);
  });
});
