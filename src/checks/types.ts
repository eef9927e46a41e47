import type { ImageReferenceSite } from "../images/site.js";
import type { DigestTable, ImageLookup } from "../pins/lookup.js";
import type { ContainerRef } from "../model/pods.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { Resource } from "../model/resource.js";
import type { FixSettings } from "../config/types.js";
import type { Severity } from "../rules/types.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import type { ChartLookup, LockfileLookups } from "../lockfiles/lookups.js";

/** What a check reports; the engine adds rule, severity, file and line/column. */
export interface Hit {
  offset: number;
  message: string;
  /** What within the subject is wrong (a field, an image): keeps fingerprints apart and stable. */
  detail: string;
}

export type CheckParams = Record<string, unknown>;

interface CheckBase {
  name: string;
  /** JSON schema for the rule's `check.params`, validated when rules load. */
  paramsSchema: object;
}

export interface ContainerCheck extends CheckBase {
  scope: "container";
  run(container: ContainerRef, params: CheckParams): Hit[];
}

export interface ResourceCheck extends CheckBase {
  scope: "resource";
  run(resource: Resource, params: CheckParams): Hit[];
}

/** Runs on every image reference, wherever it is written (pod specs, Helm values, Kustomize, Dockerfiles…). */
export interface ImageCheck extends CheckBase {
  scope: "image";
  /** `digests` holds what the look-up step found; checks that need a registry say which tag in `lookup`. */
  run(site: ImageReferenceSite, params: CheckParams, digests: DigestTable): Hit[];
  /** Judges the tag or digest, which a kustomization's `images:` entry overrides for the manifests it lists. */
  judgesTag?: boolean;
  /** The tag this check needs resolved before it can judge the site, if any. */
  lookup?(site: ImageReferenceSite): ImageLookup | undefined;
}

export interface FileCheck extends CheckBase {
  scope: "file";
  run(file: ParsedFile, params: CheckParams): Hit[];
}

/** What a workspace check may need beyond the files: the time it judges at, and the repository's settings. */
export interface CheckContext {
  now: Date;
  settings: FixSettings;
  /** What the look-up step found for lockfiles; absent before it has run. */
  lockfiles?: LockfileLookups;
  /** Told of every chart whose versions an active check needs before it can judge (lockfile-maintenance). */
  wantChartVersions?: (lookup: ChartLookup) => void;
}

/** A hit of a workspace check: in which file, and on which object (its ignore annotation and exclusions apply; its fix edits it). */
export interface WorkspaceHit extends Hit {
  file: string;
  resource?: Resource;
  /** Overrides the rule's severity for this hit (certificate-expiring: high soon, medium later). */
  severity?: Severity;
  /**
   * The object the rule's fix edits when it is not the one the hit is on, in this file or another
   * (certificate-expiring: the Ingress that serves the Secret's certificate). The hit's own object
   * still brings its ignore annotation and exclusions.
   */
  fixOn?: Resource;
  /** The lockfile a lockfile fix rewrites (or writes, when it is missing), and why it cannot when it cannot. */
  lockfile?: { path: string; notFixable?: string };
}

/** Sees every parsed file at once: for what spans files (a certificate and the Ingresses that use it). */
export interface WorkspaceCheck extends CheckBase {
  scope: "workspace";
  run(workspace: ParsedWorkspace, params: CheckParams, context: CheckContext): WorkspaceHit[];
}

export type Check = ContainerCheck | ResourceCheck | FileCheck | ImageCheck | WorkspaceCheck;

export const NO_PARAMS = { type: "object", additionalProperties: false, properties: {} } as const;
