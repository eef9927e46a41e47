import { Ajv } from "ajv";
import type { ErrorObject } from "ajv";
import picomatch from "picomatch";
import { CHECKS } from "../checks/registry.js";
import { FIXES } from "../fixes/registry.js";
import type { Rule, Severity } from "../rules/types.js";
import { describeSchemaErrors } from "../schema-errors.js";
import { ConfigError } from "./load.js";
import type { ConfigFile, ExcludeEntry, RuleSetting } from "./types.js";

export interface ResourceFacts {
  kind: string | undefined;
  name: string | undefined;
  namespace: string | undefined;
  path: string;
}

/** A rule as this scan runs it: enabled, at its configured severity, with its exclusions. */
export interface ActiveRule {
  /** The catalog's rule, with the config's `checkParams` / `fixParams` merged over its check's and fix's params. */
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
  const problems = unknown.map(({ id, where }) => `${where}: unknown rule "${id}" (run \`shipshape rules\` to list them)`);
  // Params are checked for every rule the config sets, whether or not this scan runs it.
  const ajv = lazy(() => new Ajv({ allErrors: true, strict: true }));
  for (const rule of catalog) problems.push(...paramsProblems(ajv, rule, config.rules?.[rule.id]));
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  const active: ActiveRule[] = [];
  for (const configured of catalog) {
    if (only.length > 0 && !only.includes(configured.id)) continue;
    const setting = config.rules?.[configured.id];
    if (setting === "off" || (typeof setting === "object" && setting.enabled === false)) continue;
    // A rule that is off by default runs when named: any setting but "off", or --rule.
    if (configured.enabled === false && setting === undefined && !only.includes(configured.id)) continue;
    const rule = withParams(configured, setting);
    const severity = typeof setting === "string" ? setting : (setting?.severity ?? rule.severity);
    const excludes = (typeof setting === "object" ? (setting.exclude ?? []) : []).map(compileExclude);
    active.push({ rule, severity, isExcluded: (facts) => excludes.some((matches) => matches(facts)) });
  }
  return active;
}

/** The rule with the setting's `checkParams` / `fixParams` merged over its own, key by key (the config wins). */
function withParams(rule: Rule, setting: RuleSetting | undefined): Rule {
  if (typeof setting !== "object" || (setting.checkParams === undefined && setting.fixParams === undefined)) return rule;
  const check = setting.checkParams === undefined ? rule.check : { ...rule.check, params: { ...rule.check.params, ...setting.checkParams } };
  const fix = rule.fix && setting.fixParams !== undefined ? { ...rule.fix, params: { ...rule.fix.params, ...setting.fixParams } } : rule.fix;
  return fix === undefined ? { ...rule, check } : { ...rule, check, fix };
}

/** What is wrong with a setting's `checkParams` / `fixParams`: judged, merged, against the check's / fix's paramsSchema. */
function paramsProblems(ajv: () => Ajv, rule: Rule, setting: RuleSetting | undefined): string[] {
  if (typeof setting !== "object") return [];
  const problems: string[] = [];
  const where = `/rules/${escapePointer(rule.id)}`;
  if (setting.checkParams !== undefined) {
    const check = CHECKS.get(rule.check.name);
    if (check) problems.push(...schemaProblems(ajv(), check.paramsSchema, { ...rule.check.params, ...setting.checkParams }, `${where}/checkParams`));
  }
  if (setting.fixParams !== undefined) {
    const fix = rule.fix ? FIXES.get(rule.fix.name) : undefined;
    if (!rule.fix) problems.push(`rules.${rule.id}.fixParams: rule "${rule.id}" has no fix (only checkParams can be set)`);
    else if (fix) problems.push(...schemaProblems(ajv(), fix.paramsSchema, { ...rule.fix.params, ...setting.fixParams }, `${where}/fixParams`));
  }
  return problems;
}

function schemaProblems(ajv: Ajv, schema: object, params: Record<string, unknown>, pointer: string): string[] {
  const validate = ajv.compile(schema);
  if (validate(params)) return [];
  // Named from the top of the config file, as the config schema's own errors are.
  return describeSchemaErrors((validate.errors ?? []).map((error): ErrorObject => ({ ...error, instancePath: `${pointer}${error.instancePath}` })));
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
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
