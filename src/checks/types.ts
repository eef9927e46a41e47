import type { ImageReferenceSite } from "../images/site.js";
import type { DigestTable, ImageLookup } from "../pins/lookup.js";
import type { ContainerRef } from "../model/pods.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { Resource } from "../model/resource.js";

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

export type Check = ContainerCheck | ResourceCheck | FileCheck | ImageCheck;

export const NO_PARAMS = { type: "object", additionalProperties: false, properties: {} } as const;
