import type { Logger } from "pino";
import type { ScanQueue } from "../app/queue.js";
import { scheduleAllows } from "../config/cron-match.js";
import type { RegistryClientOptions } from "../registry/types.js";
import type { Rule } from "../rules/types.js";
import { conditionalGet, RateBudget, type EtagCache } from "./conditional-request.js";
import { dashboardAmong, dashboardListing, type LastScan } from "./dashboard-state.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { statusOf } from "./octokit.js";
import { CONFIG_PATH } from "./repository-config.js";
import { catalogHash, configTextHash } from "./scan-inputs.js";
import { scanRepository, type RepositoryScanReport } from "./scan-repository.js";

/** How the app authenticates: Probot's `app.auth()` (the app itself) and `app.auth(id)` (an installation). */
export interface AppAuth {
  auth(installationId?: number): Promise<GitHubClient>;
}

export interface SweepOptions {
  catalog: readonly Rule[];
  queue: ScanQueue;
  log: Pick<Logger, "info" | "warn" | "error" | "debug">;
  registry: RegistryClientOptions;
  /** ETags of the sweep's requests, kept between sweeps. */
  etags: EtagCache;
  /** The sweep's time: scans it queues judge each repository's `schedule` at this minute. */
  now: Date;
  /** Repositories checked at once in an installation (scans still run one at a time per installation). Default 4. */
  concurrency?: number;
}

export interface SweepReport {
  startedAt: string;
  /** Set when the sweep did nothing: why. */
  skipped?: string;
  installations: InstallationSweep[];
  /** Requests made as the app (pages of installations). */
  calls: number;
}

export interface InstallationSweep {
  installation: number;
  account: string;
  /** Set when the installation was not swept (suspended, or its listing failed): why. */
  skipped?: string;
  /** Set when the sweep stopped before the end of the listing: why. */
  stopped?: string;
  repositories: RepositorySweep[];
  /** Pages of the repository listing read. */
  pages: number;
  /**
   * Requests made with the installation's token: the listing's pages, each
   * repository's checks and the config files of other repositories. Not the
   * token itself (Probot fetches it once an hour) nor the queued scans.
   */
  calls: number;
  /** Of those, how many GitHub answered 304 Not Modified (which the rate limit does not count). */
  notModified: number;
}

export interface RepositorySweep {
  repository: string;
  outcome: "queued" | "already queued" | "skipped";
  /** Why it was skipped (archived, disabled, empty, unchanged, rate limit, failed: …) or queued (not scanned yet, new commit, …). */
  reason: string;
  /** Requests its check made (0 to 2; config files of other repositories are counted per installation). */
  calls: number;
  /** The report of the scan this sweep queued, once it finished. */
  scan?: RepositoryScanReport;
}

/** A repository as GET /installation/repositories lists it (the fields the sweep reads). */
interface ListedRepository {
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch?: string;
  archived?: boolean;
  disabled?: boolean;
  size?: number;
  has_issues?: boolean;
}

const PAGE = 100;
const DEFAULT_CONCURRENCY = 4;

/**
 * One scheduled sweep: every installation, every repository it can read
 * (listed 100 at a time), checked a few at once. A repository is scanned
 * (through the queue, one scan at a time per installation) unless it is
 * archived, disabled or empty, or nothing it was scanned on has changed
 * since its last scan — which two conditional requests tell: the dashboard
 * issue's record of the last scan, and the default branch's head commit.
 * An installation whose rate limit runs low is left for the next sweep.
 * Resolves once the scans it queued have finished.
 */
