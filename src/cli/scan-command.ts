import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import picocolors from "picocolors";
import { loadConfig } from "../config/load.js";
import { resolveNow } from "../config/now.js";
import { activeRules } from "../config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf } from "../config/types.js";
import { writeFileAtomically } from "../delivery/atomic-write.js";
import type { Changeset } from "../fixes/changeset.js";
import { formatJson } from "../report/json.js";
import { formatSarif } from "../report/sarif.js";
import { summarise, type FailOn } from "../report/summary.js";
import { plural } from "../report/plural.js";
import { formatText } from "../report/text.js";
import type { Rule } from "../rules/types.js";
import { NO_DIGESTS, type DigestTable } from "../pins/lookup.js";
import { NO_LOCKFILE_LOOKUPS, type LockfileLookups } from "../lockfiles/lookups.js";
import { chartClientOptions } from "../helm-repos/settings.js";
import type { KustomizeSource } from "../kustomize/render.js";
import { rescanWithLookups, scanFiles } from "../scan/scan.js";
import { loadWorkspace, type WorkspaceFile } from "../workspace/load.js";
import { withChanges } from "../workspace/with-changes.js";
import { colorsFor } from "./colors.js";
import { progressReporter } from "./progress.js";
import { UsageError } from "./usage-error.js";

const NO_COLORS = picocolors.createColors(false);

