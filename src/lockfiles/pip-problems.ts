import { posix } from "node:path";
import { satisfies, validRange } from "@renovatebot/pep440";
import type { WorkspaceHit } from "../checks/types.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { parsePipCompiled, parsePipSource, pipSources, type PipCompiled, type PipSource } from "./pip-compile.js";

const REQUIREMENTS_TXT = /(?:^|\/)requirements[^/]*\.txt$/i;

/** The pip-compiled requirements files of the workspace, parsed. */
function pipLockfiles(workspace: ParsedWorkspace): { file: ParsedFile; compiled: PipCompiled }[] {
  return workspace.files
    .filter((file) => file.role === "lockfile" && REQUIREMENTS_TXT.test(file.path))
    .map((file) => ({ file, compiled: parsePipCompiled(file.text) }));
}

/** A `.in` file the lockfile is compiled from, with the files it includes. */
interface ReadSource {
  /** Its workspace path. */
  path: string;
  source: PipSource;
}

/**
 * Stale pip-compiled lockfiles: a requirement of the `.in` file (or a file
 * it includes with `-r`) that the `.txt` does not pin, a pin outside its
 * requirement's specifier (PEP 440), or a pin there only for an `.in` file
 * that no longer requires it. Requirements with an environment marker,
 * editables, URLs and constraints (`-c`) are not judged. A lockfile whose
 * header names no pip-compile command, or whose `.in` files are not all in
 * the workspace, is not judged either. No fix: resolving needs the Python
 * index, so the message quotes the header's command.
 */
export function pipLockfileProblems(workspace: ParsedWorkspace): WorkspaceHit[] {
  const byPath = new Map(workspace.files.map((file) => [file.path, file]));
  const hits: WorkspaceHit[] = [];
  for (const { file, compiled } of pipLockfiles(workspace)) {
    const { command } = compiled;
    if (!command) continue;
    const folder = posix.dirname(file.path);
    const resolve = (from: string, written: string): string => posix.normalize(posix.join(from, written));
    const written = pipSources(command);
    // pip-compile run bare compiles requirements.in into requirements.txt.
    const sources = written.length > 0 ? written : [posix.basename(file.path).replace(/\.txt$/i, ".in")];
    if (!sources.every((source) => source.endsWith(".in"))) continue; // setup.py, pyproject.toml: not read
    const read = readSources(sources.map((source) => resolve(folder, source)), byPath);
    if (!read) continue;
    const fix = `run \`${command}\``;
    const pins = new Map(compiled.pins.map((pin) => [pin.key, pin]));
    const judged = new Set<string>();
    for (const { path, source } of read) {
      for (const requirement of source.requirements) {
        const pin = pins.get(requirement.key);
        if (!pin) {
          if (compiled.otherEntries.has(requirement.key)) continue;
          hits.push({ file: path, offset: requirement.offset, detail: `missing:${requirement.key}`, message: `${path} requires ${requirement.name}, which ${file.path} does not pin: ${fix}` });
          continue;
        }
        if (requirement.specifier === "" || !validRange(requirement.specifier) || judged.has(pin.key)) continue;
        if (!satisfies(pin.version, requirement.specifier)) {
          judged.add(pin.key);
          hits.push({ file: file.path, offset: pin.offset, detail: `outside:${pin.key}`, message: `${file.path} pins ${pin.name}==${pin.version}, outside ${requirement.name}${requirement.specifier} in ${path}: ${fix}` });
        }
      }
    }
    const readByPath = new Map(read.map(({ path, source }) => [path, source]));
    for (const pin of compiled.pins) {
      if (pin.via.length === 0) continue;
      // Only `-r file.in` reasons, each for a file that no longer names the package.
      const reasons = pin.via.map((via) => /^-r\s+(\S+)$/.exec(via)?.[1]);
      const files = reasons.map((reason) => (reason === undefined ? undefined : readByPath.get(resolve(folder, reason))));
      if (files.some((source) => source === undefined || source.mentioned.has(pin.key))) continue;
      const named = reasons.join(", ");
      hits.push({ file: file.path, offset: pin.offset, detail: `unrequired:${pin.key}`, message: `${file.path} pins ${pin.name}==${pin.version} only for ${named}, which no longer requires it: ${fix}` });
    }
  }
  return hits;
}

/** Reads the `.in` files and, depth first, what they include; undefined when one is not in the workspace. */
function readSources(paths: readonly string[], byPath: ReadonlyMap<string, ParsedFile>): ReadSource[] | undefined {
  const read: ReadSource[] = [];
  const seen = new Set<string>();
  const visit = (path: string): boolean => {
    if (seen.has(path)) return true;
    seen.add(path);
    const file = byPath.get(path);
    if (!file || file.role === "other" || file.problems.length > 0) return false;
    const source = parsePipSource(file.text);
    read.push({ path, source });
    return source.includes.every((include) => visit(posix.normalize(posix.join(posix.dirname(path), include))));
  };
  return paths.every(visit) ? read : undefined;
}

/**
 * Pins without `--hash` in a pip-compiled lockfile whose other pins carry
 * hashes: pip's hash-checking mode refuses the whole file. The message quotes
 * the header's command, with `--generate-hashes`.
 */
export function pipHashProblems(workspace: ParsedWorkspace): WorkspaceHit[] {
  return pipLockfiles(workspace).flatMap(({ file, compiled }) => {
    const { pins } = compiled;
    if (!pins.some((pin) => pin.hasHash)) return [];
    const base = compiled.command ?? "pip-compile";
    const command = /\s--generate-hashes\b/.test(base) ? base : base.replace(/^pip-compile\b/, "pip-compile --generate-hashes");
    return pins
      .filter((pin) => !pin.hasHash)
      .map((pin) => ({
        file: file.path,
        offset: pin.offset,
        detail: pin.key,
        message: `${file.path} pins ${pin.name}==${pin.version} without --hash while other pins carry hashes, so pip refuses to install it: run \`${command}\``,
      }));
  });
}
