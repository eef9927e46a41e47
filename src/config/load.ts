import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv } from "ajv";
import { loadAll } from "js-yaml";
import { packageRoot } from "../package-root.js";
import { describeSchemaErrors } from "../schema-errors.js";
import type { ErrorObject } from "ajv";
import { scheduleProblems } from "./cron-match.js";
import type { ConfigFile } from "./types.js";

export class ConfigError extends Error {}

/** Where Shipshape looks for a config file in the scanned folder, in order. */
export const CONFIG_FILE_NAMES = [".github/shipshape.yml", ".shipshape.yml"] as const;

export interface LoadedConfig {
  config: ConfigFile;
  /** The file it came from, for messages; undefined when there is none. */
  file: string | undefined;
}

/** Finds and validates the config: `explicitPath` (from --config) must exist; otherwise the first of CONFIG_FILE_NAMES. */
export function loadConfig(root: string, explicitPath?: string): LoadedConfig {
  const file = explicitPath ?? CONFIG_FILE_NAMES.map((name) => join(root, name)).find((path) => existsSync(path));
  if (file === undefined) return { config: {}, file: undefined };
  const label = explicitPath ?? relative(root, file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`${label}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return { config: parseConfig(text, label), file: label };
}

export function parseConfig(text: string, label: string): ConfigFile {
  let data: unknown;
  try {
    const documents = loadAll(text, { maxAliases: 0 });
    if (documents.length > 1) throw new ConfigError(`${label}: holds ${documents.length} YAML documents; a config file has one`);
    data = documents[0] ?? null;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${label}: not valid YAML: ${(error as { reason?: string }).reason ?? String(error)}`);
  }
  return validateConfig(data, label);
}

/** Checks config data against the schema (the GitHub App gets it already parsed, with `_extends` applied). */
export function validateConfig(data: unknown, label: string): ConfigFile {
  const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(join(packageRoot(), "schemas", "config.schema.json"), "utf8")) as object);
  if (!validate(data)) {
    const problems = describeSchemaErrors(mostSpecific(validate.errors ?? []));
    throw invalidConfiguration(label, problems);
  }
  const config = (data ?? {}) as ConfigFile;
  // The schema says a schedule is a string; whether it is a cron expression is checked here.
  const scheduleMistakes = config.schedule === undefined ? [] : scheduleProblems(config.schedule);
  if (scheduleMistakes.length > 0) throw invalidConfiguration(label, scheduleMistakes);
  return config;
}

function invalidConfiguration(label: string, problems: readonly string[]): ConfigError {
  return new ConfigError(`${label}: invalid configuration\n${[...new Set(problems)].map((problem) => `  - ${problem}`).join("\n")}`);
}

/**
 * A rule setting is a `oneOf` (a word, or an object): when it is wrong every
 * branch fails. Of those branch errors keep the deepest, which name the key
 * that is wrong; errors from elsewhere in the file are all kept.
 */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const relevant = errors.filter((error) => error.keyword !== "oneOf");
  const fromBranch = (error: ErrorObject) => error.schemaPath.includes("/oneOf/");
  return relevant.filter(
    (error) => !fromBranch(error) || !relevant.some((other) => other !== error && fromBranch(other) && other.instancePath.startsWith(`${error.instancePath}/`)),
  );
}
