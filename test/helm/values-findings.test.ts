/**
 * Container rules on Helm charts, judged as the values make each container, reported at the values key and
 * fixed there, byte for byte; fields the template writes (or has no hook for) are reported in the template.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { readTree } from "../pins/helpers.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
/** SHIPSHAPE_UPDATE_GOLDENS=1 rewrites test/fixtures/helm-fixed from this run; review the diff before committing. */
const UPDATE = process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1";
const RULES = ["liveness-probe-missing", "readiness-probe-missing", "resource-requests-missing", "memory-limit-missing", "run-as-non-root-missing", "privilege-escalation-allowed"];
const rules = activeRules(loadRules(), {}, RULES);

function scan(files: Record<string, string>) {
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  return scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: DEFAULT_FIX_SETTINGS });
}

const rowsOf = (findings: ReturnType<typeof scan>["findings"]) => findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule} ${finding.fixable ? "fixable" : `not fixable: ${finding.notFixableReason}`}`);

describe("Helm charts: container rules at the values people maintain", () => {
  const charts = readTree(join(FIXTURES, "helm"));

  it("reports each container's missing fields where its values come from, or in the template when it writes them", () => {
    const scanned = scan(charts);
    expect(rowsOf(scanned.findings)).toEqual([
      // Bitnami style: the probe is configured but `enabled: false`; resources empty with resourcesPreset "none". The
      // init container is left out: volumePermissions.enabled is false, so it is not deployed.
      "db/values.yaml:10 liveness-probe-missing fixable",
      "db/values.yaml:24 memory-limit-missing fixable",
      "db/values.yaml:24 resource-requests-missing fixable",
      // Older helm create: resources and securityContext from values; the probes are written in the template.
      "web-legacy/values.yaml:7 privilege-escalation-allowed fixable",
      "web-legacy/values.yaml:7 run-as-non-root-missing fixable",
      "web-legacy/values.yaml:8 memory-limit-missing fixable",
      "web-legacy/values.yaml:8 resource-requests-missing fixable",
      // A CronJob whose template takes nothing from values: the fix belongs in the template.
      "web/templates/cronjob.yaml:14 memory-limit-missing not fixable: web/templates/cronjob.yaml takes no resources from values: the fix belongs in the template",
      "web/templates/cronjob.yaml:14 privilege-escalation-allowed not fixable: web/templates/cronjob.yaml takes no securityContext from values: the fix belongs in the template",
      "web/templates/cronjob.yaml:14 resource-requests-missing not fixable: web/templates/cronjob.yaml takes no resources from values: the fix belongs in the template",
      "web/templates/cronjob.yaml:14 run-as-non-root-missing not fixable: web/templates/cronjob.yaml takes no securityContext from values: the fix belongs in the template",
      "web/templates/worker.yaml:18 privilege-escalation-allowed not fixable: web/templates/worker.yaml takes no securityContext from values: the fix belongs in the template",
      "web/templates/worker.yaml:18 run-as-non-root-missing not fixable: web/templates/worker.yaml takes no securityContext from values: the fix belongs in the template",
      // helm create (3.14+): `securityContext: {}` and `resources: {}`; values-prod.yaml sets resources, so only the base is reported.
      "web/values.yaml:12 privilege-escalation-allowed fixable",
      "web/values.yaml:12 run-as-non-root-missing fixable",
      "web/values.yaml:16 memory-limit-missing fixable",
      "web/values.yaml:16 resource-requests-missing fixable",
      "web/values.yaml:31 memory-limit-missing fixable",
      "web/values.yaml:31 resource-requests-missing fixable",
    ]);
    const liveness = scanned.findings.find((finding) => finding.file === "db/values.yaml" && finding.rule === "liveness-probe-missing");
    expect(liveness?.message).toBe('container "postgresql" has no livenessProbe in StatefulSet templates/primary-statefulset.yaml, which takes it from .Values.primary.livenessProbe');
    expect(liveness?.resource).toEqual({ kind: "StatefulSet", name: "db", namespace: undefined });
  });

  it("fixes them in the values files, byte for byte, and a rescan finds nothing left there", () => {
    const scanned = scan(charts);
    const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS });
    expect(changeset.files.map((file) => file.path)).toEqual(["db/values.yaml", "web-legacy/values.yaml", "web/values.yaml"]);
    for (const file of changeset.files) {
      const golden = join(FIXTURES, "helm-fixed", file.path);
      if (UPDATE) {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, file.after);
      }
      expect(file.after, file.path).toBe(readFileSync(golden, "utf8"));
    }
    const db = changeset.applied.find((fix) => fix.file === "db/values.yaml" && fix.rule === "liveness-probe-missing");
    expect(db?.explanation).toBe("Sets .Values.primary.livenessProbe.enabled to true: the probe is configured in values but switched off.");
    const fixed = { ...charts, ...Object.fromEntries(changeset.files.map((file) => [file.path, file.after])) };
    expect(scan(fixed).findings.filter((finding) => finding.file.endsWith("values.yaml"))).toEqual([]);
  });

  it("reports an environment file that sets the field itself, and fixes it there", () => {
    const staging = { ...charts, "web/values-staging.yaml": "# Staging is small.\nresources:\n  requests:\n    cpu: 50m\n" };
    const scanned = scan(staging);
    expect(rowsOf(scanned.findings).filter((row) => row.startsWith("web/values-staging"))).toEqual([
      "web/values-staging.yaml:3 memory-limit-missing fixable",
      "web/values-staging.yaml:3 resource-requests-missing fixable",
    ]);
    const changeset = fixFindings(scanned.workspace, scanned.findings.filter((finding) => finding.file === "web/values-staging.yaml"), { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS });
    expect(changeset.files.map((file) => [file.path, file.after])).toEqual([
      ["web/values-staging.yaml", "# Staging is small.\nresources:\n  requests:\n    cpu: 50m\n    memory: 128Mi\n  limits:\n    memory: 256Mi\n"],
    ]);
  });
});
