import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type EntryKind = "file" | "directory" | "other";

export interface TreeEntry {
  name: string;
  /** "other" is anything that is neither a regular file nor a folder: symlinks, sockets, devices. */
  kind: EntryKind;
}

/** A folder tree a workspace is loaded from. Paths are relative to its root, with `/`; "" is the root. */
export interface WorkspaceTree {
  /** The entries of a folder, in no particular order, or undefined when it cannot be listed. */
  list(dir: string): TreeEntry[] | undefined;
  /** A file's size in bytes, without reading it; throws (with an errno `code` when there is one) if it cannot tell. */
  size(path: string): number;
  /** A file's bytes; throws if it cannot be read. */
  read(path: string): Buffer;
}

/** A folder on disk. Symlinks are listed as "other", so they are never followed. */
export function diskTree(root: string): WorkspaceTree {
  const absolute = (path: string): string => (path === "" ? root : join(root, path));
  return {
    list(dir) {
      try {
        return readdirSync(absolute(dir), { withFileTypes: true }).map((entry) => ({
          name: entry.name,
          kind: entry.isDirectory() ? "directory" : entry.isFile() ? "file" : "other",
        }));
      } catch {
        return undefined;
      }
    },
    size: (path) => statSync(absolute(path)).size,
    read: (path) => readFileSync(absolute(path)),
  };
}

export interface FileInMemory {
  /** Path relative to the root, with `/` separators, e.g. "charts/app/values.yaml". */
  path: string;
  bytes: Buffer;
}

/** Files held in memory (say, from a repository tarball); their folders are implied by their paths. */
export function memoryTree(files: readonly FileInMemory[]): WorkspaceTree {
  const folders = new Map<string, Map<string, EntryKind>>([["", new Map()]]);
  const contents = new Map<string, Buffer>();
  for (const { path, bytes } of files) {
    const segments = path.split("/");
    if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
      throw new Error(`"${path}" is not a relative path inside the workspace (use "/" between folder names, no "." or ".." segments)`);
    }
    contents.set(path, bytes);
    let dir = "";
    segments.forEach((name, index) => {
      const entries = folders.get(dir) ?? new Map<string, EntryKind>();
      folders.set(dir, entries);
      const isFile = index === segments.length - 1;
      // A name that is a folder for one path and a file for another is a folder: order must not matter.
      if (!isFile) entries.set(name, "directory");
      else if (!entries.has(name)) entries.set(name, "file");
      dir = dir === "" ? name : `${dir}/${name}`;
    });
  }
  return {
    list(dir) {
      const entries = folders.get(dir);
      return entries ? [...entries].map(([name, kind]) => ({ name, kind })) : undefined;
    },
    size: (path) => fileAt(path).length,
    read: (path) => fileAt(path),
  };

  function fileAt(path: string): Buffer {
    const bytes = contents.get(path);
    if (bytes === undefined || folders.has(path)) throw Object.assign(new Error(`no file at ${path}`), { code: "ENOENT" });
    return bytes;
  }
}
