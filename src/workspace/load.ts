import { readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { isReadRole, refineTextRole, roleFromPath, type FileRole } from "./roles.js";

export interface WorkspaceFile {
  /** Path relative to the workspace root, with `/` separators. */
  path: string;
  role: FileRole;
  size: number;
  /** The text, for files Shipshape reads and could read. */
  text?: string;
  /** Why the file was not read (too large, binary, unreadable). */
  unreadable?: string;
}

export interface LoadOptions {
  maxFileBytes: number;
  /** Globs (relative to the root) to leave out entirely. */
  ignorePaths: readonly string[];
}

const ALWAYS_SKIPPED = new Set([".git", "node_modules"]);
const BINARY_SNIFF_BYTES = 8000;

interface GitignoreScope {
  /** Folder of the .gitignore, relative to the root ("" for the root). */
  base: string;
  rules: Ignore;
}

/** Reads a folder the way a repository checkout looks: .gitignore honoured, symlinks not followed. */
export function loadWorkspace(root: string, options: LoadOptions): WorkspaceFile[] {
  const files: WorkspaceFile[] = [];
  const isIgnoredByConfig = options.ignorePaths.length > 0 ? picomatch([...options.ignorePaths], { dot: true }) : () => false;
  walk(root, "", [], undefined);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;

  function walk(dir: string, relativeDir: string, scopes: GitignoreScope[], chartRoot: string | undefined): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const localScopes = withGitignore(dir, relativeDir, scopes);
    const hereIsChart = entries.some((entry) => entry.isFile() && entry.name === "Chart.yaml");
    const chart = hereIsChart ? relativeDir : chartRoot;
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name) && entry.isDirectory()) continue;
      const path = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      const isDirectory = entry.isDirectory();
      if (!isDirectory && !entry.isFile()) continue; // symlinks, sockets, devices
      if (isGitignored(localScopes, path, isDirectory) || isIgnoredByConfig(path)) continue;
      if (isDirectory) walk(join(dir, entry.name), path, localScopes, chart);
      else files.push(readFile(join(dir, entry.name), path, chart, options.maxFileBytes));
    }
  }
}

function readFile(absolutePath: string, path: string, chartRoot: string | undefined, maxFileBytes: number): WorkspaceFile {
  const role = roleFromPath({ path, chartRoot });
  if (!isReadRole(role)) return { path, role, size: 0 };
  let size = 0;
  try {
    size = statSync(absolutePath).size;
    if (size > maxFileBytes) {
      return { path, role, size, unreadable: `file is ${formatBytes(size)}, over the ${formatBytes(maxFileBytes)} limit (limits.maxFileBytes); it was not scanned` };
    }
    const bytes = readFileSync(absolutePath);
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      return { path, role, size, unreadable: "file holds binary data (a NUL byte), not text; it was not scanned" };
    }
    const text = bytes.toString("utf8");
    return { path, role: refineTextRole(role, path, text), size, text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return { path, role, size, unreadable: `file could not be read (${code}); it was not scanned` };
  }
}

function withGitignore(dir: string, relativeDir: string, scopes: GitignoreScope[]): GitignoreScope[] {
  let text: string;
  try {
    text = readFileSync(join(dir, ".gitignore"), "utf8");
  } catch {
    return scopes;
  }
  return [...scopes, { base: relativeDir, rules: ignore().add(text) }];
}

/** As git does: the deepest .gitignore with a matching pattern decides, so `!keep.yaml` below overrides `*.yaml` above. */
function isGitignored(scopes: readonly GitignoreScope[], path: string, isDirectory: boolean): boolean {
  for (let index = scopes.length - 1; index >= 0; index -= 1) {
    const { base, rules } = scopes[index] as GitignoreScope;
    const relative = base === "" ? path : path.slice(base.length + 1);
    const verdict = rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

export function formatBytes(bytes: number): string {
  // Switch units where rounding would otherwise print "1024.0 KiB".
  if (bytes >= 1023.95 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
