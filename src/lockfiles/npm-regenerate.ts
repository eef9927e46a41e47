import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export type RegeneratedLock = { ok: true; text: string } | { ok: false; reason: string };

export interface RegenerateOptions {
  /** Kill npm (its whole process group) after this. */
  timeoutMs: number;
  /** Then nothing runs: regenerating needs the registry. */
  offline?: boolean;
  /** Default "npm". */
  npmCommand?: string;
}

/** What os.tmpdir() entries of a regeneration are called. */
export const NPM_REGENERATE_PREFIX = "shipshape-npm-lock-";

const ARGS = [
  "install",
  "--package-lock-only", // resolve from registry metadata into package-lock.json; no node_modules
  "--ignore-scripts",
  "--no-audit",
  "--no-fund",
  "--no-update-notifier",
  "--git=git", // a repository's .npmrc must not choose the program npm runs for git dependencies
];
const MAX_STDERR_CHARS = 64_000;
const MAX_REASON_CHARS = 300;

type Run = { kind: "exit"; code: number; stderr: string } | { kind: "timeout" } | { kind: "missing" };

/**
 * A fresh package-lock.json for the lockfile's folder (package.json, package-lock.json and .npmrc as the repository
 * has them), from `npm install --package-lock-only` in a temp copy. Only the new lockfile is taken from it.
 */
export async function regenerateNpmLock(
  files: { packageJson: string; packageLock: string; npmrc?: string },
  options: RegenerateOptions,
): Promise<RegeneratedLock> {
  if (options.offline) return { ok: false, reason: "regenerating package-lock.json needs the network, and Shipshape is offline" };
  if (usesWorkspaces(files.packageJson)) return { ok: false, reason: "package.json uses npm workspaces; Shipshape does not regenerate those" };
  const dir = await mkdtemp(path.join(tmpdir(), NPM_REGENERATE_PREFIX));
  try {
    const project = path.join(dir, "project");
    const home = path.join(dir, "home");
    await Promise.all([mkdir(project), mkdir(home)]);
    await writeFile(path.join(project, "package.json"), files.packageJson);
    await writeFile(path.join(project, "package-lock.json"), files.packageLock);
    if (files.npmrc !== undefined) await writeFile(path.join(project, ".npmrc"), files.npmrc);
    // Only what npm needs, nothing else of process.env: the repository's .npmrc can interpolate ${ENV_VARS} into
    // auth headers sent to a registry it chooses, so the server's secrets must not be in npm's environment.
    const env = { PATH: process.env["PATH"] ?? "", HOME: home, npm_config_cache: path.join(dir, "cache"), npm_config_update_notifier: "false" };
    const run = await runNpm(options.npmCommand ?? "npm", project, env, options.timeoutMs);
    if (run.kind === "missing") return { ok: false, reason: "npm is not installed" };
    if (run.kind === "timeout") return { ok: false, reason: `npm install --package-lock-only did not finish within ${Math.round(options.timeoutMs / 100) / 10} s` };
    if (run.code !== 0) return { ok: false, reason: `npm install --package-lock-only failed (exit ${run.code}): ${errorLines(run.stderr)}` };
    return { ok: true, text: await readFile(path.join(project, "package-lock.json"), "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function usesWorkspaces(packageJson: string): boolean {
  try {
    const json: unknown = JSON.parse(packageJson);
    return typeof json === "object" && json !== null && "workspaces" in json;
  } catch {
    return false; // npm says what is wrong with it
  }
}

function runNpm(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    // detached: npm leads its own process group, so a timeout kills whatever it started too.
    const child = spawn(command, ARGS, { cwd, env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let timedOut = false;
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR_CHARS);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL"); // the group is gone already
      }
    }, timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === "ENOENT" ? { kind: "missing" } : { kind: "exit", code: -1, stderr: error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(timedOut ? { kind: "timeout" } : { kind: "exit", code: code ?? -1, stderr });
    });
  });
}

/** npm's `npm error` lines (else the last lines of stderr), without the prefix and the pointer to its debug log. */
function errorLines(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const errors = lines.filter((line) => /^npm (error|ERR!)/.test(line)).map((line) => line.replace(/^npm (error|ERR!)\s*/, ""));
  const kept = (errors.length > 0 ? errors : lines.slice(-3)).filter((line) => !/^\d*$|complete log of this run|^\/.*\.log$/i.test(line));
  const text = [...new Set(kept)].join("; ").replace(/\s+/g, " ");
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text || "npm said nothing";
}
