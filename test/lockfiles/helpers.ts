import { fileURLToPath } from "node:url";
import type { WorkspaceHit } from "../../src/checks/types.js";
import { parseWorkspace, type ParsedWorkspace } from "../../src/scan/parse-workspace.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { DEFAULT_YAML_LIMITS } from "../../src/yaml/compose.js";

/** test/fixtures/lockfiles/, where these tests' fixtures live. */
export const LOCKFILE_FIXTURES = fileURLToPath(new URL("../fixtures/lockfiles/", import.meta.url));

/** Loads and parses test/fixtures/lockfiles/<folder> the way a scan does. */
export function fixtureWorkspace(folder: string): ParsedWorkspace {
  return parseWorkspace(loadWorkspace(`${LOCKFILE_FIXTURES}${folder}`, { maxFileBytes: 1_000_000, ignorePaths: [] }), DEFAULT_YAML_LIMITS);
}

/** What a test asserts about a hit: file, 1-based line, message. */
export type HitRow = [file: string, line: number, message: string];

export function hitRows(workspace: ParsedWorkspace, hits: readonly WorkspaceHit[]): HitRow[] {
  const files = new Map(workspace.files.map((file) => [file.path, file]));
  return hits.map((hit) => [hit.file, files.get(hit.file)?.lines.position(hit.offset).line ?? 0, hit.message]);
}
