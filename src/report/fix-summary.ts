import type { Colors } from "picocolors/types.js";
import type { Changeset } from "../fixes/changeset.js";
import { plural } from "./plural.js";

/** What `--fix` did: each fix, what could not be fixed and why, and the risks to check once per rule (the last fix's). */
export function formatFixSummary(changeset: Changeset, dryRun: boolean, colors: Colors): string {
  const lines: string[] = [];
  const files = changeset.files.length;
  const verb = dryRun ? "Would fix" : "Fixed";
  // Fixes that are a step people finish (cert-manager taking a Secret over) leave their findings reported.
  const staying = changeset.applied.filter((fix) => fix.resolvesFinding === false).length;
  const stay = staying > 0 ? `; ${staying} ${staying === 1 ? "stays" : "stay"} reported until people do what "Check before merging" says` : "";
  lines.push(colors.bold(`${verb} ${changeset.applied.length} ${plural(changeset.applied.length, "finding")} in ${files} ${plural(files, "file")}${dryRun ? " (dry run: nothing was written)" : ""}${stay}.`));
  for (const fix of changeset.applied) lines.push(`  ${fix.file}  ${colors.green(fix.rule)}  ${fix.explanation}`);
  if (changeset.skipped.length > 0) {
    lines.push(colors.bold(`Not fixed: ${changeset.skipped.length}.`));
    for (const skip of changeset.skipped) {
      // Positions in the file as it is on disk afterwards: unchanged by a dry run, fixed otherwise.
      const where = dryRun ? skip.finding : (skip.findingAfter ?? skip.finding);
      lines.push(`  ${skip.file}:${where.line}:${where.column}  ${colors.yellow(skip.rule)}  ${skip.reason}`);
    }
  }
  const risks = new Map(changeset.applied.map((fix) => [fix.rule, fix.risk]));
  if (risks.size > 0) {
    lines.push(colors.bold("Check before merging:"));
    for (const [rule, risk] of risks) lines.push(`  ${rule}: ${risk}`);
  }
  return `${lines.join("\n")}\n`;
}