function writeReport(path: string, report: string): void {
  try {
    writeFileAtomically(path, report);
  } catch (error) {
    throw new UsageError(`--output ${path}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export type OutputFormat = "text" | "json" | "sarif";

export interface ScanCommandOptions {
  format: OutputFormat;
  output?: string;
  config?: string;
  rule: string[];
  failOn: FailOn;
  fix?: boolean;
  dryRun?: boolean;
  /** Never ask a registry: pins and digest checks report that they need the network. */
  offline?: boolean;
  /** The time certificates are judged at (ISO 8601). */
  now?: string;
}

/** `shipshape scan [DIR]`; resolves to the exit code: 0 clean, 1 findings at or above --fail-on. */
export async function runScanCommand(dir: string, options: ScanCommandOptions, catalog: readonly Rule[], version: string): Promise<number> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  if (options.dryRun && !options.fix) throw new UsageError("--dry-run goes with --fix");
  const { config } = loadConfig(root, options.config);
  const rules = activeRules(catalog, config, options.rule);
  const fixSettings = fixSettingsOf(config);
  const limits = { ...DEFAULT_LIMITS, ...config.limits };
  const progress = progressReporter();
  const now = resolveNow({ flag: options.now, env: process.env["SHIPSHAPE_NOW"], config: config.now });
  const files = loadWorkspace(root, { maxFileBytes: limits.maxFileBytes, ignorePaths: config.ignorePaths ?? [] });
  const warn = (message: string) => process.stderr.write(`shipshape: ${message}\n`);
  /** Scans the files and renders their kustomizations: the first scan, and the one of what --fix writes. */
  const scanAndRender = async (workspaceFiles: readonly WorkspaceFile[], source: KustomizeSource, onProgress?: (done: number, total: number) => void) => {
    const found = scanFiles(workspaceFiles, { rules, limits, fixSettings, now, ...(onProgress ? { onProgress } : {}) });
    if (!found.workspace.files.some((file) => file.role === "kustomization")) return { scanned: found };
    // Overlays are rendered only where there are kustomizations: the renderer is loaded only then.
    const { renderStep } = await import("../kustomize/render-step.js");
    return renderStep(found, source, { rules, fixSettings });
  };
  const first = await scanAndRender(files, diskSource(root, files), progress.update);
  progress.done();
  if (first.problem) warn(first.problem);
  let scanned = first.scanned;
  let digests: DigestTable | undefined;
  let lockfiles: LockfileLookups | undefined;
  // Offline, pins are looked up all the same, so the report says which ones need the network.
  const pinning = options.fix === true || options.offline === true;
  if (scanned.lookups.length > 0 || scanned.chartLookups.length > 0 || pinning) {
    // The registry and chart repository clients are loaded only when something needs a look-up.
    const [{ runLookupStep, lazyLookupClients }, { createRegistryClient }, { registryOptionsOf }] = await Promise.all([
      import("../pins/look-up-step.js"),
      import("../registry/client.js"),
      import("../registry/settings.js"),
    ]);
    const offline = options.offline === true;
    const registryOptions = { ...registryOptionsOf(config.registries), offline, log: warn };
    const clients = lazyLookupClients(() => createRegistryClient(registryOptions), chartClientOptions(registryOptions));
    const step = await runLookupStep(scanned, { rules, fixSettings, ...clients, offline, fixing: pinning });
    for (const problem of step.problems) warn(problem);
    ({ scanned, digests, lockfiles } = step);
    if (step.stats && step.stats.lookups > 0) warn(`looked up ${step.stats.lookups} image ${plural(step.stats.lookups, "tag")} with ${step.stats.requests} registry ${plural(step.stats.requests, "request")}`);
    if (step.chartStats && step.chartStats.lookups > 0) {
      const { lookups, requests } = step.chartStats;
      warn(`looked up chart versions in ${lookups} ${lookups === 1 ? "repository" : "repositories"} with ${requests} HTTP ${plural(requests, "request")}`);
    }
  }
  let result = scanned;
  if (options.fix) {
    // The fix path brings the YAML editor and diff: loaded only when asked for, so plain scans start faster.
    const [{ fixFindings }, { unifiedDiff, writeChangeset }, { formatFixSummary }] = await Promise.all([
      import("../fixes/engine.js"),
      import("../delivery/local.js"),
      import("../report/fix-summary.js"),
    ]);
    const fixed = fixFindings(scanned.workspace, scanned.findings, { rules, settings: fixSettings, limits, now, ...(digests ? { digests } : {}), ...(lockfiles ? { lockfiles } : {}) });
    const changeset = scanned.renderings
      ? await (await import("../kustomize/overlay-fixes.js")).withOverlayFixes(fixed, scanned, scanned.findings, { rules, settings: fixSettings, limits, source: diskSource(root, scanned.workspace.files) })
      : fixed;
    process.stderr.write(formatFixSummary(changeset, options.dryRun === true, colorsFor(process.stderr)));
    // What remains is what a new scan of the written files finds: cross-file rules see the files the fixes added.
    const written = withChanges(files, changeset);
    const rescanned = (await scanAndRender(written, changedSource(diskSource(root, files), changeset))).scanned;
    result = digests || lockfiles ? rescanWithLookups(rescanned, rules, fixSettings, { digests: digests ?? NO_DIGESTS, lockfiles: lockfiles ?? NO_LOCKFILE_LOOKUPS }) : rescanned;
    if (options.dryRun) {
      emit(unifiedDiff(changeset), options.output);
      return summarise(result, options.failOn).failed ? 1 : 0;
    }
    writeChangeset(root, changeset);
  }
  const summary = summarise(result, options.failOn);
  const report =
    options.format === "json"
      ? formatJson(result, summary)
      : options.format === "sarif"
        ? formatSarif(result, rules.map((active) => active.rule), version)
        : formatText(result, summary, options.output === undefined ? colorsFor(process.stdout) : NO_COLORS);
  emit(report, options.output);
  return summary.failed ? 1 : 0;
}

/** The scanned folder's files as kustomize reads them, from disk. */
function diskSource(root: string, files: readonly { path: string }[]): KustomizeSource {
  return {
    paths: files.map((file) => file.path),
    read: (path) => {
      try {
        return readFileSync(join(root, path));
      } catch {
        return undefined;
      }
    },
  };
}

function emit(report: string, output: string | undefined): void {
  if (output === undefined) process.stdout.write(report);
  else writeReport(output, report);
}

/** The files as the changeset leaves them, for kustomize: its new texts, the rest from disk. */
function changedSource(disk: KustomizeSource, changeset: Changeset): KustomizeSource {
  const after = new Map(changeset.files.map((change) => [change.path, Buffer.from(change.after)]));
  return { paths: [...new Set([...disk.paths, ...after.keys()])].sort(), read: (path) => after.get(path) ?? disk.read(path) };
}
