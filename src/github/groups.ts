import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { GroupBy } from "../config/types.js";
import { groupBy as groupItems } from "../group-by.js";
import type { Finding } from "../scan/finding.js";

/** The fixable findings that one pull request fixes, and the branch it lives on. */
export interface FixGroup {
  /** What the findings share, for people: a rule id, a folder (`apps/storefront`, `root` for files at the top) or `all`. */
  key: string;
  /** `shipshape/<key>`, with the key made safe for a git ref name. */
  branch: string;
  /** How the groups were formed, so the pull request text can say what the group is. */
  groupBy: GroupBy;
  /** In the order they were given. */
  findings: Finding[];
}

export const BRANCH_PREFIX = "shipshape/";
/** The longest key part of a branch name, after the prefix. */
export const MAX_BRANCH_KEY_LENGTH = 60;
/** Files at the top of the repository form this directory group. */
export const ROOT_GROUP_KEY = "root";

const HASH_LENGTH = 8;

/**
 * Splits the fixable findings into pull requests: one per rule, per folder,
 * or one for everything. Groups are sorted by key; the same findings always
 * give the same groups and branch names.
 */
export function groupFixableFindings(findings: readonly Finding[], groupBy: GroupBy): FixGroup[] {
  const keyOf = (finding: Finding): string => {
    switch (groupBy) {
      case "rule":
        return finding.rule;
      case "directory":
        return directoryOf(finding.file);
      case "all":
        return "all";
    }
  };
  const groups = groupItems(
    findings.filter((finding) => finding.fixable),
    keyOf,
  );
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, grouped]) => ({ key, branch: `${BRANCH_PREFIX}${branchKey(key)}`, groupBy, findings: grouped }));
}

function directoryOf(file: string): string {
  const dir = posix.dirname(file);
  return dir === "." || dir === "/" || dir === "" ? ROOT_GROUP_KEY : dir;
}

/**
 * A key as one component of a git branch name: lowercase letters, digits,
 * `.`, `_` and `-`, at most 60 characters. A key that is already such a
 * name is kept as it is; any other key is cleaned up and gets a short hash
 * of the original, so two different keys never share a branch (`apps/web`
 * and `apps-web` become `apps-web-<hash>` and `apps-web`).
 */
export function branchKey(key: string): string {
  if (isSafeKey(key)) return key;
  const hash = createHash("sha256").update(key).digest("hex").slice(0, HASH_LENGTH);
  const cleaned = key
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/\.{2,}/g, ".")
    .slice(0, MAX_BRANCH_KEY_LENGTH - HASH_LENGTH - 1)
    .replace(/^[-.]+/, "")
    .replace(/[-.]+$/, "");
  return cleaned === "" ? hash : `${cleaned}-${hash}`;
}

function isSafeKey(key: string): boolean {
  return (
    key.length <= MAX_BRANCH_KEY_LENGTH &&
    /^[a-z0-9_][a-z0-9._-]*$/.test(key) &&
    !key.includes("..") &&
    !key.endsWith(".") &&
    !key.endsWith(".lock")
  );
}
