import { load } from "js-yaml";
import type { AppliedFix, Changeset } from "../fixes/changeset.js";
import { fillText, readTemplate } from "../fixes/templates.js";
import { checklistReference } from "../report/rule-text.js";
import type { Rule } from "../rules/types.js";
import { compareFindings, type Finding } from "../scan/finding.js";
import { ROOT_GROUP_KEY, type FixGroup } from "./groups.js";
import { plural } from "../report/plural.js";
import { parseJsonObject } from "../json-object.js";
import { applicationsForFile, type ArgoDeployment, type DeployingApplication } from "../argocd/applications.js";

/** What a pull request remembers about itself, in a hidden block at the end of its body. */
export interface PullRequestMetadata {
  version: 1;
  /** The group's key. */
  group: string;
  /** Ids of the rules it fixes, sorted. */
  rules: string[];
  /** Fingerprints of the findings it fixes, sorted. */
  fingerprints: string[];
  /** The commit the fixes were made on. */
  baseSha: string;
}

export interface PullRequestText {
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
}

export interface PullRequestTextInput {
  group: FixGroup;
  /** The fixes of this group only. */
  changeset: Changeset;
  rules: readonly Rule[];
  repository: { owner: string; repo: string };
  baseSha: string;
  defaultBranch: string;
  /** What each Argo CD application deploys from this repository (src/argocd/applications.ts): the body lists those that sync the changed files. */
  argoCd?: readonly ArgoDeployment[];
}

export const METADATA_MARKER = "shipshape";
export const MAX_TITLE_LENGTH = 72;
/** Rows of the changes table; the rest are counted (GitHub refuses bodies over 65,536 characters). */
export const MAX_TABLE_ROWS = 100;

interface TextTemplates {
  title: Record<GroupKind, string>;
  scope: Record<GroupKind, string>;
  draft: string;
  staying: { one: string; many: string };
  noRisks: string;
}

type GroupKind = "rule" | "directory" | "root" | "all";

/**
 * The title, body, draft state and labels of the pull request for one group
 * of fixes. The same input gives the same bytes: rows are sorted by
 * location, rules by id, and nothing depends on the clock.
 */
export function pullRequestText(input: PullRequestTextInput): PullRequestText {
  const { group, changeset, repository, baseSha, defaultBranch } = input;
  const texts = load(readTemplate("pr/text.yaml")) as TextTemplates;
  const kind = kindOf(group);
  const applied = [...changeset.applied].sort((a, b) => compareFindings(a.finding, b.finding) || compareText(a.id, b.id));
  const rulesById = new Map(input.rules.map((rule) => [rule.id, rule]));
  const ruleIds = distinct(applied.map((fix) => fix.rule)).sort(compareText);
  const fixedRules = ruleIds.map((id) => rulesById.get(id));
  const ruleTitle = rulesById.get(group.key)?.title ?? fixedRules[0]?.title ?? group.key;
  const count = applied.length;
  const words = { count, findings: plural(count, "finding"), rule: group.key, directory: group.key };
  const draft = applied.some((fix) => fix.risky);
  const staying = applied.filter((fix) => fix.resolvesFinding === false).length;
  const linkTo = (finding: Finding) => blobUrl(repository, baseSha, finding.file, finding.line);

  const metadata: PullRequestMetadata = {
    version: 1,
    group: group.key,
    rules: ruleIds,
    fingerprints: distinct(applied.map((fix) => fix.finding.fingerprint)).sort(compareText),
    baseSha,
  };
  const files = distinct(applied.map((fix) => fix.file)).length;
  const body = fillText(readTemplate("pr/body.md"), {
    count,
    findings: plural(count, "finding"),
    scope: fillText(texts.scope[kind], { ...words, rule: `\`${escapeCode(group.key)}\``, directory: escapeCell(group.key) }),
    fileCount: files,
    files: plural(files, "file"),
    defaultBranch: escapeCode(defaultBranch),
    shortSha: baseSha.slice(0, 7),
    staying: staying === 0 ? "" : ` ${fillText(staying === 1 ? texts.staying.one : texts.staying.many, { count: staying })}`,
    draft: draft ? ` ${texts.draft}` : "",
    rules: ruleIds.map((id) => ruleSection(id, rulesById.get(id), applied)).join("\n\n"),
    rows: tableRows(applied.map((fix) => ({ finding: fix.finding, text: fix.explanation })), linkTo),
    notFixed: notFixedSection(changeset, linkTo),
    argoCd: argoCdSection(input.argoCd ?? [], changeset),
    risks: riskNotes(applied) || texts.noRisks,
    branch: escapeCode(group.branch),
    marker: METADATA_MARKER,
    metadata: metadataJson(metadata),
  });

  return {
    title: titleOf(kind, texts.title[kind], group.key, ruleTitle, words),
    body: body.replace(/\n{3,}/g, "\n\n").trim(),
    draft,
    labels: ["shipshape", ...distinct(fixedRules.flatMap((rule) => (rule ? [rule.category] : []))).sort(compareText)],
  };
}

