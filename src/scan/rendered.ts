import type { ActiveRule } from "../config/resolve.js";
import { CHECKS } from "../checks/registry.js";
import { parseAllDocuments, stringify } from "yaml";
import { CONTAINER_LISTS, containersOf, podSpecOf } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { DEFAULT_YAML_LIMITS } from "../yaml/compose.js";
import type { Finding } from "./finding.js";
import { fingerprintOf } from "./fingerprint.js";
import { parseWorkspace, type ParsedWorkspace } from "./parse-workspace.js";

/** One kustomization built by `kubectl kustomize` (src/kustomize/render.ts): its output, and the file each document came from. */
export type Rendering = { entry: string; ok: true; yaml: string; origins: readonly (string | undefined)[] } | { entry: string; ok: false; reason: string };

/** What rendering the workspace's kustomizations gave, or why they were not rendered. */
export interface Renderings {
  entries: readonly Rendering[];
  /** Set when no kustomize could run: the scan judged files one by one, and says so once. */
  unavailable?: string;
}

/** The rules that judge Kubernetes objects: they see the objects as the overlays deploy them. */
function objectRules(rules: readonly ActiveRule[]): ActiveRule[] {
  return rules.filter((active) => {
    const scope = CHECKS.get(active.rule.check.name)?.scope;
    return scope === "resource" || scope === "container";
  });
}

/**
 * The findings of a file-by-file scan, set right by what each kustomization
 * entry point deploys. An object that a kustomization renders is judged as
 * rendered (an overlay's patch may add the probe its base lacks): its
 * file's finding stays when some rendering still has it, and goes when none
 * does; what only a rendering has (an overlay that removes a limit) is
 * reported at the object in the file it came from, not fixable there. A
 * kustomization that does not build is a parse-error finding on it.
 * `judge` runs the rules on a workspace (the scan's runRules).
 */
export function reconcileWithRenderings(
  findings: readonly Finding[],
  workspace: ParsedWorkspace,
  rules: readonly ActiveRule[],
  renderings: Renderings,
  judge: (workspace: ParsedWorkspace, rules: readonly ActiveRule[]) => Finding[],
): Finding[] {
  const judged = objectRules(rules);
  const judgedIds = new Set(judged.map((active) => active.rule.id));
  // By fingerprint: rendered objects are judged under their origin's file and name, so fingerprints match the file scan's.
  const rendered = new Map<string, { finding: Finding; origin: Resource; entries: string[] }>();
  const covered = new Set<Resource>();
  const failures: Finding[] = [];
  for (const rendering of renderings.entries) {
    if (!rendering.ok) {
      const failure = buildFailure(rendering, workspace, rules);
      if (failure) failures.push(failure);
      continue;
    }
    const { files, origins } = asOrigins(rendering, workspace);
    for (const origin of origins) covered.add(origin);
    const virtual = parseWorkspace(files, DEFAULT_YAML_LIMITS);
    for (const finding of judge(virtual, judged)) {
      const origin = origins.find((resource) => resource.file === finding.file && resource.kind === finding.resource?.kind && resource.name === finding.resource.name);
      if (!origin) continue;
      const known = rendered.get(finding.fingerprint);
      if (known) known.entries.push(rendering.entry || ".");
      else rendered.set(finding.fingerprint, { finding, origin, entries: [rendering.entry || "."] });
    }
  }
  const isCovered = (finding: Finding) =>
    judgedIds.has(finding.rule) && [...covered].some((resource) => finding.file === resource.file && finding.resource?.kind === resource.kind && finding.resource.name === resource.name);
  const kept = findings.flatMap((finding) => {
    if (!isCovered(finding)) return [finding];
    const still = rendered.get(finding.fingerprint);
    return still ? [{ ...finding, overlays: still.entries }] : [];
  });
  const known = new Set(findings.map((finding) => finding.fingerprint));
  const added = [...rendered].filter(([fingerprint]) => !known.has(fingerprint)).map(([, { finding, origin, entries }]) => renderedOnly(finding, origin, entries, workspace));
  return [...kept, ...added, ...failures];
}

