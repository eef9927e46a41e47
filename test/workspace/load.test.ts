import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatBytes, loadWorkspace, type LoadOptions, type WorkspaceFile } from "../../src/workspace/load.js";

let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "shipshape-load-"));
  outside = mkdtempSync(join(tmpdir(), "shipshape-outside-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function write(path: string, content: string | Buffer = "a: 1\n"): void {
  const absolute = join(root, path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
}

function load(options: Partial<LoadOptions> = {}): WorkspaceFile[] {
  return loadWorkspace(root, { maxFileBytes: 1024 * 1024, ignorePaths: [], ...options });
}

const paths = (options: Partial<LoadOptions> = {}): string[] => load(options).map((file) => file.path);
const roles = (): Record<string, string> => Object.fromEntries(load().map((file) => [file.path, file.role]));

describe("loadWorkspace walking", () => {
  it("skips .git and node_modules folders at any depth", () => {
    write(".git/config.yaml");
    write("node_modules/pkg/x.yaml");
    write("web/node_modules/pkg/y.yaml");
    write("deploy/app.yaml");
    expect(paths()).toEqual(["deploy/app.yaml"]);
  });

  it("returns paths relative to the root with `/`, sorted by code unit", () => {
    for (const path of ["b.yaml", "a/z.yaml", "a.yaml", "B.yaml", "a/b/c.yaml", "a-b.yaml"]) write(path);
    expect(paths()).toEqual(["B.yaml", "a-b.yaml", "a.yaml", "a/b/c.yaml", "a/z.yaml", "b.yaml"]);
  });

  it("reads text and size of read roles, and neither for other files", () => {
    write("app.yaml", "kind: Pod\n");
    write("README.md", "# hello\n");
    expect(load()).toEqual([
      { path: "README.md", role: "other", size: 0 },
      { path: "app.yaml", role: "yaml", size: 10, text: "kind: Pod\n" },
    ]);
  });

  it("does not follow symlinks to files or folders", () => {
    write("real/app.yaml");
    writeFileSync(join(outside, "secret.yaml"), "a: 1\n");
    symlinkSync(join(root, "real"), join(root, "linked-dir"));
    symlinkSync(outside, join(root, "outside-dir"));
    symlinkSync(join(root, "real/app.yaml"), join(root, "linked.yaml"));
    expect(paths()).toEqual(["real/app.yaml"]);
  });

  it("returns nothing for a root that does not exist", () => {
    expect(loadWorkspace(join(root, "missing"), { maxFileBytes: 100, ignorePaths: [] })).toEqual([]);
  });
});

describe("loadWorkspace ignores", () => {
  it("honours the root .gitignore at any depth, with directory patterns", () => {
    write(".gitignore", "*.secret.yaml\ntmp/\n");
    write("a.secret.yaml");
    write("deep/b.secret.yaml");
    write("tmp/x.yaml");
    write("deep/tmp/y.yaml");
    write("deep/keep.yaml");
    expect(paths()).toEqual([".gitignore", "deep/keep.yaml"]);
  });

  it("reads a nested .gitignore relative to its own folder", () => {
    write("sub/.gitignore", "build/\n/local.yaml\n");
    write("sub/build/a.yaml");
    write("sub/x/build", "a file named build\n");
    write("sub/local.yaml");
    write("sub/x/local.yaml");
    write("build/root.yaml");
    write("local.yaml");
    expect(paths()).toEqual(["build/root.yaml", "local.yaml", "sub/.gitignore", "sub/x/build", "sub/x/local.yaml"]);
  });

  it("does not apply a nested .gitignore to sibling folders", () => {
    write("one/.gitignore", "*.yaml\n");
    write("one/a.yaml");
    write("two/a.yaml");
    expect(paths()).toEqual(["one/.gitignore", "two/a.yaml"]);
  });

  it("applies negations within one .gitignore", () => {
    write(".gitignore", "*.yaml\n!keep.yaml\n");
    write("drop.yaml");
    write("keep.yaml");
    expect(paths()).toEqual([".gitignore", "keep.yaml"]);
  });

  // Bug: git lets a deeper .gitignore re-include what a parent .gitignore excluded
  // (`git status` shows sub/keep.yaml here); loadWorkspace drops a file as soon as any scope ignores it.
  it("lets a nested .gitignore re-include a file the root .gitignore excludes, as git does", () => {
    write(".gitignore", "*.yaml\n");
    write("sub/.gitignore", "!keep.yaml\n");
    write("sub/keep.yaml");
    write("sub/drop.yaml");
    expect(paths()).toEqual([".gitignore", "sub/.gitignore", "sub/keep.yaml"]);
  });

  it("honours ignorePaths globs relative to the root, dot folders included", () => {
    write("vendor/lib/a.yaml");
    write("deploy/app.generated.yaml");
    write("deploy/app.yaml");
    write(".hidden/x.generated.yaml");
    expect(paths({ ignorePaths: ["vendor/**", "**/*.generated.yaml"] })).toEqual(["deploy/app.yaml"]);
  });
});

describe("loadWorkspace limits and binary files", () => {
  it("does not read a file over maxFileBytes and names the limit", () => {
    write("big.yaml", "x".repeat(2048));
    write("fits.yaml", "x".repeat(1024));
    expect(load({ maxFileBytes: 1024 })).toEqual([
      { path: "big.yaml", role: "yaml", size: 2048, unreadable: "file is 2.0 KiB, over the 1.0 KiB limit (limits.maxFileBytes); it was not scanned" },
      { path: "fits.yaml", role: "yaml", size: 1024, text: "x".repeat(1024) },
    ]);
  });

  it("marks a .yaml file with a NUL byte as binary", () => {
    write("blob.yaml", Buffer.from([0x61, 0x3a, 0x00, 0x31]));
    expect(load()).toEqual([{ path: "blob.yaml", role: "yaml", size: 4, unreadable: "file holds binary data (a NUL byte), not text; it was not scanned" }]);
  });

  it("keeps the bytes of a binary certificate or key file (DER) for the certificate rules, NUL byte or not", () => {
    write("certs/root.der", Buffer.from([0x30, 0x82, 0x00, 0x01]));
    write("certs/leaf.crt", Buffer.from([0x30, 0x82, 0x01, 0x02]));
    write("certs/ca.pem", "0\u00e9 is text\n");
    expect(load()).toEqual([
      { path: "certs/ca.pem", role: "pem", size: 12, text: "0\u00e9 is text\n" },
      { path: "certs/leaf.crt", role: "pem", size: 4, binary: Buffer.from([0x30, 0x82, 0x01, 0x02]) },
      { path: "certs/root.der", role: "pem", size: 4, binary: Buffer.from([0x30, 0x82, 0x00, 0x01]) },
    ]);
  });

  it("only sniffs the first 8000 bytes for NUL", () => {
    write("late.yaml", Buffer.concat([Buffer.alloc(8000, 0x61), Buffer.from([0])]));
    const [file] = load();
    expect(file?.unreadable).toBeUndefined();
    expect(file?.text?.length).toBe(8001);
  });

  it("keeps a hand-written requirements file as other, with its text", () => {
    write("requirements.txt", "flask\n");
    write("py/requirements.txt", "# autogenerated by pip-compile\nflask==3.0.0\n");
    expect(load().map((file) => [file.path, file.role, file.text])).toEqual([
      ["py/requirements.txt", "lockfile", "# autogenerated by pip-compile\nflask==3.0.0\n"],
      ["requirements.txt", "other", "flask\n"],
    ]);
  });
});

describe("loadWorkspace Helm chart detection", () => {
  it("gives chart files their roles at any depth, nested charts included", () => {
    write("charts/app/Chart.yaml", "name: app\n");
    write("charts/app/Chart.lock");
    write("charts/app/values.yaml");
    write("charts/app/values-prod.yaml");
    write("charts/app/templates/deployment.yaml", "{{- if .Values.enabled }}\nkind: Deployment\n");
    write("charts/app/templates/_helpers.tpl", '{{- define "app.name" -}}\n');
    write("charts/app/charts/sub/Chart.yaml", "name: sub\n");
    write("charts/app/charts/sub/templates/x.yaml");
    write("charts/app/charts/sub/values.yaml");
    write("templates/not-a-chart.yaml");
    write("values.yaml");
    expect(roles()).toEqual({
      "charts/app/Chart.lock": "helm-lock",
      "charts/app/Chart.yaml": "helm-chart",
      "charts/app/charts/sub/Chart.yaml": "helm-chart",
      "charts/app/charts/sub/templates/x.yaml": "helm-template",
      "charts/app/charts/sub/values.yaml": "helm-values",
      "charts/app/templates/_helpers.tpl": "helm-template",
      "charts/app/templates/deployment.yaml": "helm-template",
      "charts/app/values-prod.yaml": "helm-values",
      "charts/app/values.yaml": "helm-values",
      "templates/not-a-chart.yaml": "yaml",
      "values.yaml": "yaml",
    });
  });

  it("reads a template's text even though it is not YAML", () => {
    write("Chart.yaml", "name: root\n");
    write("templates/svc.yaml", "{{ if .Values.x }}\n  a: [\n");
    const template = load().find((file) => file.path === "templates/svc.yaml");
    expect(template).toEqual({ path: "templates/svc.yaml", role: "helm-template", size: 26, text: "{{ if .Values.x }}\n  a: [\n" });
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [10 * 1024, "10.0 KiB"],
    [1024 * 1024, "1.0 MiB"],
    [5 * 1024 * 1024 + 512 * 1024, "5.5 MiB"],
  ])("formats %d bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