/** The metadata block of a pull request body: the last well-formed one, or undefined. Never throws. */
export function readMetadata(body: string | null | undefined): PullRequestMetadata | undefined {
  if (typeof body !== "string") return undefined;
  const blocks = [...body.matchAll(new RegExp(`<!--\\s*${METADATA_MARKER}:([\\s\\S]*?)-->`, "g"))];
  for (const block of blocks.reverse()) {
    const metadata = parseMetadata(block[1] as string);
    if (metadata) return metadata;
  }
  return undefined;
}

function parseMetadata(json: string): PullRequestMetadata | undefined {
  const data = parseJsonObject(json);
  if (!data) return undefined;
  const { version, group, rules, fingerprints, baseSha } = data;
  if (version !== 1 || typeof group !== "string" || typeof baseSha !== "string" || !isStringArray(rules) || !isStringArray(fingerprints)) return undefined;
  return { version, group, rules: [...rules], fingerprints: [...fingerprints], baseSha };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** JSON that cannot end the HTML comment it sits in, nor be mistaken for markup. */
function metadataJson(metadata: PullRequestMetadata): string {
  return JSON.stringify(metadata).replace(/[<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function kindOf(group: FixGroup): GroupKind {
  if (group.groupBy === "rule") return "rule";
  if (group.groupBy === "directory") return group.key === ROOT_GROUP_KEY ? "root" : "directory";
  return "all";
}

function titleOf(kind: GroupKind, template: string, key: string, ruleTitle: string, words: Record<string, string | number>): string {
  if (kind === "rule") {
    const action = actionOf(ruleTitle);
    const full = fillText(template, { ...words, action });
    return full.length <= MAX_TITLE_LENGTH ? full : shortenEnd(action, MAX_TITLE_LENGTH);
  }
  const full = fillText(template, words);
  if (full.length <= MAX_TITLE_LENGTH || kind !== "directory") return shortenEnd(full, MAX_TITLE_LENGTH);
  // Keep the end of a long folder: it is the part that tells groups apart.
  const room = MAX_TITLE_LENGTH - fillText(template, { ...words, directory: "" }).length - 1;
  const tail = key.slice(key.length - Math.max(room, 0));
  // Start at a folder boundary where there is one: "…/overlays/canary", not "…rlays/canary".
  const boundary = tail.indexOf("/");
  return fillText(template, { ...words, directory: `…${boundary > 0 ? tail.slice(boundary) : tail}` });
}

/**
 * What fixing a rule's findings does, from its title, which names the
 * problem: "Container has no liveness probe" → "Add liveness probes".
 */
export function actionOf(ruleTitle: string): string {
  const title = ruleTitle.trim().replace(/\.$/, "");
  let match: RegExpExecArray | null;
  if ((match = /^(\S+) (?:has no|lacks|is missing) (?:an? )?(.+)$/i.exec(title))) return `Add ${objects(match[2] as string)}`;
  if ((match = /^(\S+) (?:allows|permits) (.+)$/i.exec(title))) return `Disallow ${match[2]}`;
  if ((match = /^(\S+) may (.+)$/i.exec(title))) return `Ensure ${pluralPhrase(lowerFirst(match[1] as string))} do not ${match[2]}`;
  if ((match = /^(\S+) is not (.+)$/i.exec(title))) return `Ensure ${pluralPhrase(lowerFirst(match[1] as string))} are ${match[2]}`;
  if ((match = /^(\S+) uses (?:an? )?(.+)$/i.exec(title))) return `Replace ${objects(match[2] as string)}`;
  return `Fix: ${lowerFirst(title)}`;
}

/** "liveness probe" → "liveness probes"; a longer phrase may not end in its noun, so it stays singular: "a probe that checks it". */
function objects(phrase: string): string {
  return phrase.split(" ").length <= 4 ? pluralPhrase(phrase) : `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;
}

function pluralPhrase(phrase: string): string {
  if (/s$/i.test(phrase)) return phrase;
  if (/(?:x|z|ch|sh)$/i.test(phrase)) return `${phrase}es`;
  if (/[^aeiou]y$/i.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
}

/** Lowercases the first letter of a word that is not an acronym ("Container", not "CPU"). */
function lowerFirst(text: string): string {
  return /^[A-Z][^A-Z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

function shortenEnd(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function ruleSection(id: string, rule: Rule | undefined, applied: readonly AppliedFix[]): string {
  const fixes = applied.filter((fix) => fix.rule === id);
  return fillText(partial("pr/rule.md"), {
    title: rule?.title ?? id,
    id,
    category: rule?.category ?? "custom",
    severity: fixes[0]?.finding.severity ?? rule?.severity ?? "",
    count: fixes.length,
    findings: plural(fixes.length, "finding"),
    rationale: rule?.rationale ?? "",
    checklist: rule ? checklistReference(rule) : "",
  });
}

function tableRows(rows: readonly { finding: Finding; text: string }[], linkTo: (finding: Finding) => string): string {
  const lines = rows.slice(0, MAX_TABLE_ROWS).map(({ finding, text }) =>
    fillText(partial("pr/finding-row.md"), {
      location: escapeCell(`${finding.file}:${finding.line}`),
      url: linkTo(finding),
      resource: finding.resource ? escapeCell(resourceName(finding.resource)) : "—",
      container: finding.container === undefined ? "—" : escapeCell(finding.container),
      change: escapeCell(text),
    }),
  );
  if (rows.length > MAX_TABLE_ROWS) lines.push(fillText(partial("pr/more-rows.md"), { count: rows.length - MAX_TABLE_ROWS }));
  return lines.join("\n");
}

function notFixedSection(changeset: Changeset, linkTo: (finding: Finding) => string): string {
  if (changeset.skipped.length === 0) return "";
  const skipped = [...changeset.skipped].sort((a, b) => compareFindings(a.finding, b.finding) || compareText(a.reason, b.reason));
  return fillText(partial("pr/not-fixed.md"), {
    count: skipped.length,
    findings: plural(skipped.length, "finding"),
    rows: tableRows(
      skipped.map((skip) => ({ finding: skip.finding, text: skip.reason })),
      linkTo,
    ),
  });
}

/** The Argo CD applications that deploy the changed files, with where they sync to; empty when none does. */
export function argoCdSection(deployments: readonly ArgoDeployment[], changeset: Pick<Changeset, "files">): string {
  if (deployments.length === 0) return "";
  const apps = new Map<string, { app: DeployingApplication; files: Set<string> }>();
  for (const file of changeset.files) {
    for (const app of applicationsForFile(deployments, file.path)) {
      const key = JSON.stringify([app.kind, app.name, app.file]);
      const entry = apps.get(key) ?? { app, files: new Set<string>() };
      entry.files.add(file.path);
      apps.set(key, entry);
    }
  }
  if (apps.size === 0) return "";
  const rows = [...apps.values()]
    .sort((a, b) => compareText(a.app.name, b.app.name) || compareText(a.app.file, b.app.file))
    .map(({ app, files }) =>
      fillText(partial("pr/argocd-app-row.md"), {
        application: escapeCell(`${app.kind === "ApplicationSet" ? "ApplicationSet " : ""}${app.name}`),
        file: escapeCell(app.file),
        cluster: escapeCell(app.destination.name ?? app.destination.server ?? "—"),
        namespace: escapeCell(app.destination.namespace ?? "—"),
        files: [...files].sort(compareText).map((path) => escapeCell(path)).join(", "),
      }),
    );
  return fillText(partial("pr/argocd.md"), { count: apps.size, applications: plural(apps.size, "application"), rows: rows.join("\n") });
}

/** One note per distinct risk, with the rules it concerns, in the order of the changes. */
function riskNotes(applied: readonly AppliedFix[]): string {
  const rulesByRisk = new Map<string, Set<string>>();
  for (const fix of applied) {
    const risk = fix.risk.trim();
    if (risk === "") continue;
    const rules = rulesByRisk.get(risk) ?? new Set<string>();
    rules.add(fix.rule);
    rulesByRisk.set(risk, rules);
  }
  return [...rulesByRisk]
    .map(([risk, rules]) =>
      fillText(partial("pr/risk.md"), {
        rules: [...rules]
          .sort(compareText)
          .map((rule) => `\`${escapeCode(rule)}\``)
          .join(", "),
        risk: escapeMarkup(risk),
      }),
    )
    .join("\n");
}

function resourceName(resource: NonNullable<Finding["resource"]>): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ""}${resource.name}`;
}

function blobUrl(repository: { owner: string; repo: string }, sha: string, file: string, line: number): string {
  const path = file.split("/").map(encodeUrlPart).join("/");
  return `https://github.com/${encodeUrlPart(repository.owner)}/${encodeUrlPart(repository.repo)}/blob/${encodeUrlPart(sha)}/${path}#L${line}`;
}

/** Percent-encodes a URL path segment, parentheses too, so a Markdown link cannot end early. */
function encodeUrlPart(part: string): string {
  return encodeURIComponent(part).replace(/[()!'*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Text for a table cell: one line, and Markdown and HTML characters shown as themselves (a `|` cannot end the cell). */
export function escapeCell(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/[\\`*_[\]|<>&~]/g, (char) => `\\${char}`);
}

/** A risk note's text on its own line: object names in it (a ClusterIssuer's) must not open HTML (`<!--`) or break the line. */
function escapeMarkup(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/[<>&]/g, (char) => `\\${char}`);
}

/** Text inside a `code span`: a backtick would end it. */
function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}

function partial(path: string): string {
  return readTemplate(path).replace(/\n$/, "");
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

