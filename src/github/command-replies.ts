import { load } from "js-yaml";
import { fillText, readTemplate } from "../fixes/templates.js";
import { checklistReference } from "../report/rule-text.js";
import type { Rule } from "../rules/types.js";
import { COMMAND_USAGE, type CommandName, type UsageProblem } from "./commands.js";
import type { DashboardIgnore } from "./dashboard-state.js";
import type { IgnorePathProblem } from "./dashboard-ignores.js";
import { statusOf } from "./octokit.js";

/**
 * The replies to `/shipshape` commands, from templates/commands/. Whatever
 * came from a comment (a rule id, a glob, the command itself) is shown in a
 * code span, so it can neither format the reply nor mention anyone.
 */

interface ReplyTexts {
  scanQueued: string;
  fixQueued: string;
  fixAllQueued: string;
  rebaseQueued: string;
  rebaseNotPullRequest: string;
  rebaseNotShipshape: string;
  rebaseClosed: string;
  ignored: string;
  whereGlob: string;
  alreadyIgnored: string;
  unignored: string;
  notIgnored: string;
  unknownRule: string;
  notFixable: string;
  badGlob: Record<IgnorePathProblem, string>;
  unknownCommand: string;
  usage: Record<UsageProblem, string>;
  failed: string;
  tooMany: string;
  section: string;
  fixable: string;
  notFixableShort: string;
  noIgnores: string;
  ignoreEntry: string;
}

function texts(): ReplyTexts {
  return load(readTemplate("commands/replies.yaml")) as ReplyTexts;
}

/** `text` as a Markdown code span, whatever backticks it holds. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function list(ids: readonly string[]): string {
  return ids.map(code).join(", ");
}

export function helpReply(defaultBranch: string, catalog: readonly Rule[]): string {
  return fillText(readTemplate("commands/help.md"), { branch: defaultBranch, rules: list(catalog.map((rule) => rule.id)) }).trimEnd();
}

export function explainReply(rule: Rule): string {
  const t = texts();
  return fillText(readTemplate("commands/explain.md"), {
    title: rule.title,
    id: rule.id,
    category: rule.category,
    severity: rule.severity,
    fix: rule.fix ? t.fixable : t.notFixableShort,
    rationale: rule.rationale.trim(),
    remediation: rule.remediation.trim(),
    checklist: checklistReference(rule),
  }).trimEnd();
}

export function deniedReply(user: string, repository: string, role: string): string {
  return fillText(readTemplate("commands/denied.md"), { user, repository, role }).trimEnd();
}

export function permissionErrorReply(user: string, repository: string, error: unknown): string {
  return fillText(readTemplate("commands/permission-error.md"), { user, repository, reason: reasonOf(error) }).trimEnd();
}

export function scanQueuedReply(defaultBranch: string): string {
  return fillText(texts().scanQueued, { branch: defaultBranch });
}

/** `rules` undefined: every fixable rule. */
export function fixQueuedReply(rules: readonly string[] | undefined): string {
  const t = texts();
  return rules === undefined ? t.fixAllQueued : fillText(t.fixQueued, { rules: list(rules) });
}

export function rebaseQueuedReply(pullBranch: string, defaultBranch: string): string {
  return fillText(texts().rebaseQueued, { pullBranch, branch: defaultBranch });
}

export function rebaseRefusedReply(reason: "not-pull-request" | "not-shipshape" | "closed"): string {
  const t = texts();
  return reason === "not-pull-request" ? t.rebaseNotPullRequest : reason === "not-shipshape" ? t.rebaseNotShipshape : t.rebaseClosed;
}

function where(path: string | undefined): string {
  return path === undefined ? "" : fillText(texts().whereGlob, { path: code(path) });
}

export function ignoredReply(ignore: { rule: string; path?: string }, dashboard: number, already: boolean): string {
  const t = texts();
  return fillText(already ? t.alreadyIgnored : t.ignored, { rule: code(ignore.rule), ruleId: ignore.rule, where: where(ignore.path), dashboard });
}

export function unignoredReply(rule: string, dashboard: number | undefined): string {
  const t = texts();
  return dashboard === undefined ? fillText(t.notIgnored, { rule: code(rule) }) : fillText(t.unignored, { rule: code(rule), dashboard });
}

export function unknownRuleReply(rule: string, catalog: readonly Rule[]): string {
  return fillText(texts().unknownRule, { rule: code(rule), rules: list(catalog.map((known) => known.id)) });
}

export function notFixableReply(rule: string, catalog: readonly Rule[]): string {
  return fillText(texts().notFixable, { rule: code(rule), rules: list(catalog.filter((known) => known.fix).map((known) => known.id)) });
}

export function badGlobReply(path: string, problem: IgnorePathProblem, detail = ""): string {
  return fillText(texts().badGlob[problem], { path: code(path), detail });
}

export function unknownCommandReply(word: string): string {
  return fillText(texts().unknownCommand, { word: code(`/shipshape ${word}`) });
}

export function usageReply(command: CommandName, line: string, problem: UsageProblem): string {
  return fillText(texts().usage[problem], { command: code(line), usage: COMMAND_USAGE[command] });
}

export function failedReply(error: unknown): string {
  return fillText(texts().failed, { reason: reasonOf(error) });
}

export function tooManyReply(max: number, count: number): string {
  return fillText(texts().tooMany, { max, count });
}

/** One reply for a comment: a command's reply as it is, or one section per command when there were several. */
export function combinedReply(sections: readonly { line: string; reply: string }[], note?: string): string {
  const t = texts();
  const only = sections.length === 1 ? sections[0] : undefined;
  const body = only ? only.reply : sections.map((section) => fillText(t.section, { command: code(section.line), reply: section.reply })).join("\n\n");
  return note === undefined ? body : `${body}\n\n${note}`;
}

/** The body of a dashboard issue that `/shipshape ignore` opens; the dashboard's own renderer fills in the rest at the next scan. */
export function newDashboardBody(ignores: readonly DashboardIgnore[]): string {
  const t = texts();
  const entries = ignores.map((ignore) => fillText(t.ignoreEntry, { rule: code(ignore.rule), where: where(ignore.path), by: code(ignore.by) }));
  return fillText(readTemplate("commands/dashboard.md"), { ignores: entries.length > 0 ? entries.join("\n") : t.noIgnores }).trimEnd();
}

/** What went wrong, in words that are safe to post: the HTTP status GitHub answered, never its message. */
function reasonOf(error: unknown): string {
  const status = statusOf(error);
  return status === undefined ? "the request to GitHub failed" : `GitHub answered ${status}`;
}
