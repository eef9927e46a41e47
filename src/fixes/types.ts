import type { FixSettings } from "../config/types.js";
import type { NodePath } from "../model/paths.js";
import type { PlainValue } from "../edit/render.js";
import type { ContainerRef } from "../model/pods.js";
import type { Resource, ResourceIdentity } from "../model/resource.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import type { FileRole } from "../workspace/roles.js";

/** One value to set, by its path from the document root. */
export interface DataChange {
  path: NodePath;
  value: PlainValue;
  /** Adds `value` as the last item of the list at `path` (which must exist) instead of setting it. */
  append?: true;
}

export interface FixPlan {
  changes: DataChange[];
  /** One sentence for people: what the fix writes. */
  explanation: string;
  /** What could go wrong once it is deployed, for the PR body. */
  risk: string;
  /** Could break a running workload (a guessed probe endpoint, a limit): its pull request opens as a draft. */
  risky: boolean;
  /**
   * false: the edit is a step people finish (cert-manager takes over a static Secret, which people then
   * delete), so the finding stays after it. Verification then checks everything but the finding being gone.
   */
  resolvesFinding?: false;
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

/** What a finding is on, for a fix that edits another object (the Ingress that serves a Secret's certificate). */
export interface FixSubject {
  /** The finding's file. */
  file: string;
  /** The object the finding is on, if any. */
  resource: ResourceIdentity | undefined;
}

/** Fixes one Kubernetes object (an Ingress, a cert-manager Certificate): values set by path from the document root. */
export interface ResourceFix {
  name: string;
  scope: "resource";
  paramsSchema: object;
  /** `resource` is the object to edit: the finding's own, or the one its check names to fix it on (WorkspaceHit.fixOn). */
  plan(resource: Resource, params: Record<string, unknown>, settings: FixSettings, subject: FixSubject): FixPlanResult;
  /** Why a finding on no object (a certificate file) cannot be fixed; without this it is not fixable, with no reason given. */
  reasonWithoutObject?(): string;
}

/** Rewrites a whole lockfile as its package manager would (src/fixes/lockfile-refresh.ts); needs the look-up step. */
export interface LockfileFix {
  name: string;
  scope: "lockfile";
  paramsSchema: object;
}

/** What a new-file fix writes: whole new files, and the kustomizations that must list them. */
export interface NewFilePlan {
  /** Rendered only when the fix is made: the scan plans every finding's fix just to say whether it can be made. */
  files: { path: string; render: () => string }[];
  /** `resources:` entries to add, relative to each kustomization's folder. */
  listIn: { kustomization: string; entry: string }[];
  explanation: string;
  risk: string;
  risky: boolean;
}

export type NewFilePlanResult = { ok: true; plan: NewFilePlan } | { ok: false; reason: string };

/** What a new-file fix is planned for: the finding's file and object, with the whole workspace to look around. */
export interface NewFileSubject {
  workspace: ParsedWorkspace;
  file: string;
  resource: Resource | undefined;
}

/** Adds a manifest beside the object a workspace check reported (a PodDisruptionBudget); see src/fixes/new-files.ts. */
export interface NewFileFix {
  name: string;
  scope: "new-file";
  paramsSchema: object;
  plan(subject: NewFileSubject, params: Record<string, unknown>, settings: FixSettings): NewFilePlanResult;
}

/** The finding a text fix is planned for: its file as it is now, and where in it the finding points. */
export interface TextSubject {
  path: string;
  role: FileRole;
  text: string;
  /** The finding's offset in `text`. */
  offset: number;
}

/**
 * What a text fix writes: the file's whole new text. A YAML file must also say which values the edit changes,
 * so that verification can check the file holds exactly those; files that are not YAML (nginx .conf) have no data.
 */
export interface TextPlan {
  text: string;
  yaml?: { document: number; changes: DataChange[] };
  explanation: string;
  risk: string;
  risky: boolean;
}

export type TextPlanResult = { ok: true; plan: TextPlan } | { ok: false; reason: string };

/**
 * Edits the finding's file as text, for what is not a Kubernetes object or container: a directive of an nginx
 * .conf file, a workflow's `uses:` with its comment. Verified like every fix (src/fixes/verify.ts).
 */
export interface TextFix {
  name: string;
  scope: "text";
  paramsSchema: object;
  plan(subject: TextSubject, params: Record<string, unknown>, settings: FixSettings): TextPlanResult;
}

export type Fix = ContainerFix | ImageFix | ResourceFix | LockfileFix | NewFileFix | TextFix;
