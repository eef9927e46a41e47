import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import { lookupKey, type DigestTable } from "../pins/lookup.js";
import type { Rule } from "../rules/types.js";
import type { Finding } from "../scan/finding.js";
import { runRules, type ScanResult } from "../scan/scan.js";
import { DASHBOARD_LABEL, DASHBOARD_TITLE, EMPTY_DASHBOARD_STATE, findDashboard, type Dashboard, type DashboardState, type LastScan } from "./dashboard-state.js";
import { dashboardBody, type DashboardPullRequest } from "./dashboard-text.js";
import { countIgnored, rulesNamedBy } from "./ignored-rules.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { readMetadata, type PullRequestText } from "./pr-text.js";
import type { SyncOutcome } from "./pull-request-sync.js";
import type { PullRequestsOnRecord } from "./pull-requests.js";

/** What a scan did to the dashboard issue; "off" when the config says `dashboard: false` or the repository has issues turned off. */
export type DashboardOutcome = "created" | "updated" | "unchanged" | "off";

/**
 * Brings the dashboard issue in line with `body`: opens it (titled and
 * labelled so findDashboard finds it) when the repository has none, and
 * edits its body only when it differs, so an unchanged scan writes nothing.
 * A dashboard people closed stays closed: closing says "not in my issue
 * list", but it still holds the repository's state (ignores, the last scan),
 * so its body is kept up to date all the same. Editing a body notifies no one.
 */
export async function syncDashboard(octokit: GitHubClient, repository: RepositoryName, existing: Dashboard | undefined, body: string): Promise<Exclude<DashboardOutcome, "off">> {
  if (existing === undefined) {
    await octokit.rest.issues.create({ ...repository, title: DASHBOARD_TITLE, body, labels: [DASHBOARD_LABEL] });
    return "created";
  }
  // GitHub's editor saves CRLF: line endings alone are no change.
  if (existing.body.replace(/\r\n/g, "\n") === body) return "unchanged";
  await octokit.rest.issues.update({ ...repository, issue_number: existing.number, body });
  return "updated";
}

/**
 * The dashboard when the configuration is invalid: nothing was scanned, so
 * an existing dashboard shows the problem (its ignores and last scan kept as
 * they were). None is opened: the config issue already reports the problem,
 * and an invalid file cannot say whether it wants a dashboard at all.
 */
export async function showConfigProblem(
  octokit: GitHubClient,
  repository: RepositoryName,
  scan: { defaultBranch: string; sha: string; message: string },
): Promise<Exclude<DashboardOutcome, "off" | "created"> | undefined> {
  const existing = await findDashboard(octokit, repository);
  if (existing === undefined) return undefined;
  const body = dashboardBody({
    repository,
    defaultBranch: scan.defaultBranch,
    sha: scan.sha,
    catalog: [],
    findings: undefined,
    pullRequests: [],
    ignores: existing.state.ignores.map((ignore) => ({ ignore, hidden: undefined })),
    problems: { config: scan.message, lookups: [], checks: [] },
    state: existing.state,
  });
  return (await syncDashboard(octokit, repository, existing, body)) as "updated" | "unchanged";
}

/**
 * Shipshape's pull requests that are open once a scan has synced them: those
 * on record that it did not close (with the title and rules it just wrote, if
 * it updated one), and those it opened.
 */
export function openPullRequestsAfterSync(
  record: PullRequestsOnRecord,
  sync: { outcomes: Readonly<Record<string, SyncOutcome>>; texts: ReadonlyMap<string, PullRequestText>; numbers: ReadonlyMap<string, number>; closed: readonly number[] },
): DashboardPullRequest[] {
  const pulls: DashboardPullRequest[] = [];
  for (const pull of record.open) {
    if (sync.closed.includes(pull.number)) continue;
    const text = sync.outcomes[pull.branch] === "updated" ? sync.texts.get(pull.branch) : undefined;
    const rules = (text ? readMetadata(text.body) : pull.metadata)?.rules ?? [];
    pulls.push({ number: pull.number, title: text?.title ?? pull.title, branch: pull.branch, rules });
  }
  for (const [branch, number] of sync.numbers) {
    const text = sync.texts.get(branch);
    if (!text || pulls.some((pull) => pull.number === number)) continue;
    pulls.push({ number, title: text.title, branch, rules: readMetadata(text.body)?.rules ?? [] });
  }
  return pulls;
}

/** Failed digest look-ups behind image findings: each reason (it names the image) and how many findings it left unfixable. */
export function lookupProblems(findings: readonly Finding[], digests: DigestTable): { reason: string; findings: number }[] {
  const counts = new Map<string, number>();
  for (const finding of findings) {
    const lookup = finding.image?.lookup;
    const result = lookup ? digests.get(lookupKey(lookup)) : undefined;
    if (!result || result.ok) continue;
    counts.set(result.reason, (counts.get(result.reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, findings: count }));
}

export interface ScanForDashboard {
  defaultBranch: string;
  /** The commit scanned. */
  sha: string;
  catalog: readonly Rule[];
  /** The rules as the config sets them, before the dashboard's ignores: to count what each ignore hides. */
  configRules: readonly ActiveRule[];
  fixSettings: FixSettings;
  /** The scan with the ignores applied, after the look-up step. */
  scanned: ScanResult;
  digests: DigestTable;
  /** Checks that could not judge (the look-up step's problems). */
  checkProblems: readonly string[];
  record: PullRequestsOnRecord;
  outcomes: Readonly<Record<string, SyncOutcome>>;
  /** The text each synced group's pull request was given, by branch. */
  texts: ReadonlyMap<string, PullRequestText>;
  /** Numbers of the pull requests the sync opened, by branch. */
  numbers: ReadonlyMap<string, number>;
  closed: readonly number[];
  /** What the scan ran on, for the scheduled sweep. */
  lastScan: LastScan;
}

/**
 * Renders the dashboard of a completed scan and syncs it. What each ignore
 * hides is counted by running only the rules ignores name again, without the
 * ignores, on the files already parsed (checks that need registry digests
 * count nothing there).
 */
export async function dashboardAfterScan(octokit: GitHubClient, repository: RepositoryName, existing: Dashboard | undefined, scan: ScanForDashboard): Promise<Exclude<DashboardOutcome, "off">> {
  const ignores = existing?.state.ignores ?? [];
  const named = rulesNamedBy(scan.configRules, ignores);
  const hidden = named.length === 0 ? ignores.map(() => 0) : countIgnored(runRules(scan.scanned.workspace, named, scan.fixSettings), ignores);
  const state: DashboardState = { ...(existing?.state ?? EMPTY_DASHBOARD_STATE), lastScan: scan.lastScan };
  const body = dashboardBody({
    repository,
    defaultBranch: scan.defaultBranch,
    sha: scan.sha,
    catalog: scan.catalog,
    findings: scan.scanned.findings,
    pullRequests: openPullRequestsAfterSync(scan.record, scan),
    ignores: ignores.map((ignore, index) => ({ ignore, hidden: hidden[index] ?? 0 })),
    problems: { lookups: lookupProblems(scan.scanned.findings, scan.digests), checks: scan.checkProblems },
    state,
  });
  return syncDashboard(octokit, repository, existing, body);
}
