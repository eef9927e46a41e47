import { posix } from "node:path";
import { parse } from "yaml";
import type { YamlDocument } from "../yaml/compose.js";
import { get, getText, isScalar, seqItems } from "../yaml/nodes.js";

/** The fields whose entries may be kustomization folders that the listing kustomization includes. */
export const INCLUDING_FIELDS = ["resources", "bases", "components"] as const;

/** File names kustomize reads a folder's kustomization from, in its order. */
export const KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

/** Fields that may name kustomization folders, guarded against leaving the repository. */
const FOLDER_FIELDS = [...INCLUDING_FIELDS, "generators", "transformers", "validators"];

/** Where a `resources:`-style entry points: a repo-relative path, outside the repository, or a remote (URL, `github.com/…`) that is not ours to judge. */
export type ListedPath = { where: "repo"; path: string } | { where: "outside" } | { where: "remote" };

/**
 * Resolves an entry of a kustomization's list against the kustomization's
 * folder (`""` for the repository root). The result has no trailing slash;
 * the repository root is `""`.
 */
export function resolveListed(folder: string, value: string): ListedPath {
  const trimmed = value.trim();
  if (trimmed.includes("://") || /^(?:git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(trimmed)) return { where: "remote" };
  if (posix.isAbsolute(trimmed) || /^[A-Za-z]:[\\/]/.test(trimmed)) return { where: "outside" };
  const joined = posix.normalize(posix.join(folder, trimmed)).replace(/\/+$/, "");
  if (joined === ".." || joined.startsWith("../")) return { where: "outside" };
  return { where: "repo", path: joined === "." ? "" : joined };
}

/** The folder of a repo-relative file path (`""` at the root). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

/**
 * Kustomization folders nothing else includes: each is something people
 * deploy (Argo CD apps point at them). A folder another kustomization lists in
 * `resources`, `bases` or `components` is a part, not an entry point, and so
 * is a `kind: Component` nobody lists (kustomize cannot build one alone).
 * Returns folder paths (`""` for the repository root), sorted.
 */
export function kustomizeEntryPoints(files: readonly { path: string; role: string; documents: readonly YamlDocument[] }[]): string[] {
  const kustomizations = files.filter((file) => file.role === "kustomization");
  const folders = new Set(kustomizations.map((file) => folderOf(file.path)));
  const excluded = new Set<string>();
  for (const file of kustomizations) {
    const folder = folderOf(file.path);
    for (const document of file.documents) {
      if (getText(document.root, "kind") === "Component") excluded.add(folder);
      for (const field of INCLUDING_FIELDS) {
        for (const item of seqItems(get(document.root, field))) {
          if (!isScalar(item) || typeof item.value !== "string") continue;
          const listed = resolveListed(folder, item.value);
          if (listed.where === "repo" && listed.path !== folder && folders.has(listed.path)) excluded.add(listed.path);
        }
      }
    }
  }
  return [...folders].filter((folder) => !excluded.has(folder)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The first list entry, of the entry kustomization and the kustomizations it
 * includes, that leaves the repository. Kustomize's load restrictor keeps
 * files inside their kustomization's folder but follows folders anywhere, so
 * such an entry would make it read a folder outside the repository.
 */
export function outsideReference(paths: ReadonlySet<string>, read: (path: string) => Buffer | undefined, entry: string): string | undefined {
  const found = firstReference(paths, read, entry, "outside");
  return found && `${found.file}: ${found.field} entry ${JSON.stringify(found.value)} is outside the repository`;
}

/** The first remote base (a Git URL, `github.com/…`) the entry's kustomizations include: Shipshape does not fetch those. */
export function remoteReference(paths: ReadonlySet<string>, read: (path: string) => Buffer | undefined, entry: string): string | undefined {
  const found = firstReference(paths, read, entry, "remote");
  return found && `${found.file}: ${found.field} entry ${JSON.stringify(found.value)}`;
}

/** Walks the entry's kustomizations, and the folders in the repository they include, for a list entry of that kind. */
function firstReference(
  paths: ReadonlySet<string>,
  read: (path: string) => Buffer | undefined,
  entry: string,
  wanted: "outside" | "remote",
): { file: string; field: string; value: string } | undefined {
  const fileIn = (folder: string) => KUSTOMIZATION_FILE_NAMES.map((name) => (folder === "" ? name : `${folder}/${name}`)).find((path) => paths.has(path));
  const seen = new Set<string>();
  const pending = [entry];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    const file = fileIn(folder);
    if (seen.has(folder) || file === undefined) continue;
    seen.add(folder);
    let kustomization: unknown;
    try {
      kustomization = parse(read(file)?.toString("utf8") ?? "", { logLevel: "error" });
    } catch {
      continue; // kustomize reports the syntax error itself
    }
    if (typeof kustomization !== "object" || kustomization === null) continue;
    for (const field of FOLDER_FIELDS) {
      const list = (kustomization as Record<string, unknown>)[field];
      for (const value of Array.isArray(list) ? list : []) {
        if (typeof value !== "string") continue;
        const listed = resolveListed(folder, value);
        if (listed.where === wanted) return { file, field, value };
        if (listed.where === "repo") pending.push(listed.path);
      }
    }
  }
  return undefined;
}
