import { scheduleAllows } from "../config/cron-match.js";
import { ConfigError } from "../config/load.js";
import { activeRules, type ActiveRule } from "../config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, pullRequestSettingsOf } from "../config/types.js";
import { fixFindings } from "../fixes/engine.js";
import { lazyLookupClients, runLookupStep } from "../pins/look-up-step.js";
import { renderStep } from "../kustomize/render-step.js";
import { withOverlayFixes } from "../kustomize/overlay-fixes.js";
import { chartClientOptions } from "../helm-repos/settings.js";
import { createRegistryClient } from "../registry/client.js";
import { registryOptionsOf } from "../registry/settings.js";
import type { RegistryClientOptions } from "../registry/types.js";
import type { Rule } from "../rules/types.js";
import { scanFiles } from "../scan/scan.js";
import { loadWorkspaceFromFiles } from "../workspace/load.js";
import { reportConfigError } from "./config-issue.js";
import { dashboardAfterScan, showConfigProblem, type DashboardOutcome } from "./dashboard.js";
import { findDashboard } from "./dashboard-state.js";
import { applyDashboardIgnores } from "./ignored-rules.js";
import { groupFixableFindings } from "./groups.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { pullRequestText, type PullRequestText } from "./pr-text.js";
import { closeObsolete, syncPullRequest, type SyncContext, type SyncOutcome } from "./pull-request-sync.js";
import { listShipshapePullRequests } from "./pull-requests.js";
import { readRepositoryConfig, type ConfigFileRead } from "./repository-config.js";
import { lastScanOf } from "./scan-inputs.js";
import { recheckAt } from "./recheck.js";
import { readTarball } from "./tarball.js";
import { resolveNow } from "../config/now.js";
import { deployedBy } from "../argocd/applications.js";
import { repositoryUrlsOf, withArgoRevisions } from "./argocd-revisions.js";
import { withActionRevisions } from "./action-revisions.js";

export interface RepositoryScanReport {
  repository: string;
  /** Why nothing was scanned, when nothing was. */
  skipped?: string;
  findings: number;
  pullRequests: Record<string, SyncOutcome>;
  closed: number[];
  /** Set when the repository's `schedule` kept pull requests as they were (none opened, updated or closed): why. */
  pullRequestsHeld?: string;
  /** What happened to the dashboard issue; absent when the scan never got to it. */
  dashboard?: DashboardOutcome;
}

export interface ScanRepositoryOptions {
  /** How registries are asked for digests. */
  registry?: RegistryClientOptions;
  /** The clock, for the repository's `schedule` and the hourly pull request limit. Default: now. */
  now?: Date;
  /** Open pull requests for these rules even where people closed one before or a limit is reached (`/shipshape fix`, a dashboard checkbox). */
  forceRules?: readonly string[];
  /** Rebuild this Shipshape branch even though people pushed to it (`/shipshape rebase`). */
  rebuild?: string;
}

/**
 * A scan of one repository's default branch, as the app runs it: read the
 * commit's tarball in memory, scan it with what people ignored left out,
 * bring Shipshape's pull requests in line with what can be fixed (when the
 * repository's schedule allows), and bring the dashboard issue up to date.
 * GitHub holds all the state.
 */
