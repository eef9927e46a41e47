import { readApplication, type ArgoSource } from "../argocd/applications.js";
import { isMutableRevision, isPinnableToCommit, revisionKey, revisionKind, type RevisionKind } from "../argocd/revisions.js";
import { isArgoCdApplication } from "../model/resource.js";
import { fillText, fixTemplate } from "./templates.js";
import type { DataChange, ResourceFix } from "./types.js";

interface RevisionPinTemplate {
  explanation: { one: string; many: string };
  words: { source: string; sourceAt: string; head: string; headMissing: string; branch: string; tag: string; pin: string };
  risk: string;
  reasons: { notApplication: string; cli: string; notLookedUp: string; chart: string; range: string; noRepoURL: string };
}

/**
 * Sets the targetRevision of an Argo CD source that tracks HEAD, a branch or a tag to the commit it points at,
 * which the GitHub App looks up before fixing (FixSettings.argocdRevisions). The plan sees the Application, not
 * which of its sources a finding is about: it pins every such source whose commit is known, and fails with the
 * first reason when none is. Chart version ranges and Git tag ranges are not pinned: their reasons say what to do.
 */
export const argocdRevisionPinFix: ResourceFix = {
  name: "argocd-revision-pin",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource, _params, settings) {
    const template = fixTemplate<RevisionPinTemplate>("argocd-revision-pin");
    if (!isArgoCdApplication(resource)) return { ok: false, reason: template.reasons.notApplication };
    const application = readApplication(resource);
    const pins: { source: ArgoSource; kind: RevisionKind; sha: string }[] = [];
    const reasons: string[] = [];
    for (const source of application.sources) {
      const kind = revisionKind(source);
      if (!isMutableRevision(kind)) continue;
      if (!isPinnableToCommit(kind)) {
        reasons.push(source.chart !== undefined ? template.reasons.chart : template.reasons.range);
        continue;
      }
      if (source.repoURL === undefined) {
        reasons.push(template.reasons.noRepoURL);
        continue;
      }
      const table = settings.argocdRevisions;
      if (table === undefined) {
        reasons.push(template.reasons.cli);
        continue;
      }
      const found = table[revisionKey(source.repoURL, source.targetRevision)];
      if (found === undefined) reasons.push(fillText(template.reasons.notLookedUp, { repoURL: source.repoURL, revision: revisionWords(template, kind, source) }));
      else if (!found.ok) reasons.push(found.reason);
      else pins.push({ source, kind, sha: found.sha });
    }
    if (pins.length === 0) return { ok: false, reason: reasons[0] ?? template.reasons.notLookedUp };
    const changes: DataChange[] = pins.map(({ source, sha }) => ({ path: [...source.nodePath, "targetRevision"], value: sha }));
    const named = pins.map(({ source, kind, sha }) => ({
      source: fillText(source.index === undefined ? template.words.source : template.words.sourceAt, { repoURL: source.repoURL ?? "", index: source.index ?? 0 }),
      revision: revisionWords(template, kind, source),
      sha,
    }));
    const explanation =
      named.length === 1
        ? fillText(template.explanation.one, named[0] as (typeof named)[number])
        : fillText(template.explanation.many, { count: named.length, pins: named.map((pin) => fillText(template.words.pin, pin)).join(", ") });
    const revisions = [...new Set(named.map((pin) => pin.revision))].join(", ");
    return { ok: true, plan: { changes, explanation, risk: fillText(template.risk, { revisions }), risky: false } };
  },
};

function revisionWords(template: RevisionPinTemplate, kind: RevisionKind, source: ArgoSource): string {
  const revision = source.targetRevision ?? "";
  if (kind === "head") return revision.trim() === "" ? template.words.headMissing : template.words.head;
  return fillText(kind === "tag" ? template.words.tag : template.words.branch, { revision });
}
