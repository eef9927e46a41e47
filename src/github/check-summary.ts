import { fillText } from "../fixes/templates.js";
import { plural } from "../report/plural.js";
import { isAtOrAbove, type FailOn } from "../report/summary.js";
import { SEVERITIES, severityRank } from "../rules/types.js";
import { compareFindings, type Finding } from "../scan/finding.js";
import { checkPart, checkTexts, fenceFor, shorten } from "./check-texts.js";
import type { FindingDiff } from "./finding-diff.js";
import type { RepositoryName } from "./octokit.js";
import { escapeCell } from "./pr-text.js";

export type CheckConclusion = "success" | "neutral" | "failure";

/** What the check run says when it completes: its conclusion, and the title and Markdown summary of its output. */
export interface CheckVerdict {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
}

export interface CheckSummaryInput {
  diff: FindingDiff;
  failOn: FailOn;
  repository: RepositoryName;
  headSha: string;
  /** The commit the pull request branches from, whose findings count as already there. */
  mergeBaseSha: string;
  /** The base branch, and the commit of it whose configuration was read. */
  baseRef: string;
  configSha: string;
}

/** Rows of the new findings table; the annotations hold them all. */
export const MAX_SUMMARY_ROWS = 20;
/** GitHub refuses a longer output.summary. */
const MAX_SUMMARY = 65_535;

/**
 * The check's verdict on what a pull request adds: `failure` when a new
 * finding is at or above the threshold, `neutral` when it adds findings below
 * it, `success` when it adds none. The same input gives the same bytes.
 */
export function checkVerdict(input: CheckSummaryInput): CheckVerdict {
  const { diff, failOn } = input;
  const texts = checkTexts();
  const added = diff.added;
  const failing = added.filter((finding) => isAtOrAbove(finding, failOn)).length;
  const conclusion: CheckConclusion = failing > 0 ? "failure" : added.length > 0 ? "neutral" : "success";
  const words = { count: added.length, findings: plural(added.length, "finding"), failing, are: failing === 1 ? "is" : "are", failOn };
  const counts = SEVERITIES.map((severity) => ({ severity, count: added.filter((finding) => finding.severity === severity).length })).filter(({ count }) => count > 0);
  const title = added.length === 0 ? texts.title.none : fillText(texts.title.added, { ...words, counts: counts.map(({ severity, count }) => `${count} ${severity}`).join(", ") });
  const verdict = conclusion === "failure" ? texts.verdict.failure : conclusion === "success" ? texts.verdict.success : failOn === "none" ? texts.verdict.never : texts.verdict.neutral;
  const summary = fillText(checkPart("summary"), {
    verdict: fillText(verdict, words),
    severities: counts.length === 0 ? "" : fillText(checkPart("severities"), { rows: counts.map((row) => fillText(checkPart("severity-row"), row)).join("\n") }),
    findings: added.length === 0 ? "" : fillText(checkPart("findings"), { rows: findingRows(added, input) }),
    existing: diff.existing.length,
    resolved: diff.resolved,
    failOn: failOn === "none" ? texts.failOn.none : fillText(texts.failOn.threshold, { failOn }),
    headShort: input.headSha.slice(0, 7),
    baseShort: input.mergeBaseSha.slice(0, 7),
    baseRef: escapeCode(input.baseRef),
    configShort: input.configSha.slice(0, 7),
  });
  return { conclusion, title, summary: tidy(summary) };
}

/** The configuration on the base branch is invalid: nothing was judged, and the check says what to fix. */
export function configErrorVerdict(input: { message: string; baseRef: string; baseSha: string }): CheckVerdict {
  const fence = fenceFor(input.message);
  const summary = fillText(checkPart("config-error"), { baseRef: escapeCode(input.baseRef), baseShort: input.baseSha.slice(0, 7), fence, message: input.message.trimEnd() });
  return { conclusion: "neutral", title: checkTexts().title.configError, summary: tidy(summary) };
}

/** The pull request could not be scanned (a tarball over the limits, GitHub refusing a read): nothing was judged. */
export function scanErrorVerdict(reason: string): CheckVerdict {
  const text = reason.trim().replace(/\.$/, "");
  return {
    conclusion: "neutral",
    title: shorten(fillText(checkTexts().title.scanError, { reason: text }), 255),
    summary: tidy(fillText(checkPart("scan-error"), { reason: text })),
  };
}

/** The most severe first, then by location: the table shows the first MAX_SUMMARY_ROWS. */
function findingRows(findings: readonly Finding[], input: CheckSummaryInput): string {
  const ordered = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || compareFindings(a, b));
  const rows = ordered.slice(0, MAX_SUMMARY_ROWS).map((finding) =>
    fillText(checkPart("finding-row"), {
      location: escapeCell(`${finding.file}:${finding.line}`),
      url: blobUrl(input.repository, input.headSha, finding.file, finding.line),
      severity: finding.severity,
      rule: escapeCode(finding.rule),
      resource: finding.resource ? escapeCell(`${finding.resource.kind} ${finding.resource.namespace ? `${finding.resource.namespace}/` : ""}${finding.resource.name}`) : "—",
      message: escapeCell(finding.message),
    }),
  );
  if (findings.length > MAX_SUMMARY_ROWS) rows.push(fillText(checkPart("more-rows"), { count: findings.length - MAX_SUMMARY_ROWS }));
  return rows.join("\n");
}

function blobUrl(repository: RepositoryName, sha: string, file: string, line: number): string {
  const path = file.split("/").map(encodeUrlPart).join("/");
  return `https://github.com/${encodeUrlPart(repository.owner)}/${encodeUrlPart(repository.repo)}/blob/${sha}/${path}#L${line}`;
}

/** Percent-encodes a URL path segment, parentheses too, so a Markdown link cannot end early. */
function encodeUrlPart(part: string): string {
  return encodeURIComponent(part).replace(/[()!'*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Text inside a `code span`: a backtick would end it. */
function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}

/** No runs of blank lines where a part was empty, and within GitHub's limit. */
function tidy(summary: string): string {
  return shorten(summary.replace(/\n{3,}/g, "\n\n").trim(), MAX_SUMMARY);
}