export async function scanRepository(
  octokit: GitHubClient,
  repository: RepositoryName,
  catalog: readonly Rule[],
  options: ScanRepositoryOptions = {},
): Promise<RepositoryScanReport> {
  const report: RepositoryScanReport = { repository: `${repository.owner}/${repository.repo}`, findings: 0, pullRequests: {}, closed: [] };
  const { data: details } = await octokit.rest.repos.get(repository);
  if (details.archived || details.disabled) return { ...report, skipped: "archived or disabled" };
  const defaultBranch = details.default_branch;
  const { data: branch } = await octokit.rest.repos.getBranch({ ...repository, branch: defaultBranch });
  const base = { sha: branch.commit.sha, treeSha: branch.commit.commit.tree.sha };

  let config;
  let configFiles: ConfigFileRead[];
  let configRules: ActiveRule[];
  try {
    ({ config, files: configFiles } = await readRepositoryConfig(octokit, repository, base.sha));
    // Unknown rule ids and invalid checkParams/fixParams are config errors too, reported the same way.
    configRules = activeRules(catalog, config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await reportConfigError(octokit, repository, error.message);
    // An existing dashboard shows the problem too (with dashboards off, or issues disabled, there is none to show it in).
    const dashboard = details.has_issues === false ? undefined : await showConfigProblem(octokit, repository, { defaultBranch, sha: base.sha, message: error.message });
    return { ...report, skipped: "invalid configuration", ...(dashboard ? { dashboard } : {}) };
  }
  const limits = { ...DEFAULT_LIMITS, ...config.limits };
  const fixSettings = fixSettingsOf(config);

  const archive = await octokit.rest.repos.downloadTarballArchive({ ...repository, ref: base.sha });
  const tarball = await readTarball(new Uint8Array(archive.data as ArrayBuffer));
  const executable = new Set(tarball.files.filter((file) => file.executable).map((file) => file.path));
  const files = loadWorkspaceFromFiles(tarball.files, { maxFileBytes: limits.maxFileBytes, ignorePaths: config.ignorePaths ?? [] });
  // The dashboard (one read) holds what people ignored: ignored rules do not run, ignored paths are excluded.
  const dashboardOn = config.dashboard !== false && details.has_issues !== false;
  const dashboard = dashboardOn ? await findDashboard(octokit, repository) : undefined;
  const rules = applyDashboardIgnores(configRules, dashboard?.state.ignores ?? []);
  const registryOptions = { ...registryOptionsOf(config.registries), ...options.registry };
  const clients = lazyLookupClients(async () => {
    // A token the operator set (GITHUB_TOKEN) reaches more of ghcr.io than an installation token does.
    const operatorToken = (options.registry?.env ?? process.env)["GITHUB_TOKEN"];
    const githubToken = options.registry?.offline || operatorToken ? undefined : await installationToken(octokit);
    return createRegistryClient({ ...registryOptionsOf(config.registries), ...(githubToken ? { githubToken } : {}), ...options.registry });
  }, chartClientOptions(registryOptions));
  const now = options.now ?? new Date();
  const certificatesNow = resolveNow({ env: process.env["SHIPSHAPE_NOW"], config: config.now }, now);
  // Kustomizations are built from the tarball's files, as the repository holds them.
  const byPath = new Map(tarball.files.map((file) => [file.path, file.bytes]));
  const tarballSource = { paths: [...byPath.keys()], read: (path: string) => byPath.get(path) };
  const rendered = await renderStep(scanFiles(files, { rules, limits, fixSettings, now: certificatesNow }), tarballSource, { rules, fixSettings });
  const lookedUp = await runLookupStep(rendered.scanned, { rules, fixSettings, ...clients, offline: options.registry?.offline === true, fixing: true });
  const { digests, lockfiles } = lookedUp;
  const problems = [...(rendered.problem ? [rendered.problem] : []), ...lookedUp.problems];
  // --- Argo CD (src/github/argocd-revisions.ts): the commits mutable targetRevisions point at, for argocd-revision-pin,
  // then a rescan so that those findings say whether they can be fixed; and what each application deploys, for PR bodies.
  const argoRevisions = await withArgoRevisions(octokit, lookedUp.scanned, { repository, defaultBranch, rules, fixSettings, digests, lockfiles });
  const argoCd = deployedBy(argoRevisions.scanned.workspace, { repositoryUrls: repositoryUrlsOf(repository, details) });
  // --- end of Argo CD
  // --- GitHub Actions (src/github/action-revisions.ts): the commits the refs of workflow `uses:` point at, for action-pin, then a rescan.
  const { scanned, fixSettings: settingsForFixes } = await withActionRevisions(octokit, argoRevisions.scanned, { rules, fixSettings: argoRevisions.fixSettings, digests, lockfiles });
  // --- end of GitHub Actions
  report.findings = scanned.findings.length;

  // Outside the repository's `schedule` its pull requests are listed (for the dashboard) but left as they are.
  const pullRequestsDue = scheduleAllows(config.schedule, now);
  if (!pullRequestsDue) report.pullRequestsHeld = "outside schedule";
  const record = await listShipshapePullRequests(octokit, repository, now);
  // A pull request closed without merging means "not this fix" until the finding changes.
  const rejected = new Set(record.rejected.flatMap((pull) => pull.metadata?.fingerprints ?? []));
  // …unless people asked for the fixes of its rule after all.
  const forced = new Set(options.forceRules ?? []);
  const proposable = scanned.findings.filter((finding) => forced.has(finding.rule) || !rejected.has(finding.fingerprint));
  const settings = pullRequestSettingsOf(config);
  const numbers = new Map<string, number>();
  const context: SyncContext = { octokit, repository, defaultBranch, base, record, settings, opened: 0, numbers, ...(options.rebuild ? { rebuild: options.rebuild } : {}) };
  const wantedBranches = new Set<string>();
  const texts = new Map<string, PullRequestText>();
  for (const group of groupFixableFindings(proposable, context.settings.groupBy)) {
    const fixed = fixFindings(scanned.workspace, group.findings, { rules, settings: settingsForFixes, limits, digests, lockfiles, now: scanned.now });
    const changeset = await withOverlayFixes(fixed, scanned, group.findings, { rules, settings: settingsForFixes, limits, source: tarballSource });
    if (changeset.files.length === 0) continue;
    wantedBranches.add(group.branch);
    const text = pullRequestText({ group, changeset, rules: catalog, repository, baseSha: base.sha, defaultBranch, argoCd });
    texts.set(group.branch, text);
    const force = group.findings.some((finding) => forced.has(finding.rule));
    // What a person asks for (`/shipshape fix`, `/shipshape rebase`) is not held by the schedule.
    if (!pullRequestsDue && !force && options.rebuild !== group.branch) continue;
    const writes = changeset.files.map((file) => ({ path: file.path, content: file.after, executable: executable.has(file.path) }));
    report.pullRequests[group.branch] = await syncPullRequest(context, { branch: group.branch, text, files: writes, force });
  }
  for (const pull of record.open) {
    if (!pullRequestsDue || wantedBranches.has(pull.branch)) continue;
    if (await closeObsolete(context, pull)) report.closed.push(pull.number);
  }
  report.dashboard = dashboardOn
    ? await dashboardAfterScan(octokit, repository, dashboard, {
        defaultBranch,
        sha: base.sha,
        catalog,
        configRules,
        fixSettings,
        scanned,
        digests,
        checkProblems: problems,
        record,
        outcomes: report.pullRequests,
        texts,
        numbers,
        closed: report.closed,
        // The config's rules, before the ignores (they are kept beside lastScan in the same block).
        lastScan: lastScanOf({ sha: base.sha, rules: configRules, catalog, configFiles, heldBy: pullRequestsDue ? undefined : config.schedule, recheckAt: recheckAt(scanned, rules, fixSettings) }),
      })
    : "off";
  return report;
}

/** The installation's token, which ghcr.io accepts for packages the installation may read. Never logged. */
async function installationToken(octokit: GitHubClient): Promise<string | undefined> {
  try {
    const auth = (await octokit.auth({ type: "installation" })) as { token?: unknown };
    return typeof auth.token === "string" ? auth.token : undefined;
  } catch {
    return undefined;
  }
}
