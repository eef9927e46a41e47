import picomatch from "picomatch";
import type { DashboardIgnore } from "./dashboard-state.js";

/** Why a path glob cannot be used for an ignore. */
export type IgnorePathProblem = "absolute" | "backslash" | "parent" | "empty" | "too-long" | "syntax";

export type IgnorePathCheck = { path: string } | { problem: IgnorePathProblem; detail?: string };

const MAX_GLOB_LENGTH = 200;

/**
 * A path glob as `/shipshape ignore` keeps it: relative to the repository
 * root, `/` between folders, no leading `./` and no trailing `/`. Globs
 * picomatch cannot read (an unclosed `[`, `{` or `(`) are refused, as are
 * paths that could not name a file in the repository.
 */
export function normaliseIgnorePath(glob: string): IgnorePathCheck {
  if (glob.length > MAX_GLOB_LENGTH) return { problem: "too-long" };
  if (glob.includes("\\")) return { problem: "backslash" };
  if (glob.startsWith("/")) return { problem: "absolute" };
  const path = glob.replace(/^(?:\.\/)+/, "").replace(/\/+$/, "");
  if (path === "" || path === ".") return { problem: "empty" };
  if (path.split("/").includes("..")) return { problem: "parent" };
  try {
    picomatch.makeRe(path, { dot: true, strictBrackets: true });
  } catch (error) {
    return { problem: "syntax", detail: (error as Error).message };
  }
  return { path };
}

/**
 * Does an ignore cover a finding? The rule must match; a path glob (with
 * the config's `exclude.path` semantics: dot files included) matches the
 * file, or a folder it is in, so `apps/legacy` covers everything under it.
 */
export function ignoreCovers(ignore: DashboardIgnore, finding: { rule: string; file: string }): boolean {
  if (ignore.rule !== finding.rule) return false;
  if (ignore.path === undefined) return true;
  const matches = picomatch([ignore.path, `${ignore.path}/**`], { dot: true });
  return matches(finding.file);
}

/** The findings no ignore covers, in their order. */
export function withoutIgnored<T extends { rule: string; file: string }>(findings: readonly T[], ignores: readonly DashboardIgnore[]): T[] {
  return findings.filter((finding) => !ignores.some((ignore) => ignoreCovers(ignore, finding)));
}
