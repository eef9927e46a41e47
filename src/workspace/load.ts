import picomatch from "picomatch";
import { isGitignored, withGitignore, type GitignoreScope } from "./gitignore.js";
import { isDecidedByContent, isReadRole, refineTextRole, roleFromPath, type FileRole } from "./roles.js";
import { diskTree, memoryTree, type FileInMemory, type WorkspaceTree } from "./tree.js";

export interface WorkspaceFile {
  /** Path relative to the workspace root, with `/` separators. */
  path: string;
  role: FileRole;
  size: number;
  /** The text, for files Shipshape reads and could read. */
  text?: string;
  /** Why the file was not read (too large, binary, unreadable). */
  unreadable?: string;
  /** The bytes of a certificate or key file that holds binary data (DER), for the certificate rules. */
  binary?: Buffer;
}

export interface LoadOptions {
  maxFileBytes: number;
  /** Globs (relative to the root) to leave out entirely. */
  ignorePaths: readonly string[];
}

const ALWAYS_SKIPPED = new Set([".git", "node_modules"]);
const BINARY_SNIFF_BYTES = 8000;

/** Reads a folder the way a repository checkout looks: .gitignore honoured, symlinks not followed. */
export function loadWorkspace(root: string, options: LoadOptions): WorkspaceFile[] {
  return loadTree(diskTree(root), options);
}

/** The same as loadWorkspace, for files held in memory (a repository tarball, say) rather than on disk. */
export function loadWorkspaceFromFiles(files: readonly FileInMemory[], options: LoadOptions): WorkspaceFile[] {
  return loadTree(memoryTree(files), options);
}

/** Walks a tree from its root, leaving out what git and the config leave out, and classifies every file. */
function loadTree(tree: WorkspaceTree, options: LoadOptions): WorkspaceFile[] {
  const files: WorkspaceFile[] = [];
  const isIgnoredByConfig = options.ignorePaths.length > 0 ? picomatch([...options.ignorePaths], { dot: true }) : () => false;
  walk("", [], undefined);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;

  function walk(dir: string, scopes: GitignoreScope[], chartRoot: string | undefined): void {
    const entries = tree.list(dir);
    if (entries === undefined) return;
    const localScopes = withGitignore(tree, dir, scopes);
    const hereIsChart = entries.some((entry) => entry.kind === "file" && entry.name === "Chart.yaml");
    const chart = hereIsChart ? dir : chartRoot;
    for (const entry of entries) {
      if (entry.kind === "other") continue; // symlinks, sockets, devices
      const isDirectory = entry.kind === "directory";
      if (isDirectory && ALWAYS_SKIPPED.has(entry.name)) continue;
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (isGitignored(localScopes, path, isDirectory) || isIgnoredByConfig(path)) continue;
      if (isDirectory) walk(path, localScopes, chart);
      else files.push(readFile(tree, path, chart, options.maxFileBytes));
    }
  }
}

function readFile(tree: WorkspaceTree, path: string, chartRoot: string | undefined, maxFileBytes: number): WorkspaceFile {
  const role = roleFromPath({ path, chartRoot });
  if (!isReadRole(role)) return { path, role, size: 0 };
  let size = 0;
  // A file whose role only its text would confirm (a .conf file that may be nginx's) is not reported when it cannot be read.
  const unreadable = (reason: string): WorkspaceFile => (isDecidedByContent(role, path) ? { path, role: "other", size: 0 } : { path, role, size, unreadable: reason });
  try {
    size = tree.size(path);
    if (size > maxFileBytes) {
      return unreadable(`file is ${formatBytes(size)}, over the ${formatBytes(maxFileBytes)} limit (limits.maxFileBytes); it was not scanned`);
    }
    const bytes = tree.read(path);
    if (role === "pem" && isDer(bytes)) return { path, role, size, binary: bytes };
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      return unreadable("file holds binary data (a NUL byte), not text; it was not scanned");
    }
    const text = bytes.toString("utf8");
    const refined = refineTextRole(role, path, text);
    // A .conf file that turns out not to be nginx's is kept as if it had not been read.
    if (refined === "other" && isDecidedByContent(role, path)) return { path, role: refined, size: 0 };
    return { path, role: refined, size, text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return unreadable(`file could not be read (${code}); it was not scanned`);
  }
}

/**
 * A DER certificate or key: binary, though not always with a NUL byte. It
 * starts with a SEQUENCE whose length takes 1 to 4 more bytes (0x30 0x81…
 * 0x84); in UTF-8 text, "0" is never followed by such a continuation byte.
 */
function isDer(bytes: Buffer): boolean {
  const second = bytes[1] ?? 0;
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0) || (bytes[0] === 0x30 && second >= 0x81 && second <= 0x84);
}

export function formatBytes(bytes: number): string {
  // Switch units where rounding would otherwise print "1024.0 KiB".
  if (bytes >= 1023.95 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
