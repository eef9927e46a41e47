import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatRuleCatalog } from "../../src/report/rule-catalog.js";
import { loadRules } from "../../src/rules/load.js";
import { PROJECT_ROOT } from "../cli/helpers.js";

const PAGE = join(PROJECT_ROOT, "docs", "rules.md");

describe("docs/rules.md, the rule catalog page", () => {
  const rules = loadRules();
  const page = readFileSync(PAGE, "utf8");

  it("is what `shipshape rules --markdown` writes from rules/ (regenerate it when a rule changes)", () => {
    expect(page).toBe(formatRuleCatalog(rules));
  });

  it("has a section for every rule, with when to ignore it and its checklist item", () => {
    for (const rule of rules) {
      const section = page.slice(page.indexOf(`### ${rule.id}\n`));
      expect(section.startsWith(`### ${rule.id}\n`), rule.id).toBe(true);
      const own = section.slice(0, section.indexOf("\n### ", 1) < 0 ? undefined : section.indexOf("\n### ", 1));
      expect(own, rule.id).toContain("**When to ignore it.**");
      expect(own, rule.id).toContain(`**Checklist item.** "${rule.source.item}"`);
    }
  });
});
