import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import type { ConfigFile, Limits } from "../../src/config/types.js";
import { loadRules } from "../../src/rules/load.js";
import type { Finding } from "../../src/scan/finding.js";
import { scanDirectory } from "../../src/scan/scan.js";

/** test/fixtures/rules/, where the readable fixtures of these tests live. */
export const FIXTURES = fileURLToPath(new URL("../fixtures/rules/", import.meta.url));

export const catalog = loadRules();

export interface ScanRequest {
  rules: readonly string[];
  config?: ConfigFile;
  limits?: Partial<Limits>;
}

/** Scans a folder with only the given rules switched on. */
export function scan(root: string, { rules, config = {}, limits }: ScanRequest): Finding[] {
  return scanDirectory({ root, rules: activeRules(catalog, config, rules), ...(limits ? { limits } : {}) }).findings;
}

/** Scans test/fixtures/rules/<folder>. */
export function scanFixture(folder: string, request: ScanRequest): Finding[] {
  return scan(join(FIXTURES, folder), request);
}

/** What a test asserts about a finding: rule, file, 1-based line and column, message. */
export type Row = [rule: string, file: string, line: number, column: number, message: string];

export function rows(findings: readonly Finding[]): Row[] {
  return findings.map((f) => [f.rule, f.file, f.line, f.column, f.message]);
}

/** Which object and container each finding is about: `Kind/name container`. */
export function subjects(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.resource ? `${f.resource.kind}/${f.resource.name}` : "-"} ${f.container ?? "-"}`);
}

const tempRoots: string[] = [];
afterAll(() => {
  for (const root of tempRoots) rmSync(root, { recursive: true, force: true });
});

/** Writes files (path relative to a fresh temporary folder) and returns the folder. */
export function tempTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), "shipshape-rules-"));
  tempRoots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Turns the lines of a YAML snippet into a file: joined with "\n" and ending with one. */
export function yaml(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** The error an action throws; fails the test when it throws nothing. */
export function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`a non-Error was thrown: ${String(error)}`);
  }
  throw new Error("nothing was thrown");
}
