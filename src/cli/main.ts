#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config/load.js";
import { packageRoot } from "../package-root.js";
import { formatRuleExplanation, formatRuleList } from "../report/text.js";
import { loadRules, RuleLoadError } from "../rules/load.js";
import { SEVERITIES } from "../rules/types.js";
import { formatRuleCatalog } from "../report/rule-catalog.js";
import { colorsFor } from "./colors.js";
import { runScanCommand, type ScanCommandOptions } from "./scan-command.js";
import { UsageError } from "./usage-error.js";

const EXIT_USAGE = 2;

function buildProgram(version: string, setExitCode: (code: number) => void): Command {
  const program = new Command("shipshape")
    .description("Find and fix production-readiness gaps in GitOps config repositories.")
    .version(version)
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("scan")
    .description("scan a folder of Kubernetes, Helm, Kustomize and Argo CD config")
    .argument("[dir]", "folder to scan", ".")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--config <file>", "config file (default: .github/shipshape.yml or .shipshape.yml in DIR)")
    .option("--rule <id>", "run only this rule (repeatable)", (id: string, ids: string[]) => [...ids, id], [] as string[])
    .option("--fix", "fix what can be fixed, in place (each file written atomically)")
    .option("--dry-run", "with --fix: print the changes as a unified diff instead of writing them")
    .option("--now <time>", "judge certificates at this time (ISO 8601) instead of now; also SHIPSHAPE_NOW or `now:` in the config")
    .option("--offline", "never ask a container registry: pins and digest checks are reported as needing the network")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").choices([...SEVERITIES, "none"]).default("high"),
    )
    .action(async (dir: string, options: ScanCommandOptions) => {
      setExitCode(await runScanCommand(dir, options, loadRules(), version));
    });

  program
    .command("rules")
    .description("list the rules, by category")
    .option("--markdown", "write the catalog page (docs/rules.md) instead")
    .action((options: { markdown?: boolean }) => {
      const rules = loadRules();
      process.stdout.write(options.markdown ? formatRuleCatalog(rules) : formatRuleList(rules, colorsFor(process.stdout)));
    });

  program
    .command("explain")
    .description("explain one rule: why it matters, how to fix it, where it comes from")
    .argument("<rule>", "rule id")
    .action((id: string) => {
      const rule = loadRules().find((candidate) => candidate.id === id);
      if (!rule) throw new UsageError(`unknown rule "${id}" (run \`shipshape rules\` to list them)`);
      process.stdout.write(formatRuleExplanation(rule, colorsFor(process.stdout)));
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
  const version = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  let exitCode = 0;
  try {
    await buildProgram(version, (code) => (exitCode = code)).parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`shipshape: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof RuleLoadError) {
      process.stderr.write(`shipshape: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv);
