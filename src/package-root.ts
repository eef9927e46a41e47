import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The folder holding package.json, rules/ and templates/, whether running from src/ or dist/src/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "rules", "schema.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Shipshape's rules/ folder was not found beside its code; the installation is incomplete");
    dir = parent;
  }
  cached = dir;
  return dir;
}
