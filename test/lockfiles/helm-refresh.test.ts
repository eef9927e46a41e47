/**
 * When a Helm lock cannot be refreshed, and why: each reason a finding carries instead of a fix. The chart
 * repository client here answers from a table (the real one is tested against real servers in
 * test/helm-repos and helm-lock-refresh.test.ts); what is asserted is what Shipshape does with its answers.
 */
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, type ConfigFile } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import type { ChartRepositoryClient, ChartVersionsResult } from "../../src/helm-repos/types.js";
import { runLookupStep } from "../../src/pins/look-up-step.js";
import { helmHashReq, type HelmDependency } from "../../src/lockfiles/helm-lock-digest.js";
import type { RegistryClient } from "../../src/registry/types.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";

const NOW = new Date("2026-11-22T00:00:00Z");
const REPO = "https://charts.example.com/stable";

/** A chart repository client answering from `versions` ("repository chart" → result), recording what it was asked. */
function tableClient(versions: Record<string, ChartVersionsResult>): { client: ChartRepositoryClient; asked: string[] } {
  const asked: string[] = [];
  const client: ChartRepositoryClient = {
    chartVersions: async (repository, chart) => {
      asked.push(`${repository} ${chart}`);
      return versions[`${repository} ${chart}`] ?? { ok: false, reason: `${chart} is not in ${repository}'s index.yaml`, retryable: false };
    },
    stats: () => ({ requests: asked.length, lookups: asked.length, cacheHits: 0 }),
  };
  return { client, asked };
}

const noRegistry = (): RegistryClient => {
  throw new Error("no registry is needed here");
};

async function refresh(files: Record<string, string>, versions: Record<string, ChartVersionsResult>, config: ConfigFile = {}, fixing = true) {
  const rules = activeRules(loadRules(), config, ["lockfile-stale", "lockfile-maintenance"]);
  const fixSettings = fixSettingsOf(config);
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings, now: NOW });
  const { client, asked } = tableClient(versions);
  const step = await runLookupStep(scanned, { rules, fixSettings, client: noRegistry, charts: () => client, fixing });
  const changeset = fixFindings(step.scanned.workspace, step.scanned.findings, { rules, settings: fixSettings, limits: DEFAULT_LIMITS, lockfiles: step.lockfiles, now: NOW });
  return {
    asked,
    problems: step.problems,
    findings: step.scanned.findings.map((finding) => [finding.rule, finding.file, finding.fixable, finding.notFixableReason]),
    written: changeset.files.map((file) => file.path),
    skipped: changeset.skipped.map((skip) => [skip.rule, skip.reason]),
  };
}

const chart = (deps: string) => `apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n${deps}`;
const REDIS = `  - name: redis\n    version: ~17.3.0\n    repository: ${REPO}\n`;
const OK = { ok: true as const, versions: ["17.3.14", "17.3.1"] };

