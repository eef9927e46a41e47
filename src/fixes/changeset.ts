import type { Finding } from "../scan/finding.js";

export interface AppliedFix {
  /** Stable: the same finding fixed the same way has the same id. */
  id: string;
  rule: string;
  /** The file the fix edits: where the finding is, or the kustomization an image pin goes into. */
  file: string;
  finding: Finding;
  explanation: string;
  risk: string;
  risky: boolean;
  /** false: the fix is a step people finish (see "Check before merging"), and the finding stays until they do. */
  resolvesFinding?: false;
}

export interface SkippedFix {
  rule: string;
  file: string;
  /** As found in the file before any fix. */
  finding: Finding;
  /** The same finding in the fixed text, where fixes moved it. */
  findingAfter?: Finding;
  reason: string;
}

export interface FileChange {
  path: string;
  /** "" for a file the fix creates (a missing Chart.lock). */
  before: string;
  /** The file did not exist before. */
  created?: true;
  after: string;
  /** Ids of the fixes this change holds. */
  fixes: string[];
}

/** What fixing produced: new file contents, which fixes each holds, and what could not be fixed and why. */
export interface Changeset {
  files: FileChange[];
  applied: AppliedFix[];
  skipped: SkippedFix[];
}
