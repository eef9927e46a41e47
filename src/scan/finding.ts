import type { ResourceIdentity } from "../model/resource.js";
import type { ImageLookup } from "../pins/lookup.js";
import type { Severity } from "../rules/types.js";
import type { ValuesFix } from "../helm/values-findings.js";

export interface Finding {
  rule: string;
  severity: Severity;
  /** Relative to the scanned folder, with `/`. */
  file: string;
  line: number;
  column: number;
  message: string;
  resource: ResourceIdentity | undefined;
  container: string | undefined;
  fixable: boolean;
  /** Why a finding of a rule with a fix cannot be fixed automatically here. */
  notFixableReason?: string;
  /** The node the fix edits (a container, an object), for the fix engine: in `file`, unless `targetFile` says otherwise. */
  target?: { document: number; path: readonly (string | number)[] };
  /**
   * Set when the fix edits another file than the finding's, or another object: the lockfile a lockfile fix
   * rewrites, or the file of a workspace check's `fixOn` (certificate-expiring's Ingress that serves the
   * Secret), which may be `file` itself. The fix engine edits that file; such findings are told apart by
   * fingerprint, not target.
   */
  targetFile?: string;
  /**
   * Image findings: where the reference is written (found again after other edits), the tag a pin looks up,
   * and, when the pin goes into the kustomization that lists this manifest, that file and the entry to write.
   */
  image?: { site: string; lookup?: ImageLookup; pinIn?: KustomizationPin };
  /**
   * Helm values findings: the values a container fix writes, planned when the finding was made (the values
   * file holds no container to plan on again). See src/helm/values-findings.ts.
   */
  valuesFix?: ValuesFix;
  /** Kustomize entry points that still deploy this object so (src/scan/rendered.ts): where an overlay fix goes. */
  overlays?: string[];
  /** Stable across unrelated edits: rule, file, resource, container and what is wrong, not the line. */
  fingerprint: string;
}

/** An `images:` entry to write in a kustomization: `name` as the manifest writes it, and the tag it keeps. */
export interface KustomizationPin {
  file: string;
  name: string;
  tag: string | undefined;
}

export function compareFindings(a: Finding, b: Finding): number {
  return compare(a.file, b.file) || a.line - b.line || compare(a.rule, b.rule) || a.column - b.column || compare(a.message, b.message);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
