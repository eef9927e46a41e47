import { ConfigError } from "../config/load.js";
import { activeRules } from "../config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, pullRequestSettingsOf } from "../config/types.js";
import { fixFindings } from "../fixes/engine.js";
import { runLookupStep } from "../pins/look-up-step.js";
import { createRegistryClient } from "../registry/client.js";
import { registryOptionsOf } from "../registry/settings.js";
import type { RegistryClientOptions } from "../registry/types.js";
import type { Rule } from "../rules/types.js";
import { scanFiles } from "../scan/scan.js";
import { loadWorkspaceFromFiles } from "../workspace/load.js";
import { reportConfigError } from "./config-issue.js";
import { groupFixableFindings } from "./groups.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { pullRequestText } from "./pr-text.js";
import { closeObsolete, syncPullRequest, type SyncContext, type SyncOutcome } from "./pull-request-sync.js";
import { listShipshapePullRequests } from "./pull-requests.js";
import { loadRepositoryConfig } from "./repository-config.js";
import { readTarball } from "./tarball.js";

export interface RepositoryScanReport {
  repository: string;
  /** Why nothing was scanned, when nothing was. */
  skipped?: string;
  findings: number;
  pullRequests: Record<string, SyncOutcome>;
  closed: number[];
}

/**
 * A scan of one repository's default branch, as the app runs it: read the
 * commit's tarball in memory, scan it, and bring Shipshape's pull requests in
 * line with what can be fixed. GitHub holds all the state.
 */
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
  try {
    config = await loadRepositoryConfig(octokit, repository, base.sha);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await reportConfigError(octokit, repository, error.message);
    return { ...report, skipped: "invalid configuration" };
  }
  const rules = activeRules(catalog, config);
  const limits = { ...DEFAULT_LIMITS, ...config.limits };
  const fixSettings = fixSettingsOf(config);

  const archive = await octokit.rest.repos.downloadTarballArchive({ ...repository, ref: base.sha });
  const tarball = await readTarball(new Uint8Array(archive.data as ArrayBuffer));
  const executable = new Set(tarball.files.filter((file) => file.executable).map((file) => file.path));
  const files = loadWorkspaceFromFiles(tarball.files, { maxFileBytes: limits.maxFileBytes, ignorePaths: config.ignorePaths ?? [] });
  const client = async () => {
    // A token the operator set (GITHUB_TOKEN) reaches more of ghcr.io than an installation token does.
    const operatorToken = (options.registry?.env ?? process.env)["GITHUB_TOKEN"];
    const githubToken = options.registry?.offline || operatorToken ? undefined : await installationToken(octokit);
    return createRegistryClient({ ...registryOptionsOf(config.registries), ...(githubToken ? { githubToken } : {}), ...options.registry });
  };
  const { scanned, digests } = await runLookupStep(scanFiles(files, { rules, limits, fixSettings }), { rules, fixSettings, client, fixing: true });
  report.findings = scanned.findings.length;

  const record = await listShipshapePullRequests(octokit, repository, new Date());
  // A pull request closed without merging means "not this fix" until the finding changes.
  const rejected = new Set(record.rejected.flatMap((pull) => pull.metadata?.fingerprints ?? []));
  const proposable = scanned.findings.filter((finding) => !rejected.has(finding.fingerprint));
  const context: SyncContext = { octokit, repository, defaultBranch, base, record, settings: pullRequestSettingsOf(config), opened: 0 };
  const wantedBranches = new Set<string>();
  for (const group of groupFixableFindings(proposable, context.settings.groupBy)) {
    const changeset = fixFindings(scanned.workspace, group.findings, { rules, settings: fixSettings, limits, digests });
    if (changeset.files.length === 0) continue;
    wantedBranches.add(group.branch);
    const text = pullRequestText({ group, changeset, rules: catalog, repository, baseSha: base.sha, defaultBranch });
    const writes = changeset.files.map((file) => ({ path: file.path, content: file.after, executable: executable.has(file.path) }));
    report.pullRequests[group.branch] = await syncPullRequest(context, { branch: group.branch, text, files: writes });
  }
  for (const pull of record.open) {
    if (wantedBranches.has(pull.branch)) continue;
    if (await closeObsolete(context, pull)) report.closed.push(pull.number);
  }
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
