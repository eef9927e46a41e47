import { load } from "js-yaml";
import { fillText, readTemplate } from "../fixes/templates.js";
import { plural } from "../report/plural.js";
import { SEVERITIES, severityRank, type Rule, type Severity } from "../rules/types.js";
import { compareFindings, type Finding } from "../scan/finding.js";
import { writeDashboardState, type DashboardIgnore, type DashboardState } from "./dashboard-state.js";
import type { RepositoryName } from "./octokit.js";
import { escapeCell } from "./pr-text.js";

/** A Shipshape pull request that is open once the scan has synced them. */
export interface DashboardPullRequest {
  number: number;
  title: string;
  branch: string;
  /** The rules whose findings it fixes (from its metadata). */
  rules: readonly string[];
}

export interface DashboardIgnoreCount {
  ignore: DashboardIgnore;
  /** How many findings it hid in this scan; undefined when nothing was scanned. */
  hidden: number | undefined;
}

export interface DashboardProblems {
  /** The config error, when the configuration is invalid (and nothing was scanned). */
  config?: string;
  /** Digest look-ups that failed: the registry's reason (it names the image) and how many findings it left unfixable. */
  lookups: readonly { reason: string; findings: number }[];
  /** Checks that could not judge, one sentence each. */
  checks: readonly string[];
}

export interface DashboardInput {
  repository: RepositoryName;
  defaultBranch: string;
  /** The commit scanned (or, with an invalid config, the one that was not). */
  sha: string;
  /** For rule titles. */
  catalog: readonly Rule[];
  /** What the scan found after config and ignores; undefined when nothing was scanned. */
  findings: readonly Finding[] | undefined;
  pullRequests: readonly DashboardPullRequest[];
  ignores: readonly DashboardIgnoreCount[];
  problems: DashboardProblems;
  /** Written into the hidden metadata block, as it is. */
  state: DashboardState;
}

/** Findings listed per rule, and parse errors; the rest are counted. */
export const MAX_LISTED = 20;
/** GitHub refuses issue bodies over 65,536 characters: beyond this, lists get shorter. */
export const MAX_BODY_LENGTH = 60_000;

const PARSE_ERROR = "parse-error";

interface Texts {
  status: { scanned: string; notScanned: string };
  summary: { none: string; some: string; fixable: string };
  finding: string;
  resource: string;
  more: string;
  fixable: string;
  fixedBy: string;
  none: { findings: string; pullRequests: string; ignores: string; problems: string };
  notScanned: string;
  pullRequest: string;
  ignore: string;
  ignoreWhere: string;
  hidden: string;
  hiddenUnknown: string;
  problems: { config: string; parseErrors: string; lookups: string; lookup: string; check: string };
  actions: { openPullRequest: string; rescan: string };
}

/**
 * The dashboard issue's body: findings by rule (most severe first) with links
 * to their lines at the scanned commit, the open pull requests, the ignores
 * and what each hides, problems, and the checkboxes people tick to act, then
 * the hidden metadata. The same input gives the same bytes: everything is
 * sorted and nothing depends on the clock, so an unchanged repository leaves
 * the issue as it is.
 */
export function dashboardBody(input: DashboardInput): string {
  for (const listed of [MAX_LISTED, 5, 0]) {
    const body = render(input, listed);
    if (body.length <= MAX_BODY_LENGTH || listed === 0) return body;
  }
  throw new Error("unreachable");
}

function render(input: DashboardInput, listed: number): string {
  const texts = load(readTemplate("dashboard/text.yaml")) as Texts;
  const { findings } = input;
  const words = {
    defaultBranch: escapeCode(input.defaultBranch),
    shortSha: input.sha.slice(0, 7),
    commitUrl: `https://github.com/${encodeUrlPart(input.repository.owner)}/${encodeUrlPart(input.repository.repo)}/commit/${encodeUrlPart(input.sha)}`,
  };
  const scanned = findings !== undefined;
  const shown = (findings ?? []).filter((finding) => finding.rule !== PARSE_ERROR);
  const body = fillText(readTemplate("dashboard/body.md"), {
    ...words,
    status: scanned ? fillText(texts.status.scanned, { ...words, summary: summaryOf(shown, texts) }) : fillText(texts.status.notScanned, words),
    findings: scanned ? findingSections(input, shown, listed, texts) : texts.notScanned,
    pullRequests: scanned ? pullRequestList(input.pullRequests, texts) : texts.notScanned,
    ignores: ignoreList(input.ignores, texts),
    problems: problemList(input, listed, texts),
    actions: actionList(input, shown, texts),
  });
  return writeDashboardState(body.replace(/\n{3,}/g, "\n\n").trim(), input.state);
}

