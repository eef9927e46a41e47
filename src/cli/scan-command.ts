import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import picocolors from "picocolors";
import { loadConfig } from "../config/load.js";
import { activeRules } from "../config/resolve.js";
import { formatJson } from "../report/json.js";
import { formatSarif } from "../report/sarif.js";
import { summarise, type FailOn } from "../report/summary.js";
import { formatText } from "../report/text.js";
import type { Rule } from "../rules/types.js";
import { scanDirectory } from "../scan/scan.js";
import { colorsFor } from "./colors.js";
import { progressReporter } from "./progress.js";
import { UsageError } from "./usage-error.js";
import { writeFileAtomically } from "./write-output.js";

const NO_COLORS = picocolors.createColors(false);

function writeReport(path: string, report: string): void {
  try {
    writeFileAtomically(path, report);
  } catch (error) {
    throw new UsageError(`--output ${path}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export type OutputFormat = "text" | "json" | "sarif";

export interface ScanCommandOptions {
  format: OutputFormat;
  output?: string;
  config?: string;
  rule: string[];
  failOn: FailOn;
}

/** `shipshape scan [DIR]`; returns the exit code: 0 clean, 1 findings at or above --fail-on. */
export function runScanCommand(dir: string, options: ScanCommandOptions, catalog: readonly Rule[], version: string): number {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  const { config } = loadConfig(root, options.config);
  const rules = activeRules(catalog, config, options.rule);
  const progress = progressReporter();
  const result = scanDirectory({ root, rules, ignorePaths: config.ignorePaths, limits: config.limits, onProgress: progress.update });
  progress.done();
  const summary = summarise(result, options.failOn);
  const report =
    options.format === "json"
      ? formatJson(result, summary)
      : options.format === "sarif"
        ? formatSarif(result, rules.map((active) => active.rule), version)
        : formatText(result, summary, options.output === undefined ? colorsFor(process.stdout) : NO_COLORS);
  if (options.output === undefined) process.stdout.write(report);
  else writeReport(options.output, report);
  return summary.failed ? 1 : 0;
}
