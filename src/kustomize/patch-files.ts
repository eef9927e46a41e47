import type { ParsedFile } from "../model/parsed-file.js";
import { get, getText, isMap, isScalar, seqItems } from "../yaml/nodes.js";
import { folderOf, resolveListed } from "./entry-points.js";

/**
 * The files kustomizations apply as patches (`patches[].path`,
 * `patchesStrategicMerge`, `patchesJson6902[].path`). A patch holds only the
 * fields it changes, so it is not an object to judge on its own: what it
 * does is judged in the rendering.
 */
export function kustomizePatchFiles(files: readonly ParsedFile[]): Set<string> {
  const patches = new Set<string>();
  for (const file of files) {
    if (file.role !== "kustomization") continue;
    const folder = folderOf(file.path);
    const add = (value: string | undefined) => {
      // An inline patch is YAML text, not a path.
      if (value === undefined || value.includes("\n")) return;
      const listed = resolveListed(folder, value);
      if (listed.where === "repo") patches.add(listed.path);
    };
    for (const document of file.documents) {
      for (const item of seqItems(get(document.root, "patches"))) add(isMap(item) ? getText(item, "path") : undefined);
      for (const item of seqItems(get(document.root, "patchesJson6902"))) add(isMap(item) ? getText(item, "path") : undefined);
      for (const item of seqItems(get(document.root, "patchesStrategicMerge"))) add(isScalar(item) ? item.text : undefined);
    }
  }
  return patches;
}
