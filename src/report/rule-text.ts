import type { Rule } from "../rules/types.js";

export function checklistReference(rule: Rule): string {
  return `"${rule.source.item}" (${rule.source.section}, ${rule.source.checklist})`;
}
