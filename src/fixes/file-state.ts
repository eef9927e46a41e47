import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings, Limits } from "../config/types.js";
import type { PlainValue } from "../edit/render.js";
import { findImageReferences } from "../images/find-references.js";
import { templatesReadDigest } from "../images/helm-template-reads.js";
import { siteKeys } from "../images/site-keys.js";
import type { ImageReferenceSite } from "../images/site.js";
import type { ContainerRef } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { containersOf, CONTAINER_LISTS, podSpecOf } from "../model/pods.js";
import type { Finding } from "../scan/finding.js";
import { parseWorkspace } from "../scan/parse-workspace.js";
import { runRules, type RuleContext } from "../scan/scan.js";
import type { FileRole } from "../workspace/roles.js";
import { toPlain } from "../yaml/plain.js";

/** One file's text as the scan sees it: problems, data per document, findings, containers, image references. */
export interface FileState {
  text: string;
  problems: string[];
  data: PlainValue[];
  findings: Finding[];
  container(document: number, path: readonly (string | number)[]): ContainerRef | undefined;
  resource(document: number, path: readonly (string | number)[]): Resource | undefined;
  /** The image reference written at the place `key` (see siteKeys) names. */
  imageSite(key: string): ImageReferenceSite | undefined;
  /** Every image reference in the file, in file order. */
  imageSites(): ImageReferenceSite[];
  /** Whether the chart of a Helm values site reads the image's `digest` field. */
  readsDigest(site: ImageReferenceSite): boolean;
}

export interface AnalysisOptions {
  rules: readonly ActiveRule[];
  settings: FixSettings;
  limits: Limits;
  /** The rest of the workspace, as far as this file's rules need it (charts, digests). */
  context: RuleContext;
}

/** `role` is the file's workspace role; manifests are read as plain YAML again, so their objects are found. */
export function analyseFile(path: string, role: FileRole, text: string, options: AnalysisOptions): FileState {
  const readAs = role === "manifest" || role === "argocd-app" ? "yaml" : role;
  const workspace = parseWorkspace([{ path, role: readAs, size: text.length, text }], options.limits);
  const file = workspace.files[0];
  const containers = workspace.resources.flatMap((resource) => {
    const pod = podSpecOf(resource);
    return pod ? containersOf(pod, CONTAINER_LISTS) : [];
  });
  let sites: Map<string, ImageReferenceSite> | undefined;
  const sitesByKey = () => {
    sites ??= new Map([...siteKeys(findImageReferences(workspace.files, options.context.images))].map(([site, key]) => [key, site]));
    return sites;
  };
  return {
    text,
    // Line numbers in messages move with any insertion; compare what the problems are, not where.
    problems: (file?.problems ?? []).map((problem) => problem.message.replace(/line \d+/g, "line N")),
    data: (file?.documents ?? []).map((document) => toPlain(document.root)),
    findings: runRules(workspace, options.rules, options.settings, options.context),
    resource: (document, resourcePath) => workspace.resources.find((candidate) => candidate.document === document && samePath(candidate.path, resourcePath)),
    container: (document, containerPath) =>
      containers.find((candidate) => candidate.pod.resource.document === document && samePath(candidate.path, containerPath)),
    imageSite: (key) => sitesByKey().get(key),
    imageSites: () => [...sitesByKey().values()],
    readsDigest: (site) => {
      const chart = options.context.images?.charts?.find((candidate) => candidate.root === site.details.chart);
      const path = site.holder?.path;
      if (!chart?.templates || !path || !path.every((step): step is string => typeof step === "string")) return false;
      return templatesReadDigest(chart.templates, path, chart.root);
    },
  };
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
