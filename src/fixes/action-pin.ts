import type { CommitLookup } from "../config/types.js";
import type { NodePath } from "../model/paths.js";
import { composeYaml, type YamlDocument } from "../yaml/compose.js";
import { getPair, isMap, isScalar, seqItems, sharedAnchorOnPath, type YamlScalar } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import { lastResult } from "./last-result.js";
import type { TextFix } from "./types.js";

/** The fix that needs the commits; rules name it in `fix.name`. */
export const ACTION_PIN = "action-pin";

interface ActionPinTemplate {
  explanation: string;
  comment: { added: string; kept: string; prefixed: string };
  risk: string;
  reasons: { cli: string; notLookedUp: string; noRef: string; shortSha: string; notRepository: string; notFound: string; written: string; shared: string; flow: string };
}

/** A `uses:` of a workflow: the node, its path from the document root, and whether it is in a flow mapping (`{uses: …}`). */
export interface UsesSite {
  document: number;
  path: NodePath;
  node: YamlScalar;
  flow: boolean;
}

/** What a `uses:` names: the repository GitHub is asked about, the action or workflow in it, and the ref. */
export interface ActionRef {
  owner: string;
  repo: string;
  /** `owner/repo/path` as written, without the ref. */
  action: string;
  ref: string;
}

type ActionProblem = "noRef" | "shortSha" | "notRepository";

const documentsOf = lastResult((text: string) => composeYaml(text).documents);

const SHORT_SHA = /^[0-9a-f]{7,39}$/;

/** The key of a look-up in FixSettings.actionRevisions: `owner/repo@ref`, owner and repository in lower case as GitHub matches them. */
export function actionRevisionKey(action: Pick<ActionRef, "owner" | "repo" | "ref">): string {
  return `${action.owner.toLowerCase()}/${action.repo.toLowerCase()}@${action.ref}`;
}

/**
 * What a `uses:` value names, as actions-not-pinned reads it (the last `@` starts the ref), or why it is not
 * something to pin by looking up a ref: no ref, a short SHA, or no `owner/repo`. Local (`./…`) and `docker://`
 * uses are not reported by the check; they have no repository either.
 */
export function actionOf(uses: string): ActionRef | { problem: ActionProblem } {
  const trimmed = uses.trim();
  if (trimmed.startsWith("./") || trimmed.startsWith("docker://")) return { problem: "notRepository" };
  const at = trimmed.lastIndexOf("@");
  if (at === -1 || at === trimmed.length - 1) return { problem: "noRef" };
  const action = trimmed.slice(0, at);
  const ref = trimmed.slice(at + 1);
  if (SHORT_SHA.test(ref)) return { problem: "shortSha" };
  const [owner, repo] = action.split("/");
  if (owner === undefined || repo === undefined || owner === "" || repo === "" || /\s/.test(action)) return { problem: "notRepository" };
  return { owner, repo, action, ref };
}

/** The `uses:` whose value starts at `offset` (a step's `jobs.*.steps[*].uses`, a job's `jobs.*.uses`), as actions-not-pinned walks them. */
export function usesAt(documents: readonly YamlDocument[], offset: number): UsesSite | undefined {
  for (const document of documents) {
    const jobs = getPair(document.root, "jobs")?.value;
    if (!isMap(jobs)) continue;
    for (const [job, { value: body }] of jobs.pairs) {
      const called = getPair(body, "uses")?.value;
      if (isScalar(called) && called.offset === offset && isMap(body)) return { document: document.index, path: ["jobs", job, "uses"], node: called, flow: body.flow };
      const steps = seqItems(getPair(body, "steps")?.value);
      for (const [index, step] of steps.entries()) {
        const uses = getPair(step, "uses")?.value;
        if (isScalar(uses) && uses.offset === offset && isMap(step)) return { document: document.index, path: ["jobs", job, "steps", index, "uses"], node: uses, flow: step.flow };
      }
    }
  }
  return undefined;
}

/**
 * Pins a workflow's `uses: owner/repo@ref` to the commit the ref points at, which the GitHub App looks up before
 * fixing (FixSettings.actionRevisions), and keeps the ref as a comment on the line, as Renovate's pinDigests
 * writes it: `uses: actions/checkout@<sha> # v4`. A branch is pinned to its commit and keeps its name (`# main`).
 * Only the ref's characters change in the value, so plain, 'single' and "double" quoting stay as written.
 *
 * The comment: a line with none gets ` # <ref>` after its last character. A line whose comment already starts
 * with the ref (`# v4`, `# v4 needed for LFS`) keeps it as it is. Any other comment is kept too, and the ref goes
 * at its start (`# v4 - <the comment>`): one comment on the line, which names the ref first, where Renovate reads
 * it. A `uses:` in a flow mapping is pinned only when nothing but closing brackets follows it on its line
 * (`- {uses: actions/checkout@<sha>} # v4`); otherwise a comment there would say the ref of something else, and
 * the finding is not fixable.
 */
