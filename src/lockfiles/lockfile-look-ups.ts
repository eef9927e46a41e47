import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import { FIXES } from "../fixes/registry.js";
import type { ChartRepositoryClient } from "../helm-repos/types.js";
import type { Finding } from "../scan/finding.js";
import type { ScanResult } from "../scan/scan.js";
import { baseName, chartsWithDependencies, dirOf, inDir } from "./helm-charts.js";
import { planHelmResolution } from "./helm-resolve.js";
import { chartLookupKey, type ChartLookup, type LockfileLookups } from "./lookups.js";
import { regenerateNpmLock, type RegeneratedLock } from "./npm-regenerate.js";

const HELM_LOCKS = new Set(["Chart.lock", "requirements.lock"]);
// npm-shrinkwrap.json is not regenerated (see lockfile-stale.ts).
const NPM_LOCKS = new Set(["package-lock.json"]);

/**
 * The lockfile half of the look-up step: the chart versions that checks
 * asked for (lockfile-maintenance) and, when fixing, those every fixable
 * Helm lock needs; and, when fixing, a regenerated package-lock.json for
 * every fixable npm lock. Never rejects: failures are results that say why.
 */
export async function lookUpLockfiles(
  scanned: ScanResult,
  options: { rules: readonly ActiveRule[]; fixSettings: FixSettings; charts: () => ChartRepositoryClient | Promise<ChartRepositoryClient>; offline: boolean; fixing: boolean },
): Promise<{ lockfiles: LockfileLookups; problems: string[] } | undefined> {
  const fixable = options.fixing ? lockfileFixes(scanned.findings, options.rules) : [];
  const locks = [...new Set(fixable.map((finding) => finding.targetFile as string))];
  const chartLookups = new Map(scanned.chartLookups.map((lookup) => [chartLookupKey(lookup), lookup]));
  for (const lookup of helmLookupsOf(scanned, locks.filter((path) => HELM_LOCKS.has(baseName(path))), options.fixSettings)) chartLookups.set(chartLookupKey(lookup), lookup);
  const npmLocks = locks.filter((path) => NPM_LOCKS.has(baseName(path)));
  if (chartLookups.size === 0 && npmLocks.length === 0) return undefined;

  const client = chartLookups.size > 0 ? await options.charts() : undefined;
  const [chartVersions, regenerated] = await Promise.all([
    Promise.all([...chartLookups].map(async ([key, lookup]) => [key, await client!.chartVersions(lookup.repository, lookup.chart)] as const)),
    // One npm at a time: each resolves a whole dependency tree.
    npmLocks.reduce<Promise<Array<readonly [string, RegeneratedLock]>>>(async (done, path) => [...(await done), [path, await regenerate(scanned, path, options)] as const], Promise.resolve([])),
  ]);
  const wanted = new Set(scanned.chartLookups.map(chartLookupKey));
  const problems = chartVersions.flatMap(([key, result]) => (wanted.has(key) && !result.ok ? [`could not check whether a Helm lock has newer versions: ${result.reason}`] : []));
  return { lockfiles: { chartVersions: new Map(chartVersions), npmLocks: new Map(regenerated) }, problems };
}

/** Fixable findings whose rule rewrites a lockfile. */
function lockfileFixes(findings: readonly Finding[], rules: readonly ActiveRule[]): Finding[] {
  const rewrites = new Set(rules.filter((active) => active.rule.fix && FIXES.get(active.rule.fix.name)?.scope === "lockfile").map((active) => active.rule.id));
  return findings.filter((finding) => finding.fixable && rewrites.has(finding.rule) && finding.targetFile !== undefined);
}

/** The repositories to ask for the charts whose locks are to be refreshed. */
function helmLookupsOf(scanned: ScanResult, lockPaths: readonly string[], settings: FixSettings): ChartLookup[] {
  const wanted = new Set(lockPaths);
  return chartsWithDependencies(scanned.workspace)
    .filter((chart) => wanted.has(chart.lockPath))
    .flatMap((chart) => {
      const plan = planHelmResolution(chart, settings.lockfiles.helm.repositories);
      return plan.ok ? plan.lookups : [];
    });
}

function regenerate(scanned: ScanResult, lockPath: string, options: { fixSettings: FixSettings; offline: boolean }): Promise<RegeneratedLock> {
  const textOf = (name: string) => scanned.workspace.files.find((file) => file.path === inDir(dirOf(lockPath), name))?.text;
  const packageJson = textOf("package.json");
  const packageLock = textOf(baseName(lockPath));
  if (packageJson === undefined || packageLock === undefined) return Promise.resolve({ ok: false, reason: `${lockPath} or its package.json could not be read` });
  const npmrc = textOf(".npmrc");
  return regenerateNpmLock({ packageJson, packageLock, ...(npmrc === undefined ? {} : { npmrc }) }, { timeoutMs: options.fixSettings.lockfiles.npm.timeoutSeconds * 1000, offline: options.offline });
}
