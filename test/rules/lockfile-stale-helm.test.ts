import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { fixSettingsOf, type ConfigFile } from "../../src/config/types.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { catalog, rows, scan, tempTree } from "./helpers.js";

const RULE = "lockfile-stale";
const HELM = fileURLToPath(new URL("../fixtures/lockfiles/helm/", import.meta.url));
const only = { rules: [RULE] };
/** Scans with the config's settings too (lockfiles.helm.repositories). */
const scanWith = (root: string, config: ConfigFile) => scanDirectory({ root, rules: activeRules(catalog, config, [RULE]), fixSettings: fixSettingsOf(config) }).findings;

describe(`${RULE} (Helm)`, () => {
  it("reports a stale digest, a locked version outside its constraint and a missing lock; a fresh lock and a v1 chart pass", () => {
    const findings = scan(HELM, only);
    expect(rows(findings)).toEqual([
      [RULE, "charts/api/Chart.yaml", 4, 1, "charts/api has dependencies but no Chart.lock"],
      [RULE, "charts/web/Chart.lock", 4, 12, "redis 17.3.1 in Chart.lock does not satisfy Chart.yaml's ~17.4.0"],
      [RULE, "charts/web/Chart.lock", 5, 9, expect.stringMatching(/^Chart\.lock digest sha256:0{64} does not match Chart\.yaml's dependencies \(Helm computes sha256:[0-9a-f]{64}\): run `helm dependency update charts\/web`$/)],
    ]);
    expect(findings.map((f) => f.severity)).toEqual(["high", "high", "high"]);
  });

  it("accepts the digest Helm writes once `@name` resolves through lockfiles.helm.repositories, and reports it when the URL differs", () => {
    const chart = ["apiVersion: v2", "name: app", "version: 1.0.0", "dependencies:", "  - name: alpine", "    version: 0.1.0", "    repository: '@local'", ""].join("\n");
    const lock = ["dependencies:", "- name: alpine", "  repository: http://localhost:8879/charts", "  version: 0.1.0", "digest: sha256:fb239e836325c5fa14b29d1540a13b7d3ba13151b67fe719f820e0ef6d66aaaf", ""].join("\n");
    const root = tempTree({ "Chart.yaml": chart, "Chart.lock": lock });
    expect(scan(root, only)).toEqual([]);
    expect(scanWith(root, { lockfiles: { helm: { repositories: { local: "http://localhost:8879/charts" } } } })).toEqual([]);
    const moved = scanWith(root, { lockfiles: { helm: { repositories: { local: "https://charts.example.com" } } } });
    expect(rows(moved).map((row) => row.slice(1, 4))).toEqual([["Chart.lock", 5, 9]]);
    expect(moved[0]?.message).toContain("run `helm dependency update .`");
  });
});