export async function sweepInstallations(app: AppAuth, options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { startedAt: options.now.toISOString(), installations: [], calls: 0 };
  const scans: Promise<void>[] = [];
  const appOctokit = await app.auth();
  for await (const page of appOctokit.paginate.iterator(appOctokit.rest.apps.listInstallations, { per_page: PAGE })) {
    report.calls += 1;
    for (const installation of page.data) {
      const owner = installation.account as { login?: string; slug?: string } | null;
      const account = owner?.login ?? owner?.slug ?? String(installation.id);
      const sweep: InstallationSweep = { installation: installation.id, account, repositories: [], pages: 0, calls: 0, notModified: 0 };
      report.installations.push(sweep);
      if (installation.suspended_at) {
        sweep.skipped = "suspended";
        continue;
      }
      try {
        await sweepInstallation(app, sweep, options, scans);
      } catch (error) {
        sweep.skipped = `failed: ${(error as Error).message}`;
        options.log.error({ err: error, installation: installation.id }, "scheduled sweep: installation could not be swept");
      }
    }
  }
  await Promise.all(scans);
  const repositories = report.installations.flatMap((installation) => installation.repositories);
  const count = (outcome: RepositorySweep["outcome"]) => repositories.filter((repository) => repository.outcome === outcome).length;
  options.log.info(
    { installations: report.installations.length, queued: count("queued"), alreadyQueued: count("already queued"), skipped: count("skipped") },
    "scheduled sweep finished",
  );
  return report;
}

async function sweepInstallation(app: AppAuth, sweep: InstallationSweep, options: SweepOptions, scans: Promise<void>[]): Promise<void> {
  const octokit = await app.auth(sweep.installation);
  const budget = new RateBudget();
  const sources = new Map<string, Promise<string | undefined>>();
  const catalog = catalogHash(options.catalog);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const stop = () => {
    sweep.stopped = `rate limit: ${budget.remaining} requests left this hour, ${budget.reserve} kept for pushes and commands`;
    options.log.warn({ installation: sweep.installation, remaining: budget.remaining, reserve: budget.reserve }, "scheduled sweep: rate limit low, leaving the rest of this installation for the next sweep");
  };

  const context: CheckContext = { octokit, sweep, budget, options, catalog, sources };
  for await (const page of octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: PAGE })) {
    sweep.pages += 1;
    sweep.calls += 1;
    budget.note(page.headers);
    const listed = page.data as ListedRepository[];
    const results: RepositorySweep[] = new Array(listed.length);
    await eachLimited(listed.length, concurrency, async (index) => {
      const repository = listed[index] as ListedRepository;
      const result = budget.low ? { repository: repository.full_name, outcome: "skipped" as const, reason: "rate limit", calls: 0 } : await checkRepository(context, repository);
      results[index] = result;
      if (result.outcome === "queued") scans.push(queueScan(octokit, sweep.installation, repository, result, options));
    });
    sweep.repositories.push(...results);
    if (budget.low) {
      stop();
      break;
    }
  }
}

interface CheckContext {
  octokit: GitHubClient;
  sweep: InstallationSweep;
  budget: RateBudget;
  options: SweepOptions;
  catalog: string;
  /** configTextHash of other repositories' config files, read once per sweep and installation. */
  sources: Map<string, Promise<string | undefined>>;
}

/** Whether a repository needs a scan, in at most two requests: its last scan's record, then its default branch's head. */
async function checkRepository(context: CheckContext, listed: ListedRepository): Promise<RepositorySweep> {
  const result: RepositorySweep = { repository: listed.full_name, outcome: "skipped", reason: "", calls: 0 };
  if (listed.archived) return { ...result, reason: "archived" };
  if (listed.disabled) return { ...result, reason: "disabled" };
  // GitHub reports an empty repository (no commits) as size 0.
  if (listed.size === 0 || !listed.default_branch) return { ...result, reason: "empty" };
  // The last scan is remembered in the dashboard issue: without issues there is none, and every sweep scans.
  if (listed.has_issues === false) return { ...result, outcome: "queued", reason: "issues are off: no record of the last scan" };
  const repository: RepositoryName = { owner: listed.owner.login, repo: listed.name };
  const get = async <T>(route: string, parameters: Record<string, unknown>, read: (data: unknown) => T): Promise<T> => {
    result.calls += 1;
    context.sweep.calls += 1;
    const answer = await conditionalGet(context.octokit, context.options.etags, context.budget, route, parameters, read);
    if (answer.notModified) context.sweep.notModified += 1;
    return answer.value;
  };
  try {
    const lastScan = await get("GET /repos/{owner}/{repo}/issues", dashboardListing(repository), (data) => dashboardAmong(data as never)?.state.lastScan ?? null);
    const reason = await changeOf(context, repository, listed.default_branch, lastScan, get);
    return reason === undefined ? { ...result, reason: "unchanged" } : { ...result, outcome: "queued", reason };
  } catch (error) {
    if (statusOf(error) === 409) return { ...result, reason: "empty" };
    if (statusOf(error) === 410) return { ...result, outcome: "queued", reason: "issues are off: no record of the last scan" };
    context.options.log.warn({ err: error, repository: listed.full_name }, "scheduled sweep: repository could not be checked");
    return { ...result, reason: `failed: ${(error as Error).message}` };
  }
}

