import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { load as loadYaml } from "js-yaml";
import { CHECKS } from "../checks/registry.js";
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
  return { ...rule, check: { name: rule.check.name, params: rule.check.params ?? {} } };
}

function implementationProblems(ajv: Ajv, rule: Rule): string[] {
  const check = CHECKS.get(rule.check.name);
  if (!check) return [`check.name: no check named "${rule.check.name}" (known: ${[...CHECKS.keys()].join(", ")})`];
  const validateParams = ajv.compile(check.paramsSchema);
  if (validateParams(rule.check.params)) return [];
  return describeSchemaErrors(validateParams.errors).map((problem) => `check.params ${problem}`);
}
