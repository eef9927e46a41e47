import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { activeRules } from "../../src/config/resolve.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { readFileSync } from "node:fs";

it("scratch", () => {
  const spec = JSON.parse(readFileSync(process.env.SCRATCH!, "utf8")) as { files: Record<string, string>; rules: string[]; limits?: object };
  const dir = mkdtempSync(join(tmpdir(), "scr-"));
  for (const [p, t] of Object.entries(spec.files)) { mkdirSync(dirname(join(dir, p)), { recursive: true }); writeFileSync(join(dir, p), t); }
  const r = scanDirectory({ root: dir, rules: activeRules(loadRules(), {}, spec.rules), limits: spec.limits });
  for (const f of r.findings) console.log(JSON.stringify([f.rule, f.file, f.line, f.column, f.message, f.resource?.kind, f.container]));
});