type Get = <T>(route: string, parameters: Record<string, unknown>, read: (data: unknown) => T) => Promise<T>;

/** Why the repository needs a scan; undefined when it does not. */
async function changeOf(context: CheckContext, repository: RepositoryName, branch: string, lastScan: LastScan | null, get: Get): Promise<string | undefined> {
  if (!lastScan) return "not scanned yet";
  if (lastScan.catalog !== context.catalog) return "rules changed";
  if (lastScan.recheckAt !== undefined && context.options.now.getTime() >= Date.parse(lastScan.recheckAt)) return "due for another look";
  // The commit fixes the repository's own config file, and so what it extends.
  const head = await get("GET /repos/{owner}/{repo}/commits/{ref}", { ...repository, ref: branch, mediaType: { format: "sha" } }, (data) => String(data).trim());
  if (head !== lastScan.sha) return "new commit";
  if (lastScan.heldBy && heldUntil(lastScan.heldBy, context.options.now)) return "pull requests held until now";
  for (const source of lastScan.configSources ?? []) {
    if ((await configSourceHash(context, repository, source.file)) !== source.hash) return `config ${source.file} changed`;
  }
  return undefined;
}

/** True when the schedule that held pull requests back allows them now (or cannot be read: a scan then says why). */
function heldUntil(schedule: readonly string[], now: Date): boolean {
  try {
    return scheduleAllows(schedule, now);
  } catch {
    return true;
  }
}

/** configTextHash of another repository's config file (`owner/repo:path`), read (conditionally) once per sweep and installation. */
function configSourceHash(context: CheckContext, repository: RepositoryName, file: string): Promise<string | undefined> {
  const key = `${repository.owner.toLowerCase()} ${file}`;
  let hash = context.sources.get(key);
  if (!hash) {
    hash = readConfigSource(context, repository, file);
    context.sources.set(key, hash);
  }
  return hash;
}

async function readConfigSource(context: CheckContext, repository: RepositoryName, file: string): Promise<string | undefined> {
  const match = /^([^/]+)\/([^:]+):(.+)$/.exec(file);
  if (!match) return undefined;
  const [, owner = "", repo = "", path = ""] = match;
  context.sweep.calls += 1;
  let text: string | null;
  try {
    const answer = await conditionalGet(context.octokit, context.options.etags, context.budget, "GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, mediaType: { format: "raw" } }, (data) =>
      typeof data === "string" ? data : undefined,
    );
    if (answer.notModified) context.sweep.notModified += 1;
    if (answer.value === undefined) return undefined;
    text = answer.value;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    text = null;
  }
  return configTextHash(text, { owner: repository.owner, path: CONFIG_PATH });
}

/** Queues the repository's scan at the sweep's time; resolves when it has run (at once when the queue already had one for it). */
function queueScan(octokit: GitHubClient, installation: number, listed: ListedRepository, result: RepositorySweep, options: SweepOptions): Promise<void> {
  const repository: RepositoryName = { owner: listed.owner.login, repo: listed.name };
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const queued = options.queue.enqueue(String(installation), listed.full_name, async () => {
    try {
      const report = await scanRepository(octokit, repository, options.catalog, { registry: options.registry, now: options.now });
      result.scan = report;
      options.log.info({ report }, "scan finished");
    } finally {
      finished();
    }
  });
  if (!queued) {
    result.outcome = "already queued";
    return Promise.resolve();
  }
  return done;
}

/** Runs `task(0)` … `task(count - 1)`, at most `limit` at once. */
async function eachLimited(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