const ORIGIN_ANNOTATION = "config.kubernetes.io/origin";

/**
 * A rendering's objects as the files they came from would hold them: each under its origin's path, name and
 * namespace (a namePrefix or an overlay's namespace set aside), without the origin annotation. Objects kustomize
 * generated (no origin in the repository) are left out.
 */
function asOrigins(rendering: Extract<Rendering, { ok: true }>, workspace: ParsedWorkspace): { files: { path: string; role: "yaml"; size: number; text: string }[]; origins: Resource[] } {
  const byFile = new Map<string, string[]>();
  const origins: Resource[] = [];
  parseAllDocuments(rendering.yaml).forEach((document, index) => {
    const object: unknown = document.toJS();
    const path = rendering.origins[index];
    if (path === undefined || !isObject(object) || !isObject(object["metadata"])) return;
    const metadata = object["metadata"];
    const origin = originOf(String(object["kind"]), String(metadata["name"]), path, workspace);
    if (!origin) return;
    origins.push(origin);
    metadata["name"] = origin.name;
    if (origin.namespace === undefined) delete metadata["namespace"];
    else metadata["namespace"] = origin.namespace;
    if (isObject(metadata["annotations"])) {
      delete metadata["annotations"][ORIGIN_ANNOTATION];
      if (Object.keys(metadata["annotations"]).length === 0) delete metadata["annotations"];
    }
    byFile.set(path, [...(byFile.get(path) ?? []), stringify(object)]);
  });
  const files = [...byFile].map(([path, documents]) => {
    const text = documents.join("---\n");
    return { path, role: "yaml" as const, size: text.length, text };
  });
  return { files, origins };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The object a rendered one came from: same kind, in its origin file, under the name the overlay prefixed or suffixed. */
function originOf(kind: string, renderedName: string, path: string, workspace: ParsedWorkspace): Resource | undefined {
  const candidates = workspace.resources.filter((candidate) => candidate.file === path && candidate.kind === kind && renderedName.includes(candidate.name));
  return candidates.sort((a, b) => b.name.length - a.name.length)[0];
}

function renderedOnly(finding: Finding, origin: Resource, entries: readonly string[], workspace: ParsedWorkspace): Finding {
  const file = workspace.files.find((candidate) => candidate.path === origin.file);
  // At the container, when the finding is about one: the object's own line says less.
  const pod = podSpecOf(origin);
  const container = pod && finding.container !== undefined ? containersOf(pod, CONTAINER_LISTS).find((candidate) => candidate.name === finding.container) : undefined;
  const position = file?.lines.position((container?.node ?? origin.node).offset) ?? { line: 1, column: 1 };
  const where = entries.join(", ");
  // The target is in the rendering, not in the file: nothing to fix here.
  const { target: _target, ...rest } = finding;
  return {
    ...rest,
    line: position.line,
    column: position.column,
    message: `${finding.message}, as ${where} deploys it`,
    fixable: false,
    notFixableReason: `${where} changes this object; fix it there`,
  };
}

/** A kustomization that does not build: parse-error on its kustomization file, when that rule is on. */
function buildFailure(rendering: Extract<Rendering, { ok: false }>, workspace: ParsedWorkspace, rules: readonly ActiveRule[]): Finding | undefined {
  const active = rules.find((candidate) => candidate.rule.check.name === "parse-error");
  const file = workspace.files.find((candidate) => candidate.role === "kustomization" && candidate.path.slice(0, Math.max(0, candidate.path.lastIndexOf("/"))) === rendering.entry);
  if (!active || !file) return undefined;
  const message = `kustomize could not build ${rendering.entry || "."}: ${rendering.reason}`;
  return {
    rule: active.rule.id,
    severity: active.severity,
    file: file.path,
    line: 1,
    column: 1,
    message,
    resource: undefined,
    container: undefined,
    fixable: false,
    fingerprint: fingerprintOf([active.rule.id, file.path, "kustomize build"]),
  };
}
