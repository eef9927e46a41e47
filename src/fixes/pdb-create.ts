import { stringify } from "yaml";
import type { PlainValue } from "../edit/render.js";
import { workspaceKustomizeOwners } from "../images/kustomize-owners.js";
import { dirOf } from "../lockfiles/helm-charts.js";
import { podSpecOf } from "../model/pods.js";
import { getIn, getMap } from "../yaml/nodes.js";
import { toPlain } from "../yaml/plain.js";
import { fillText, fixTemplate } from "./templates.js";
import type { NewFileFix } from "./types.js";

interface PdbTexts {
  explanation: string;
  listed: string;
  risk: string;
  reasons: { noObject: string; noLabels: string };
}

/**
 * A PodDisruptionBudget with `maxUnavailable: 1` for the workload, in a new
 * file beside it (`<name>-pdb.yaml`), selecting its pods by the workload's
 * own selector; listed in the kustomization that lists the workload's file.
 */
export const pdbCreateFix: NewFileFix = {
  name: "pdb-create",
  scope: "new-file",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan({ workspace, resource }) {
    const texts = fixTemplate<PdbTexts>("pdb-create");
    if (!resource || !podSpecOf(resource)) return { ok: false, reason: texts.reasons.noObject };
    const selector = toPlain(getMap(getMap(resource.node, "spec"), "selector")?.pairs.get("matchLabels")?.value);
    const labels = selector ?? toPlain(getIn(resource.node, ["spec", "template", "metadata", "labels"]));
    if (labels === null || typeof labels !== "object" || Array.isArray(labels) || Object.keys(labels).length === 0) return { ok: false, reason: texts.reasons.noLabels };
    const metadata: Record<string, PlainValue> = { name: resource.name, ...(resource.namespace ? { namespace: resource.namespace } : {}) };
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } };
    const dir = dirOf(resource.file);
    const name = `${resource.name}-pdb.yaml`;
    const path = dir === "" ? name : `${dir}/${name}`;
    const owner = workspaceKustomizeOwners(workspace).get(resource.file);
    const listIn = owner ? [{ kustomization: owner.file, entry: relative(dirOf(owner.file), path) }] : [];
    const words = { kind: resource.kind, name: resource.name, file: path, kustomization: owner?.file ?? "" };
    return {
      ok: true,
      plan: {
        files: [{ path, render: () => stringify(pdb) }],
        listIn,
        explanation: [fillText(texts.explanation, words), ...(owner ? [fillText(texts.listed, words)] : [])].map((text) => text.trim()).join(" "),
        risk: texts.risk.trim(),
        risky: false,
      },
    };
  },
};

/** `path` relative to `dir` (both repository paths). */
function relative(dir: string, path: string): string {
  if (dir === "") return path;
  const from = dir.split("/");
  const to = path.split("/");
  let common = 0;
  while (common < from.length && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => ".."), ...to.slice(common)].join("/");
}
