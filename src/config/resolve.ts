import picomatch from "picomatch";
import type { Rule, Severity } from "../rules/types.js";
import { ConfigError } from "./load.js";
import type { ConfigFile, ExcludeEntry } from "./types.js";

export interface ResourceFacts {
  kind: string | undefined;
  name: string | undefined;
  namespace: string | undefined;
  path: string;
}

/** A rule as this scan runs it: enabled, at its configured severity, with its exclusions. */
export interface ActiveRule {
  rule: Rule;
  severity: Severity;
  isExcluded(facts: ResourceFacts): boolean;
}

/**
 * Applies the config's `rules:` section to the catalog. `only` (from --rule)
 * narrows the scan to some rules. Unknown rule ids are errors, so a typo does
 * not silently leave a rule on.
 */
export function activeRules(catalog: readonly Rule[], config: ConfigFile, only: readonly string[] = []): ActiveRule[] {
  const known = new Set(catalog.map((rule) => rule.id));
  const unknown = [...Object.keys(config.rules ?? {}).map((id) => ({ id, where: `rules.${id}` })), ...only.map((id) => ({ id, where: `--rule ${id}` }))].filter(
    ({ id }) => !known.has(id),
  );
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map(({ id, where }) => `${where}: unknown rule "${id}" (run \`shipshape rules\` to list them)`).join("\n"));
  }
  const active: ActiveRule[] = [];
  for (const rule of catalog) {
    if (only.length > 0 && !only.includes(rule.id)) continue;
    const setting = config.rules?.[rule.id];
    if (setting === "off" || (typeof setting === "object" && setting.enabled === false)) continue;
    // A rule that is off by default runs when named: any setting but "off", or --rule.
    if (rule.enabled === false && setting === undefined && !only.includes(rule.id)) continue;
    const severity = typeof setting === "string" ? setting : (setting?.severity ?? rule.severity);
    const excludes = (typeof setting === "object" ? (setting.exclude ?? []) : []).map(compileExclude);
    active.push({ rule, severity, isExcluded: (facts) => excludes.some((matches) => matches(facts)) });
  }
  return active;
}

function compileExclude(entry: ExcludeEntry): (facts: ResourceFacts) => boolean {
  const name = entry.name === undefined ? undefined : picomatch(entry.name);
  const namespace = entry.namespace === undefined ? undefined : picomatch(entry.namespace);
  const path = entry.path === undefined ? undefined : picomatch(entry.path, { dot: true });
  return (facts) =>
    (entry.kind === undefined || entry.kind === facts.kind) &&
    (name === undefined || (facts.name !== undefined && name(facts.name))) &&
    (namespace === undefined || (facts.namespace !== undefined && namespace(facts.namespace))) &&
    (path === undefined || path(facts.path));
}
