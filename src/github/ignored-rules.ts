import type { ActiveRule } from "../config/resolve.js";
import { ignoreCovers } from "./dashboard-ignores.js";
import type { DashboardIgnore } from "./dashboard-state.js";

/**
 * The rules a scan runs once the dashboard's ignores are applied: an ignore
 * without a path turns its rule off; one with a path glob excludes the files
 * it covers from its rule (as `rules.<id>.exclude: [{path}]` in the config
 * would, with ignoreCovers' folder semantics). Ignores of rules that are not
 * active change nothing.
 */
export function applyDashboardIgnores(rules: readonly ActiveRule[], ignores: readonly DashboardIgnore[]): ActiveRule[] {
  if (ignores.length === 0) return [...rules];
  return rules.flatMap((active): ActiveRule[] => {
    const id = active.rule.id;
    const own = ignores.filter((ignore) => ignore.rule === id);
    if (own.length === 0) return [active];
    if (own.some((ignore) => ignore.path === undefined)) return [];
    // The same paths come back for every resource and rule: decide each one once.
    const decided = new Map<string, boolean>();
    const covered = (path: string): boolean => {
      let answer = decided.get(path);
      if (answer === undefined) {
        answer = own.some((ignore) => ignoreCovers(ignore, { rule: id, file: path }));
        decided.set(path, answer);
      }
      return answer;
    };
    return [{ ...active, isExcluded: (facts) => active.isExcluded(facts) || covered(facts.path) }];
  });
}

/** The rules that ignores name, among the active ones: the only rules worth running again to count what the ignores hide. */
export function rulesNamedBy(rules: readonly ActiveRule[], ignores: readonly DashboardIgnore[]): ActiveRule[] {
  const named = new Set(ignores.map((ignore) => ignore.rule));
  return rules.filter((active) => named.has(active.rule.id));
}

/** How many of `findings` (found with the ignores off) each ignore covers, in the order of `ignores`. */
export function countIgnored(findings: readonly { rule: string; file: string }[], ignores: readonly DashboardIgnore[]): number[] {
  return ignores.map((ignore) => findings.filter((finding) => ignoreCovers(ignore, finding)).length);
}
