import type { Logger } from "pino";
import { ConfigError } from "../config/load.js";
import { activeRules, type ActiveRule } from "../config/resolve.js";
import { checkSettingsOf, DEFAULT_LIMITS, fixSettingsOf, type ConfigFile } from "../config/types.js";
import { scrubSecrets } from "../app/logger.js";
import type { Rule } from "../rules/types.js";
import { scanFiles } from "../scan/scan.js";
import { annotationBatches, type CheckAnnotation } from "./check-annotations.js";
import { checkVerdict, configErrorVerdict, scanErrorVerdict, type CheckConclusion, type CheckVerdict } from "./check-summary.js";
import { diffFindings } from "./finding-diff.js";
import { statusOf, type GitHubClient, type RepositoryName } from "./octokit.js";
import { loadRepositoryConfig } from "./repository-config.js";
import { readCommitFiles } from "./scan-commit.js";
import { postSuggestions } from "./suggestion-review.js";
import type { SuggestionInput } from "./suggestions.js";
import { TarballError } from "./tarball.js";

/** The check run's name; a rerequest of a check run by another name is not Shipshape's. */
export const CHECK_NAME = "Shipshape";

/** One pull request at one head commit, in its base repository (which serves a fork's commits too). */
export interface PullRequestCheckTarget {
  repository: RepositoryName;
  number: number;
  headSha: string;
  /** The base branch and its commit when the event came: the configuration is read there. */
  baseRef: string;
  baseSha: string;
}

/** What one check did, for the log. */
export interface PullRequestCheckReport {
  repository: string;
  pullRequest: number;
  headSha: string;
  checkRunId?: number;
  conclusion?: CheckConclusion;
  /** Findings the pull request adds, and those the base already had. */
  added?: number;
  existing?: number;
  annotations?: number;
  /** Review comments posted with suggestions. */
  suggestions?: number;
  /** What went wrong, when something did. */
  error?: string;
}

interface Evaluation {
  verdict: CheckVerdict;
  annotations: CheckAnnotation[][];
  /** What suggestions are made from, when the configuration asks for them and a new finding can be fixed. */
  suggestions?: Omit<SuggestionInput, "changed">;
}

/**
 * The Shipshape check on a pull request: create the check run (in progress),
 * scan the commit the pull request branches from and its head with the
 * configuration of the base branch, and complete the check run with the
 * findings the pull request adds as annotations, 50 per update. Then, when
 * the configuration asks for it, suggest fixes on the lines it changed.
 * Never throws: what goes wrong concludes the check `neutral` with the reason,
 * or is logged when GitHub refuses the check run itself.
 */
export async function runPullRequestCheck(octokit: GitHubClient, target: PullRequestCheckTarget, catalog: readonly Rule[], log: Logger): Promise<PullRequestCheckReport> {
  const { repository } = target;
  const report: PullRequestCheckReport = { repository: `${repository.owner}/${repository.repo}`, pullRequest: target.number, headSha: target.headSha };
  let checkRunId: number;
  try {
    const created = await octokit.rest.checks.create({ ...repository, name: CHECK_NAME, head_sha: target.headSha, status: "in_progress", external_id: String(target.number) });
    checkRunId = created.data.id;
    report.checkRunId = checkRunId;
  } catch (error) {
    report.error = `the check run could not be created: ${reasonOf(error)}`;
    log.error({ err: error, check: report }, "pull request check failed");
    return report;
  }

  let evaluation: Evaluation;
  try {
    evaluation = await evaluate(octokit, target, catalog, report);
  } catch (error) {
    report.error = reasonOf(error);
    log.warn({ err: error, check: report }, "pull request not checked");
    evaluation = { verdict: scanErrorVerdict(report.error), annotations: [] };
  }
  report.conclusion = evaluation.verdict.conclusion;
  report.annotations = evaluation.annotations.flat().length;

  try {
    await completeCheckRun(octokit, repository, checkRunId, evaluation);
  } catch (error) {
    report.error = `the check run could not be completed: ${reasonOf(error)}`;
    log.error({ err: error, check: report }, "pull request check failed");
    return report;
  }

  if (evaluation.suggestions) {
    try {
      report.suggestions = await postSuggestions(octokit, target, evaluation.suggestions);
    } catch (error) {
      // The check itself is done; a review GitHub refuses (a line it no longer shows, say) does not undo it.
      report.error = `the suggestions could not be posted: ${reasonOf(error)}`;
      log.warn({ err: error, check: report }, "suggestions not posted");
    }
  }
  return report;
}

