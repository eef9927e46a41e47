import type { FixSettings } from "../config/types.js";
import type { NodePath } from "../model/paths.js";
import type { PlainValue } from "../edit/render.js";
import type { ContainerRef } from "../model/pods.js";
import type { Resource } from "../model/resource.js";

/** One value to set, by its path from the document root. */
export interface DataChange {
  path: NodePath;
  value: PlainValue;
}

export interface FixPlan {
  changes: DataChange[];
  /** One sentence for people: what the fix writes. */
  explanation: string;
  /** What could go wrong once it is deployed, for the PR body. */
  risk: string;
  /** Could break a running workload (a guessed probe endpoint, a limit): its pull request opens as a draft. */
  risky: boolean;
}

export type FixPlanResult = { ok: true; plan: FixPlan } | { ok: false; reason: string };

export interface ContainerFix {
  name: string;
  scope: "container";
  paramsSchema: object;
  plan(container: ContainerRef, params: Record<string, unknown>, settings: FixSettings): FixPlanResult;
}

/** Pins an image reference by digest where it is written (src/pins); needs the digests of the look-up step. */
export interface ImageFix {
  name: string;
  scope: "image";
  paramsSchema: object;
}

/** Fixes one Kubernetes object (an Ingress, a cert-manager Certificate): values set by path from the document root. */
export interface ResourceFix {
  name: string;
  scope: "resource";
  paramsSchema: object;
  plan(resource: Resource, params: Record<string, unknown>, settings: FixSettings): FixPlanResult;
}

export type Fix = ContainerFix | ImageFix | ResourceFix;
