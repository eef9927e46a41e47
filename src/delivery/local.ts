import { statSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Changeset } from "../fixes/changeset.js";
import { writeFileAtomically } from "./atomic-write.js";

/** Writes every changed file in place, each atomically and with its permissions kept (a new file gets 0644). */
export function writeChangeset(root: string, changeset: Changeset): void {
  for (const file of changeset.files) {
    const absolute = join(root, file.path);
    writeFileAtomically(absolute, file.after, file.created ? 0o644 : statSync(absolute).mode & 0o7777);
  }
}

/** The changeset as a git-style unified diff, files in path order. */
export function unifiedDiff(changeset: Changeset): string {
  return [...changeset.files]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((file) =>
      createTwoFilesPatch(file.created ? "/dev/null" : `a/${file.path}`, `b/${file.path}`, file.before, file.after, undefined, undefined, {
        context: 3,
        headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
      }),
    )
    .join("");
}
