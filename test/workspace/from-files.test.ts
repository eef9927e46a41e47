import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTarball } from "../../src/github/tarball.js";
import { loadWorkspace, loadWorkspaceFromFiles, type LoadOptions } from "../../src/workspace/load.js";
import type { FileRole } from "../../src/workspace/roles.js";

const MAX_FILE_BYTES = 1024;
const OPTIONS: LoadOptions = { maxFileBytes: MAX_FILE_BYTES, ignorePaths: ["vendor/**", "**/*.generated.yaml"] };

/** A repository that exercises every rule of loading: roles, charts, ignores at every level, limits, binary data, skipped folders. */
const TREE: Record<string, string | Buffer> = {
  ".gitignore": "*.log\nsecrets/\n*.tmp.yaml\n/rendered.yaml\n",
  "README.md": "# gitops\n",
  "Dockerfile": "FROM nginx:1.27\n",
  "requirements.txt": "flask\n",
  ".github/workflows/ci.yaml": "on: push\n",
  "apps/web/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
  "apps/web/debug.log": "noise\n",
  "apps/web/app.generated.yaml": "kind: ConfigMap\n",
  "apps/web/rendered.yaml": "kept: only the root one is anchored\n",
  "rendered.yaml": "dropped: anchored to the root\n",
  "charts/app/Chart.yaml": "apiVersion: v2\nname: app\n",
  "charts/app/Chart.lock": "dependencies: []\n",
  "charts/app/values.yaml": "image:\n  tag: latest\n",
  "charts/app/values-prod.yaml": "replicas: 3\n",
  "charts/app/templates/deployment.yaml": "{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n",
  "charts/app/templates/_helpers.tpl": '{{- define "app.name" -}}app{{- end }}\n',
  "charts/app/charts/sub/Chart.yaml": "name: sub\n",
  "charts/app/charts/sub/values.yaml": "a: 1\n",
  "overlays/prod/kustomization.yaml": "resources:\n  - ../../apps/web\n",
  "overlays/prod/.gitignore": "!keep.tmp.yaml\n*.patch.yaml\n",
  "overlays/prod/keep.tmp.yaml": "re-included: true\n",
  "overlays/prod/drop.tmp.yaml": "dropped: true\n",
  "overlays/prod/replicas.patch.yaml": "dropped: true\n",
  "overlays/staging/keep.tmp.yaml": "dropped: no re-include here\n",
  "secrets/db.yaml": "password: hunter2\n",
  "vendor/lib/crd.yaml": "kind: CustomResourceDefinition\n",
  "big.yaml": `a: "${"x".repeat(MAX_FILE_BYTES)}"\n`,
  "fits.yaml": "x".repeat(MAX_FILE_BYTES),
  "blob.yaml": Buffer.from([0x61, 0x3a, 0x00, 0x31, 0x0a]),
  "certs/tls.crt": "-----BEGIN CERTIFICATE-----\n",
  "node_modules/pkg/index.yaml": "a: 1\n",
  "web/node_modules/pkg/x.yaml": "a: 1\n",
  "docs/node_modules": "a file, not a folder, so it is kept\n",
  ".git/HEAD": "ref: refs/heads/main\n",
  ".git/config.yaml": "a: 1\n",
};

const inMemory = (tree: Record<string, string | Buffer>) => Object.entries(tree).map(([path, content]) => ({ path, bytes: Buffer.from(content) }));

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "shipshape-from-files-"));
  for (const [path, content] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("loadWorkspaceFromFiles", () => {
  it("gives exactly what loadWorkspace gives for the same tree on disk", () => {
    expect(loadWorkspaceFromFiles(inMemory(TREE), OPTIONS)).toStrictEqual(loadWorkspace(root, OPTIONS));
  });

  it("classifies and leaves out the files of the tree as loading promises", () => {
    const TOO_BIG = "file is 1.0 KiB, over the 1.0 KiB limit (limits.maxFileBytes); it was not scanned";
    const BINARY = "file holds binary data (a NUL byte), not text; it was not scanned";
    const expected: [string, FileRole, "text" | "not read" | string][] = [
      [".github/workflows/ci.yaml", "workflow", "text"],
      [".gitignore", "other", "not read"],
      ["Dockerfile", "dockerfile", "text"],
      ["README.md", "other", "not read"],
      ["apps/web/deployment.yaml", "yaml", "text"],
      ["apps/web/rendered.yaml", "yaml", "text"],
      ["big.yaml", "yaml", TOO_BIG],
      ["blob.yaml", "yaml", BINARY],
      ["certs/tls.crt", "pem", "text"],
      ["charts/app/Chart.lock", "helm-lock", "text"],
      ["charts/app/Chart.yaml", "helm-chart", "text"],
      ["charts/app/charts/sub/Chart.yaml", "helm-chart", "text"],
      ["charts/app/charts/sub/values.yaml", "helm-values", "text"],
      ["charts/app/templates/_helpers.tpl", "helm-template", "text"],
      ["charts/app/templates/deployment.yaml", "helm-template", "text"],
      ["charts/app/values-prod.yaml", "helm-values", "text"],
      ["charts/app/values.yaml", "helm-values", "text"],
      ["docs/node_modules", "other", "not read"],
      ["fits.yaml", "yaml", "text"],
      ["overlays/prod/.gitignore", "other", "not read"],
      ["overlays/prod/keep.tmp.yaml", "yaml", "text"],
      ["overlays/prod/kustomization.yaml", "kustomization", "text"],
      // Read as a lockfile candidate, then "other" because pip-compile did not write it.
      ["requirements.txt", "other", "text"],
    ];
    expect(loadWorkspaceFromFiles(inMemory(TREE), OPTIONS)).toStrictEqual(
      expected.map(([path, role, outcome]) => {
        const bytes = Buffer.from(TREE[path] as string | Buffer);
        if (outcome === "not read") return { path, role, size: 0 };
        if (outcome === "text") return { path, role, size: bytes.length, text: bytes.toString("utf8") };
        return { path, role, size: bytes.length, unreadable: outcome };
      }),
    );
  });

  it("does not depend on the order of the files it is given", () => {
    expect(loadWorkspaceFromFiles(inMemory(TREE).reverse(), OPTIONS)).toStrictEqual(loadWorkspaceFromFiles(inMemory(TREE), OPTIONS));
  });

  it("loads a repository tarball exactly as its checkout", async () => {
    const archive = pack();
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      archive.on("data", (chunk) => chunks.push(chunk as Buffer));
      archive.on("end", () => resolve());
    });
    for (const [path, content] of Object.entries(TREE)) archive.entry({ name: `acme-gitops-0123abc/${path}` }, Buffer.from(content));
    archive.finalize();
    await done;
    const tarball = await readTarball(gzipSync(Buffer.concat(chunks)));
    expect(tarball.files).toHaveLength(Object.keys(TREE).length);
    expect(loadWorkspaceFromFiles(tarball.files, OPTIONS)).toStrictEqual(loadWorkspace(root, OPTIONS));
  });

  it.each(["../escape.yaml", "/etc/passwd", "a//b.yaml", "./a.yaml", ""])("refuses the path %j, which is not inside the workspace", (path) => {
    expect(() => loadWorkspaceFromFiles([{ path, bytes: Buffer.from("a: 1\n") }], OPTIONS)).toThrow(
      `"${path}" is not a relative path inside the workspace (use "/" between folder names, no "." or ".." segments)`,
    );
  });
});