export const actionPinFix: TextFix = {
  name: ACTION_PIN,
  scope: "text",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(subject, _params, settings) {
    const template = fixTemplate<ActionPinTemplate>(ACTION_PIN);
    const documents = documentsOf(subject.text);
    const site = usesAt(documents, subject.offset);
    if (!site) return { ok: false, reason: template.reasons.notFound };
    const written = writtenValue(subject.text, site.node);
    const action = actionOf(site.node.text);
    const words = { uses: site.node.text.trim() };
    if ("problem" in action) return { ok: false, reason: fillText(template.reasons[action.problem], { ...words, ref: refOf(site.node.text) }) };
    if (written === undefined) return { ok: false, reason: template.reasons.written };
    const anchor = site.node.sharedAs ?? sharedAnchorOnPath(documents[site.document]?.root, site.path);
    if (anchor !== undefined) return { ok: false, reason: fillText(template.reasons.shared, { anchor }) };
    const line = lineAfter(subject.text, written.end, site.flow);
    if (!line) return { ok: false, reason: template.reasons.flow };
    const names = { ...words, action: action.action, repository: `${action.owner}/${action.repo}`, ref: action.ref };
    const found = lookUp(settings.actionRevisions, action);
    if (found === "cli") return { ok: false, reason: fillText(template.reasons.cli, names) };
    if (found === undefined) return { ok: false, reason: fillText(template.reasons.notLookedUp, names) };
    if (!found.ok) return { ok: false, reason: found.reason };

    // The ref is the value's last characters but any trailing spaces: swap just those for the SHA.
    const refEnd = site.node.offset + site.node.text.trimEnd().length;
    const refStart = refEnd - action.ref.length;
    const value = `${site.node.text.slice(0, refStart - site.node.offset)}${found.sha}${site.node.text.slice(refEnd - site.node.offset)}`;
    const comment = commentEdit(line, action.ref);
    const text = `${subject.text.slice(0, refStart)}${found.sha}${subject.text.slice(refEnd, comment.start)}${comment.text}${subject.text.slice(comment.end)}`;
    const explanation = fillText(template.explanation, { ...names, sha: found.sha, comment: fillText(template.comment[comment.kind], names) });
    return { ok: true, plan: { text, yaml: { document: site.document, changes: [{ path: site.path, value }] }, explanation, risk: template.risk, risky: false } };
  },
};

/** The table's answer for an action; "cli" when there is no table (outside the app). */
function lookUp(table: Record<string, CommitLookup> | undefined, action: ActionRef): CommitLookup | "cli" | undefined {
  if (table === undefined) return "cli";
  return Object.hasOwn(table, actionRevisionKey(action)) ? table[actionRevisionKey(action)] : undefined;
}

function refOf(uses: string): string {
  const trimmed = uses.trim();
  return trimmed.slice(trimmed.lastIndexOf("@") + 1);
}

/**
 * Where the scalar's source ends (after a closing quote), when its source is exactly its value: one line, no
 * escapes. Otherwise an edit of its characters would not be the edit of its value.
 */
function writtenValue(text: string, node: YamlScalar): { end: number } | undefined {
  const source = text.slice(node.offset, node.end);
  if (source !== node.text || source.includes("\n") || source.includes("\r")) return undefined;
  if (!node.quoted) return { end: node.end };
  const quote = text.charAt(node.offset - 1);
  return (quote === "'" || quote === '"') && text.charAt(node.end) === quote ? { end: node.end + 1 } : undefined;
}

/** What follows the value on its line: where a comment goes, or the comment there is. Undefined when anything else follows. */
interface LineRest {
  /** The end of the line's last character that is not a space, before any comment. */
  contentEnd: number;
  comment: { start: number; end: number; body: string } | undefined;
}

function lineAfter(text: string, valueEnd: number, flow: boolean): LineRest | undefined {
  const newline = text.indexOf("\n", valueEnd);
  let lineEnd = newline === -1 ? text.length : newline;
  if (lineEnd > valueEnd && text.charAt(lineEnd - 1) === "\r") lineEnd -= 1;
  const rest = text.slice(valueEnd, lineEnd);
  // After a block value only spaces can come before a comment; after a flow value, the brackets that close it.
  const allowed = flow ? /[ \t}\]]/ : /[ \t]/;
  let index = 0;
  while (index < rest.length && allowed.test(rest.charAt(index))) index += 1;
  const contentEnd = valueEnd + rest.slice(0, index).trimEnd().length;
  if (index === rest.length) return { contentEnd, comment: undefined };
  // A comment starts at a `#` after a space; anything else (`, with: …}`) is more of the flow mapping.
  if (rest.charAt(index) !== "#" || index === 0 || !/[ \t]/.test(rest.charAt(index - 1))) return undefined;
  const comment = rest.slice(index).trimEnd();
  return { contentEnd, comment: { start: valueEnd + index, end: valueEnd + index + comment.length, body: comment.slice(1).trim() } };
}

/** The text that replaces [start, end) so that the line's comment names the ref. */
function commentEdit(line: LineRest, ref: string): { start: number; end: number; text: string; kind: "added" | "kept" | "prefixed" } {
  if (!line.comment) return { start: line.contentEnd, end: line.contentEnd, text: ` # ${ref}`, kind: "added" };
  const { start, end, body } = line.comment;
  if (body.split(/\s/)[0] === ref) return { start: end, end, text: "", kind: "kept" };
  return { start, end, text: body === "" ? `# ${ref}` : `# ${ref} - ${body}`, kind: body === "" ? "added" : "prefixed" };
}