/** Reads the configuration, scans both commits and judges what the pull request adds. */
async function evaluate(octokit: GitHubClient, target: PullRequestCheckTarget, catalog: readonly Rule[], report: PullRequestCheckReport): Promise<Evaluation> {
  const { repository } = target;
  let config: ConfigFile;
  let rules: ActiveRule[];
  try {
    // The base branch's configuration: a pull request cannot relax its own check.
    config = await loadRepositoryConfig(octokit, repository, target.baseSha);
    rules = activeRules(catalog, config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { verdict: configErrorVerdict({ message: error.message, baseRef: target.baseRef, baseSha: target.baseSha }), annotations: [] };
  }
  const limits = { ...DEFAULT_LIMITS, ...config.limits };
  const fixSettings = fixSettingsOf(config);
  const settings = checkSettingsOf(config);
  const load = { maxFileBytes: limits.maxFileBytes, ignorePaths: config.ignorePaths ?? [] };
  const scanOptions = { rules, limits, fixSettings };

  const mergeBaseSha = await mergeBaseOf(octokit, repository, target.baseSha, target.headSha);
  const baseFindings = scanFiles(await readCommitFiles(octokit, repository, mergeBaseSha, load), scanOptions).findings;
  const head = scanFiles(await readCommitFiles(octokit, repository, target.headSha, load), scanOptions);
  const diff = diffFindings(baseFindings, head.findings);
  report.added = diff.added.length;
  report.existing = diff.existing.length;

  const verdict = checkVerdict({ diff, failOn: settings.failOn, repository, headSha: target.headSha, mergeBaseSha, baseRef: target.baseRef, configSha: target.baseSha });
  const evaluation: Evaluation = { verdict, annotations: annotationBatches(diff.added, rules.map((active) => active.rule)) };
  if (settings.suggestions && diff.added.some((finding) => finding.fixable)) {
    evaluation.suggestions = { workspace: head.workspace, findings: diff.added, fix: { rules, settings: fixSettings, limits } };
  }
  return evaluation;
}

/**
 * The commit the pull request branches from, whose findings were there before
 * it: the base branch may have moved on and fixed (or added) findings since,
 * and those are not the pull request's doing. Without a common history, the
 * base branch's commit.
 */
async function mergeBaseOf(octokit: GitHubClient, repository: RepositoryName, baseSha: string, headSha: string): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repository, basehead: `${baseSha}...${headSha}`, per_page: 1 });
    return data.merge_base_commit.sha;
  } catch (error) {
    if (statusOf(error) === 404) return baseSha;
    throw error;
  }
}

/**
 * Completes the check run with its conclusion and the first batch of
 * annotations, then appends the other batches: GitHub adds each update's
 * annotations to the ones before, and wants the title and summary every time.
 */
async function completeCheckRun(octokit: GitHubClient, repository: RepositoryName, checkRunId: number, evaluation: Evaluation): Promise<void> {
  const { verdict, annotations } = evaluation;
  const [first, ...rest] = annotations;
  const output = { title: verdict.title, summary: verdict.summary };
  await octokit.rest.checks.update({
    ...repository,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: verdict.conclusion,
    output: first ? { ...output, annotations: first } : output,
  });
  for (const batch of rest) await octokit.rest.checks.update({ ...repository, check_run_id: checkRunId, output: { ...output, annotations: batch } });
}

/** Why a step failed, in words fit for the check's summary: no secrets, and no internals of unexpected errors. */
function reasonOf(error: unknown): string {
  if (error instanceof TarballError || error instanceof ConfigError) return scrubSecrets(error.message);
  const status = statusOf(error);
  if (status !== undefined) {
    const request = (error as { request?: { method?: string; url?: string } }).request;
    const path = request?.url === undefined ? "" : ` to ${request.method ?? "GET"} ${request.url.replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, "")}`;
    return scrubSecrets(`GitHub answered ${status}${path}`);
  }
  return "an unexpected error (the app's log has the details)";
}
