import ignore, { type Ignore } from "ignore";
import type { WorkspaceTree } from "./tree.js";

export interface GitignoreScope {
  /** Folder of the .gitignore, relative to the root ("" for the root). */
  base: string;
  rules: Ignore;
}

/** The scopes in force inside `dir`: the parent's, plus the folder's own .gitignore if it has one. */
export function withGitignore(tree: WorkspaceTree, dir: string, scopes: GitignoreScope[]): GitignoreScope[] {
  let text: string;
  try {
    text = tree.read(dir === "" ? ".gitignore" : `${dir}/.gitignore`).toString("utf8");
  } catch {
    return scopes;
  }
  return [...scopes, { base: dir, rules: ignore().add(text) }];
}

/** As git does: the deepest .gitignore with a matching pattern decides, so `!keep.yaml` below overrides `*.yaml` above. */
export function isGitignored(scopes: readonly GitignoreScope[], path: string, isDirectory: boolean): boolean {
  for (let index = scopes.length - 1; index >= 0; index -= 1) {
    const { base, rules } = scopes[index] as GitignoreScope;
    const relative = base === "" ? path : path.slice(base.length + 1);
    const verdict = rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