function summaryOf(findings: readonly Finding[], texts: Texts): string {
  if (findings.length === 0) return texts.summary.none;
  const fixable = findings.filter((finding) => finding.fixable).length;
  const bySeverity = new Map<Severity, number>();
  for (const finding of findings) bySeverity.set(finding.severity, (bySeverity.get(finding.severity) ?? 0) + 1);
  return fillText(texts.summary.some, {
    count: findings.length,
    findings: plural(findings.length, "finding"),
    severities: SEVERITIES.flatMap((severity) => (bySeverity.has(severity) ? [`${bySeverity.get(severity)} ${severity}`] : [])).join(", "),
    fixable: fixable > 0 ? fillText(texts.summary.fixable, { count: fixable }) : "",
  });
}

function findingSections(input: DashboardInput, findings: readonly Finding[], listed: number, texts: Texts): string {
  if (findings.length === 0) return texts.none.findings;
  const titles = new Map(input.catalog.map((rule) => [rule.id, rule.title]));
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.rule, [...(byRule.get(finding.rule) ?? []), finding]);
  const rules = [...byRule].map(([id, ruleFindings]) => ({ id, findings: [...ruleFindings].sort(compareFindings), severity: mostSevere(ruleFindings) }));
  rules.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || compareText(a.id, b.id));
  return rules
    .map((rule) => {
      const fixable = rule.findings.filter((finding) => finding.fixable).length;
      const pulls = input.pullRequests.filter((pull) => pull.rules.includes(rule.id)).map((pull) => `#${pull.number}`);
      return fillText(partial("dashboard/rule.md"), {
        title: escapeCell(titles.get(rule.id) ?? rule.id),
        id: escapeCode(rule.id),
        severity: rule.severity,
        count: rule.findings.length,
        findings: plural(rule.findings.length, "finding"),
        fixable: fixable > 0 ? fillText(texts.fixable, { count: fixable }) : "",
        pullRequests: pulls.length > 0 ? fillText(texts.fixedBy, { pulls: pulls.join(", ") }) : "",
        rows: findingRows(input, rule.findings, listed, texts),
      });
    })
    .join("\n\n");
}

function findingRows(input: DashboardInput, findings: readonly Finding[], listed: number, texts: Texts): string {
  const rows = findings.slice(0, listed).map((finding) =>
    fillText(texts.finding, {
      location: escapeCell(`${finding.file}:${finding.line}`),
      url: blobUrl(input.repository, input.sha, finding.file, finding.line),
      message: escapeCell(finding.message),
      resource: finding.resource ? fillText(texts.resource, { resource: escapeCell(resourceName(finding.resource)) }) : "",
    }),
  );
  if (findings.length > listed) rows.push(fillText(texts.more, { count: findings.length - listed }));
  return rows.join("\n");
}

function pullRequestList(pulls: readonly DashboardPullRequest[], texts: Texts): string {
  if (pulls.length === 0) return texts.none.pullRequests;
  return [...pulls]
    .sort((a, b) => compareText(a.branch, b.branch) || a.number - b.number)
    .map((pull) => fillText(texts.pullRequest, { number: pull.number, title: escapeCell(pull.title), branch: escapeCode(pull.branch) }))
    .join("\n");
}

function ignoreList(ignores: readonly DashboardIgnoreCount[], texts: Texts): string {
  if (ignores.length === 0) return texts.none.ignores;
  return [...ignores]
    .sort((a, b) => compareText(a.ignore.rule, b.ignore.rule) || compareText(a.ignore.path ?? "", b.ignore.path ?? "") || compareText(a.ignore.by, b.ignore.by))
    .map(({ ignore, hidden }) =>
      fillText(texts.ignore, {
        rule: escapeCode(ignore.rule),
        where: ignore.path === undefined ? "" : fillText(texts.ignoreWhere, { path: escapeCode(ignore.path) }),
        // No @: a mention would notify the person on every edit of the issue.
        by: escapeCell(ignore.by),
        hidden: hidden === undefined ? texts.hiddenUnknown : fillText(texts.hidden, { count: hidden, findings: plural(hidden, "finding") }),
      }),
    )
    .join("\n");
}