describe("Helm locks Shipshape cannot refresh, and why", () => {
  it("a chart without a lock gets one; nothing is asked twice", async () => {
    const result = await refresh({ "web/Chart.yaml": chart(REDIS + REDIS.replace("redis\n", "redis\n    alias: cache\n")) }, { [`${REPO} redis`]: OK });
    expect(result.asked).toEqual([`${REPO} redis`]);
    expect(result.written).toEqual(["web/Chart.lock"]);
    expect(result.skipped).toEqual([]);
  });

  it("a repository named @name that neither the config nor the lock resolves: the config key to add", async () => {
    const result = await refresh({ "web/Chart.yaml": chart("  - name: redis\n    version: ~17.3.0\n    repository: '@stable'\n") }, {});
    const reason = "web/Chart.yaml names the repository @stable: add its URL under lockfiles.helm.repositories in the config";
    expect(result.findings).toEqual([["lockfile-stale", "web/Chart.yaml", false, reason]]);
    expect(result.asked).toEqual([]);
    expect(result.skipped).toEqual([["lockfile-stale", reason]]);
  });

  it("an invalid constraint, a local chart that is not there, a repository scheme Helm cannot read", async () => {
    const cases: Array<[string, string]> = [
      [`  - name: redis\n    version: "~>>17"\n    repository: ${REPO}\n`, 'dependency redis has an invalid version constraint "~>>17"'],
      ["  - name: lib\n    version: ^1\n    repository: file://../lib\n", "dependency lib: no chart with a version at file://../lib in the repository"],
      ["  - name: lib\n    version: ^1\n", "dependency lib has no repository and web/charts/lib is not in the repository"],
      ["  - name: lib\n    version: ^1\n    repository: s3://bucket/charts\n", "dependency lib: Shipshape cannot read the repository s3://bucket/charts"],
    ];
    for (const [deps, reason] of cases) {
      const result = await refresh({ "web/Chart.yaml": chart(deps) }, {});
      expect(result.findings, deps).toEqual([["lockfile-stale", "web/Chart.yaml", false, reason]]);
    }
  });

  it("a repository that could not be asked, or offers no version within the constraint: the finding says so after the look-up", async () => {
    const offline: ChartVersionsResult = { ok: false, reason: `redis from ${REPO}: looking up chart versions needs the network, and Shipshape is offline`, retryable: false, needsNetwork: true };
    const down = await refresh({ "web/Chart.yaml": chart(REDIS) }, { [`${REPO} redis`]: offline });
    expect(down.findings).toEqual([["lockfile-stale", "web/Chart.yaml", false, offline.reason]]);
    expect(down.written).toEqual([]);
    const none = await refresh({ "web/Chart.yaml": chart(REDIS) }, { [`${REPO} redis`]: { ok: true, versions: ["18.0.0", "17.2.9"] } });
    expect(none.findings).toEqual([["lockfile-stale", "web/Chart.yaml", false, "no version of redis satisfies web/Chart.yaml's constraint"]]);
  });

  it("a committed archive of a version the new lock moves away from: helm dependency update must replace it", async () => {
    const result = await refresh(
      {
        "web/Chart.yaml": chart(REDIS),
        "web/Chart.lock": `dependencies:\n- name: redis\n  repository: ${REPO}\n  version: 17.3.1\ndigest: sha256:0\ngenerated: "2026-01-01T00:00:00Z"\n`,
        "web/charts/redis-17.3.1.tgz": "\u001f\u008b archive",
      },
      { [`${REPO} redis`]: OK },
    );
    const reason = "web/charts/redis-17.3.1.tgz is committed: run `helm dependency update web` so the archives match the new lock";
    expect(result.findings).toEqual([["lockfile-stale", "web/Chart.lock", false, reason]]);
    expect(result.written).toEqual([]);
  });

  it("lockfile-maintenance: not before maxAgeDays, not when nothing newer is allowed, and only what the config asks", async () => {
    const lock = (version: string, generated: string) => `dependencies:\n- name: redis\n  repository: ${REPO}\n  version: ${version}\ndigest: DIGEST\ngenerated: "${generated}"\n`;
    const files = (version: string, generated: string) => ({ "web/Chart.yaml": chart(REDIS), "web/Chart.lock": lock(version, generated) });
    // The digest Helm computes for that lock, so that lockfile-stale has nothing to say.
    const dependency = (version: string): HelmDependency => ({ name: "redis", version, repository: REPO, condition: "", tags: null, enabled: false, importValues: null, alias: "" });
    const valid = async (version: string, generated: string) =>
      Object.fromEntries(Object.entries(files(version, generated)).map(([path, text]) => [path, text.replace("DIGEST", helmHashReq([dependency("~17.3.0")], [dependency(version)]))]));
    const config: ConfigFile = { lockfiles: { maxAgeDays: 60 } };
    const young = await refresh(await valid("17.3.1", "2026-10-01T00:00:00Z"), { [`${REPO} redis`]: OK }, config);
    expect(young).toMatchObject({ findings: [], asked: [] });
    const old = await refresh(await valid("17.3.1", "2026-09-01T00:00:00Z"), { [`${REPO} redis`]: OK }, config);
    expect(old.findings).toEqual([["lockfile-maintenance", "web/Chart.lock", true, undefined]]);
    expect(old.written).toEqual(["web/Chart.lock"]);
    const current = await refresh(await valid("17.3.14", "2026-09-01T00:00:00Z"), { [`${REPO} redis`]: OK }, config);
    expect(current).toMatchObject({ findings: [], asked: [`${REPO} redis`] });
    const unreachable = await refresh(await valid("17.3.1", "2026-09-01T00:00:00Z"), { [`${REPO} redis`]: { ok: false, reason: "the repository answered 503", retryable: true } }, config);
    expect(unreachable).toMatchObject({ findings: [], problems: ["could not check whether a Helm lock has newer versions: the repository answered 503"] });
  });
});
