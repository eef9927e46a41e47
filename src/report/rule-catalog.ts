import type { Rule } from "../rules/types.js";
import { checklistReference } from "./rule-text.js";
import { rulesByCategory } from "./text.js";

/**
 * docs/rules.md: every rule of rules/, by category, with what it protects
 * against, how to fix it, when to ignore it and the checklist item it comes
 * from. `shipshape rules --markdown` writes it; a test keeps the page and
 * the rule files in step.
 */
export function formatRuleCatalog(rules: readonly Rule[]): string {
  const lines = [
    "# Shipshape's rules",
    "",
    "Generated from `rules/*.yaml` by `shipshape rules --markdown > docs/rules.md`; a test fails when this page and the rule files differ.",
    "",
  ];
  for (const [category, members] of rulesByCategory(rules)) {
    lines.push(`## ${category}`, "", "| rule | severity | fix |", "| --- | --- | --- |");
    for (const rule of members) lines.push(`| [\`${rule.id}\`](#${rule.id}) | ${rule.severity}${rule.enabled === false ? ", off by default" : ""} | ${rule.fix ? `\`${rule.fix.name}\`` : "—"} |`);
    lines.push("");
    for (const rule of members) {
      lines.push(`### ${rule.id}`, "", `**${rule.title}.** ${oneLine(rule.rationale)}`, "", `**How to fix.** ${oneLine(rule.remediation)}`, "");
      if (rule.ignoreWhen) lines.push(`**When to ignore it.** ${oneLine(rule.ignoreWhen)}`, "");
      lines.push(`**Checklist item.** ${checklistReference(rule)}`, "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

const oneLine = (text: string) => text.trim().replace(/\s+/g, " ");