function problemList(input: DashboardInput, listed: number, texts: Texts): string {
  const parts: string[] = [];
  const { problems } = input;
  if (problems.config !== undefined) parts.push(`${texts.problems.config}\n\n${codeBlock(problems.config)}`);
  const parseErrors = [...(input.findings ?? [])].filter((finding) => finding.rule === PARSE_ERROR).sort(compareFindings);
  if (parseErrors.length > 0) {
    const files = new Set(parseErrors.map((finding) => finding.file)).size;
    parts.push(`${fillText(texts.problems.parseErrors, { count: files, files: plural(files, "file") })}\n\n${findingRows(input, parseErrors, listed, texts)}`);
  }
  if (problems.lookups.length > 0) {
    const lookups = [...problems.lookups].sort((a, b) => compareText(a.reason, b.reason));
    const rows = lookups.slice(0, Math.max(listed, 1)).map((lookup) => fillText(texts.problems.lookup, { reason: escapeCell(lookup.reason), count: lookup.findings, findings: plural(lookup.findings, "finding") }));
    if (lookups.length > Math.max(listed, 1)) rows.push(fillText(texts.more, { count: lookups.length - Math.max(listed, 1) }));
    parts.push(`${texts.problems.lookups}\n\n${rows.join("\n")}`);
  }
  const checks = [...new Set(problems.checks)].sort(compareText);
  if (checks.length > 0) parts.push(checks.map((problem) => fillText(texts.problems.check, { problem: escapeCell(problem) })).join("\n"));
  return parts.length === 0 ? texts.none.problems : parts.join("\n\n");
}

/** One "open a pull request" box per rule with fixable findings that no open pull request fixes, then "rescan now". */
function actionList(input: DashboardInput, findings: readonly Finding[], texts: Texts): string {
  const covered = new Set(input.pullRequests.flatMap((pull) => pull.rules));
  const wanted = [...new Set(findings.filter((finding) => finding.fixable && !covered.has(finding.rule)).map((finding) => finding.rule))].sort(compareText);
  return [...wanted.map((rule) => fillText(texts.actions.openPullRequest, { rule })), texts.actions.rescan].join("\n");
}

function mostSevere(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((worst, finding) => (severityRank(finding.severity) > severityRank(worst) ? finding.severity : worst), "low");
}

function resourceName(resource: NonNullable<Finding["resource"]>): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ""}${resource.name}`;
}

function blobUrl(repository: RepositoryName, sha: string, file: string, line: number): string {
  const path = file.split("/").map(encodeUrlPart).join("/");
  return `https://github.com/${encodeUrlPart(repository.owner)}/${encodeUrlPart(repository.repo)}/blob/${encodeUrlPart(sha)}/${path}#L${line}`;
}

/** Percent-encodes a URL path segment, parentheses too, so a Markdown link cannot end early. */
function encodeUrlPart(part: string): string {
  return encodeURIComponent(part).replace(/[()!'*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Text inside a `code span`: a backtick would end it, and a line break would spill out of the list item. */
function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\s*[\r\n]+\s*/g, " ");
}

/** A fenced block longer than any run of backticks in the text, so the text cannot close it. */
function codeBlock(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}\n${text.replace(/\r\n?/g, "\n").trimEnd()}\n${fence}`;
}

function partial(path: string): string {
  return readTemplate(path).replace(/\n$/, "");
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What people asked for by ticking the dashboard's boxes. */
export interface TickedActions {
  rescan: boolean;
  /** Rule ids, sorted. */
  openPullRequestFor: string[];
}

const CHECKBOX = /^[ \t]*[-*+][ \t]+\[([ xX])\][ \t]*<!--\s*shipshape:(rescan|open-pr:([A-Za-z0-9._-]+))\s*-->/gm;

/**
 * The boxes that went from unticked in `before` to ticked in `after` (an
 * edit of the issue body, as `issues.edited` reports it). A box that was not
 * there before, or was already ticked, asks for nothing.
 */
export function tickedActions(before: string, after: string): TickedActions {
  const was = checkboxStates(before);
  const now = checkboxStates(after);
  const ticked = [...now].filter(([key, checked]) => checked && was.get(key) === false).map(([key]) => key);
  return {
    rescan: ticked.includes("rescan"),
    openPullRequestFor: ticked.flatMap((key) => (key.startsWith("open-pr:") ? [key.slice("open-pr:".length)] : [])).sort(compareText),
  };
}

/** Each box's key (`rescan`, `open-pr:<rule>`) and whether it is ticked; a key written twice is ticked when any of its boxes is. */
function checkboxStates(body: string): Map<string, boolean> {
  const states = new Map<string, boolean>();
  for (const match of body.replace(/\r\n?/g, "\n").matchAll(CHECKBOX)) {
    const key = match[2] as string;
    states.set(key, (states.get(key) ?? false) || match[1] !== " ");
  }
  return states;
}
