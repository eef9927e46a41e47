import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve as resolvePath } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { kustomizeArgs, type KustomizeBinary } from "./binary.js";
import { outsideReference } from "./entry-points.js";

export interface RenderedEntry {
  entry: string;
  ok: true;
  /** The rendered YAML stream, origin annotations kept. */
  yaml: string;
  /** Per rendered document (in order): the repo-relative file it came from, or undefined (generated: configMapGenerator etc.; remote). */
  origins: (string | undefined)[];
}

/** A broken overlay: kustomize's own error message (first lines, ≤400 chars), or a timeout. */
export interface FailedEntry {
  entry: string;
  ok: false;
  reason: string;
}

export interface KustomizeSource {
  paths: readonly string[];
  read(path: string): Buffer | undefined;
}

export interface RenderOptions {
  binary: KustomizeBinary;
  timeoutMs: number;
}

const REPO = "repo";
const WRAPPERS = "render";
const PARALLEL = 2;
const MAX_REASON = 400;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const ORIGIN = "config.kubernetes.io/origin";
/** What kustomize says about the wrapper itself before it gets to the entry's own error. */
const WRAPPER_NOISE = /^accumulating resources: accumulation err='accumulating resources from '\.\.\/\.\.\/repo[^']*': '[^']*' must resolve to a file': (?:recursed accumulation of path '[^']*': )?/;

/**
 * Renders each entry kustomization with the real kustomize. The repository is
 * written to `<tmp>/repo/`; each entry is built through a wrapper
 * `<tmp>/render/<n>/kustomization.yaml` (`resources: [../../repo/<entry>]`,
 * `buildMetadata: [originAnnotations]`) with kustomize's default load
 * restrictor. The wrapper sits beside the tree, not in it, because kustomize
 * refuses a folder that contains the kustomization listing it, and the
 * repository root is a common entry point. The temp folder is always removed.
 */
export async function renderKustomizations(source: KustomizeSource, entries: readonly string[], options: RenderOptions): Promise<(RenderedEntry | FailedEntry)[]> {
  const root = await mkdtemp(join(tmpdir(), "shipshape-kustomize-"));
  try {
    await writeTree(source, join(root, REPO));
    const results: (RenderedEntry | FailedEntry)[] = new Array(entries.length);
    const paths = new Set(source.paths);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < entries.length; index = next++) results[index] = await renderEntry(source, paths, root, entries[index] as string, index, options);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, entries.length) }, worker));
    return results;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function isSafePath(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.includes("\0") && !path.includes("\\") && path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

async function writeTree(source: KustomizeSource, repo: string): Promise<void> {
  await mkdir(repo);
  const made = new Set<string>();
  for (const path of source.paths) {
    if (!isSafePath(path)) continue;
    const bytes = source.read(path);
    if (bytes === undefined) continue;
    const target = join(repo, path);
    const folder = dirname(target);
    try {
      if (!made.has(folder)) await mkdir(folder, { recursive: true });
      made.add(folder);
      await writeFile(target, bytes, { flag: "wx" });
    } catch {
      // A path that is both a file and a folder cannot be a repository's; kustomize reports what is missing.
    }
  }
}

async function renderEntry(source: KustomizeSource, paths: ReadonlySet<string>, root: string, entry: string, index: number, options: RenderOptions): Promise<RenderedEntry | FailedEntry> {
  if (entry !== "" && !isSafePath(entry)) return { entry, ok: false, reason: `${entry} is not a folder of the repository` };
  const escape = outsideReference(paths, (path) => source.read(path), entry);
  if (escape !== undefined) return { entry, ok: false, reason: escape };
  const wrapper = posix.join(WRAPPERS, String(index));
  const wrapperDir = join(root, wrapper);
  await mkdir(wrapperDir, { recursive: true });
  const target = entry === "" ? `../../${REPO}` : `../../${REPO}/${entry}`;
  await writeFile(join(wrapperDir, "kustomization.yaml"), `resources:\n  - ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`);
  const run = await runBinary(options.binary, kustomizeArgs(options.binary, wrapperDir), root, options.timeoutMs);
  if (!run.ok) return { entry, ok: false, reason: cleanReason(run.reason, root) };
  return { entry, ok: true, yaml: run.stdout, origins: originsOf(run.stdout, wrapper) };
}

type Run = { ok: true; stdout: string } | { ok: false; reason: string };

function runBinary(binary: KustomizeBinary, args: string[], root: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: root };
    // Its own process group, so that a timeout also kills what it started (the npm wrapper starts the real binary).
    const program = binary.path.includes("/") ? resolvePath(binary.path) : binary.path;
    const child = spawn(program, args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: string | undefined;
    const kill = (reason: string) => {
      failure ??= reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => kill(`kustomize did not finish within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) kill(`kustomize output is larger than ${MAX_OUTPUT_BYTES} bytes`);
      else stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 64) stderr.push(chunk);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: failure ?? `could not run ${binary.path}: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) resolve({ ok: false, reason: failure });
      else if (code === 0) resolve({ ok: true, stdout: Buffer.concat(stdout).toString("utf8") });
      else resolve({ ok: false, reason: Buffer.concat(stderr).toString("utf8").trim() || `${binary.path} exited with ${signal ?? `code ${code}`}` });
    });
  });
}

/** Kustomize's message, with temp paths made repo-relative, klog prefixes dropped, first lines only. */
function cleanReason(message: string, root: string): string {
  const lines = message
    .split(`${join(root, REPO)}/`).join("")
    .split(root).join("<temp>")
    .split("\n")
    .map((line) => line.replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [^\]]*\] /, "").replace(/^Error: /, "").replace(/^"command failed" err="(.*)"$/, "$1"))
    .map((line) => line.replace(WRAPPER_NOISE, "").trim())
    .filter((line) => line !== "");
  const text = lines.slice(0, 3).join("\n");
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

/** The repo-relative file each rendered document came from, from its origin annotation (relative to the wrapper). */
function originsOf(yaml: string, wrapper: string): (string | undefined)[] {
  const origins: (string | undefined)[] = [];
  for (const document of parseAllDocuments(yaml)) {
    if (!("contents" in document) || document.contents === null) continue;
    const annotation = document.getIn(["metadata", "annotations", ORIGIN]);
    origins.push(typeof annotation === "string" ? originPath(annotation, wrapper) : undefined);
  }
  return origins;
}

function originPath(annotation: string, wrapper: string): string | undefined {
  let origin: unknown;
  try {
    origin = parse(annotation, { logLevel: "error" });
  } catch {
    return undefined;
  }
  if (typeof origin !== "object" || origin === null) return undefined;
  const { path, repo } = origin as { path?: unknown; repo?: unknown };
  if (repo !== undefined || typeof path !== "string" || posix.isAbsolute(path)) return undefined;
  const resolved = posix.normalize(posix.join(wrapper, path));
  return resolved.startsWith(`${REPO}/`) ? resolved.slice(REPO.length + 1) : undefined;
}
