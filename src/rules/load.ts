import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { load as loadYaml } from "js-yaml";
import { CHECKS } from "../checks/registry.js";
import type { Check } from "../checks/types.js";
import { FIXES } from "../fixes/registry.js";
import type { Fix } from "../fixes/types.js";
import { packageRoot } from "../package-root.js";
import { describeSchemaErrors } from "../schema-errors.js";
import type { Rule } from "./types.js";

export class RuleLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid rules:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

/** Reads and validates every `rules/<id>.yaml`; any invalid rule stops loading with every problem listed. */
export function loadRules(dir = join(packageRoot(), "rules")): Rule[] {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validateRule = ajv.compile(JSON.parse(readFileSync(join(dir, "schema.json"), "utf8")) as object);
  const problems: string[] = [];
  const rules: Rule[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".yaml")).sort()) {
    let data: unknown;
    try {
      data = loadYaml(readFileSync(join(dir, name), "utf8"));
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      continue;
    }
    if (!validateRule(data)) {
      problems.push(...describeSchemaErrors(validateRule.errors).map((problem) => `${name}: ${problem}`));
      continue;
    }
    const rule = normalise(data as Rule);
    problems.push(...implementationProblems(ajv, rule).map((problem) => `${name}: ${problem}`));
    if (`${rule.id}.yaml` !== name) problems.push(`${name}: id "${rule.id}" does not match the file name`);
    rules.push(rule);
  }
  if (problems.length > 0) throw new RuleLoadError(problems);
  return rules;
}

function normalise(rule: Rule): Rule {
  const check = { name: rule.check.name, params: rule.check.params ?? {} };
  return rule.fix ? { ...rule, check, fix: { ...rule.fix, params: rule.fix.params ?? {} } } : { ...rule, check };
}

/** Which checks' findings each kind of fix can fix: a resource fix edits the object a resource or workspace check reported. */
const FIXABLE_SCOPES: Record<Fix["scope"], readonly Check["scope"][]> = { container: ["container"], image: ["image"], resource: ["resource", "workspace"], lockfile: ["workspace"], "new-file": ["workspace"], text: ["file", "resource", "workspace"] };
const FIX_SUBJECTS: Record<Fix["scope"], string> = { container: "containers", image: "image references", resource: "objects", lockfile: "lockfiles", "new-file": "objects", text: "files" };

function implementationProblems(ajv: Ajv, rule: Rule): string[] {
  const check = CHECKS.get(rule.check.name);
  if (!check) return [`check.name: no check named "${rule.check.name}" (known: ${[...CHECKS.keys()].join(", ")})`];
  const problems = paramsProblems(ajv, check.paramsSchema, rule.check.params, "check.params");
  if (rule.fix) {
    const fix = FIXES.get(rule.fix.name);
    if (!fix) problems.push(`fix.name: no fix named "${rule.fix.name}" (known: ${[...FIXES.keys()].join(", ")})`);
    else if (!FIXABLE_SCOPES[fix.scope].includes(check.scope)) {
      problems.push(`fix.name: "${rule.fix.name}" fixes ${FIX_SUBJECTS[fix.scope]}, but check "${check.name}" does not report on them`);
    }
    else problems.push(...paramsProblems(ajv, fix.paramsSchema, rule.fix.params, "fix.params"));
  }
  return problems;
}

function paramsProblems(ajv: Ajv, schema: object, params: Record<string, unknown>, label: string): string[] {
  const validate = ajv.compile(schema);
  return validate(params) ? [] : describeSchemaErrors(validate.errors).map((problem) => `${label} ${problem}`);
}
