/** Where a base's image is pinned: the kustomization listing the manifest, and what its images entries already say. */
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { lookupKey, type DigestTable } from "../../src/pins/lookup.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { rescanWritten } from "../checklist/scan-and-fix.js";

const D_WEB = `sha256:${"a".repeat(64)}`;
const D_WORKER = `sha256:${"b".repeat(64)}`;
/** Digests as the look-up step would have found them. */
const DIGESTS: DigestTable = new Map([
  [lookupKey({ registry: "ghcr.io", repository: "acme/web", tag: "1.4" }), { ok: true, digest: D_WEB }],
  [lookupKey({ registry: "ghcr.io", repository: "acme/worker", tag: "2.0" }), { ok: true, digest: D_WORKER }],
  [lookupKey({ registry: "ghcr.io", repository: "acme/worker", tag: "2.1" }), { ok: true, digest: D_WORKER }],
]);

const deployment = (name: string, image: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
${extra}`;

function run(files: Record<string, string>, ruleIds: string[]) {
  const rules = activeRules(loadRules(), {}, ruleIds);
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: DEFAULT_FIX_SETTINGS });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS, digests: DIGESTS });
  const rescan = () => rescanWritten(files, changeset, rules, { digests: DIGESTS });
  return { findings: scanned.findings, changeset, after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])), rescan };
}

const IMAGE_RULES = ["image-digest-missing", "image-tag-mutable"];

describe("pins of images in manifests a kustomization lists", () => {
  it("reports the images entry, not the manifest, when the entry sets the tag; and pins the entry", () => {
    const { findings, after } = run(
      {
        "base/kustomization.yaml": "resources:\n  - web.yaml\nimages:\n  - name: ghcr.io/acme/web\n    newTag: '1.4'\n",
        "base/web.yaml": deployment("web", "ghcr.io/acme/web:1.0"),
      },
      IMAGE_RULES,
    );
    expect(findings.map((finding) => [finding.file, finding.line, finding.message])).toEqual([
      ["base/kustomization.yaml", 5, 'Kustomize images entry for "ghcr.io/acme/web": image "ghcr.io/acme/web:1.4" is not pinned by digest'],
    ]);
    expect(after).toEqual({ "base/kustomization.yaml": `resources:\n  - web.yaml\nimages:\n  - name: ghcr.io/acme/web\n    newTag: '1.4'\n    digest: ${D_WEB}\n` });
  });

  it("creates images: when the kustomization has none, and keeps the manifest's image finding out of what remains after other fixes in it", () => {
    const { after, changeset, rescan } = run(
      {
        "base/kustomization.yaml": "resources:\n- web.yaml\n",
        "base/web.yaml": deployment("web", "ghcr.io/acme/web:1.4"),
      },
      [...IMAGE_RULES, "privilege-escalation-allowed"],
    );
    expect(after).toEqual({
      "base/kustomization.yaml": `resources:\n- web.yaml\nimages:\n- name: ghcr.io/acme/web\n  newTag: "1.4"\n  digest: ${D_WEB}\n`,
      "base/web.yaml": `${deployment("web", "ghcr.io/acme/web:1.4")}          securityContext:\n            allowPrivilegeEscalation: false\n`,
    });
    expect(changeset.applied.map((fix) => [fix.rule, fix.file, fix.finding.file])).toEqual([
      ["image-digest-missing", "base/kustomization.yaml", "base/web.yaml"],
      ["privilege-escalation-allowed", "base/web.yaml", "base/web.yaml"],
    ]);
    // A new scan of the written files finds nothing: the manifest's image is pinned by the kustomization that lists it.
    expect(rescan()).toEqual([]);
    expect(changeset.skipped).toEqual([]);
  });

  it("leaves a renamed image to its images entry, and says so", () => {
    const { findings, changeset } = run(
      {
        "base/kustomization.yaml": "resources:\n  - web.yaml\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n",
        "base/web.yaml": deployment("web", "web:1.4"),
      },
      IMAGE_RULES,
    );
    expect(findings.map((finding) => [finding.file, finding.fixable, finding.notFixableReason])).toEqual([
      ["base/web.yaml", false, "base/kustomization.yaml deploys this image as ghcr.io/acme/web; pin it in that images entry (newTag and digest)"],
    ]);
    expect(changeset.files).toEqual([]);
  });

  it("pins the first of two tags of one image, and says why the second cannot share the entry", () => {
    const { after, changeset } = run(
      {
        "base/kustomization.yaml": "resources:\n  - a.yaml\n  - b.yaml\n",
        "base/a.yaml": deployment("a", "ghcr.io/acme/worker:2.0"),
        "base/b.yaml": deployment("b", "ghcr.io/acme/worker:2.1"),
      },
      IMAGE_RULES,
    );
    expect(after).toEqual({ "base/kustomization.yaml": `resources:\n  - a.yaml\n  - b.yaml\nimages:\n  - name: ghcr.io/acme/worker\n    newTag: "2.0"\n    digest: ${D_WORKER}\n` });
    expect(changeset.skipped.map((skipped) => [skipped.file, skipped.reason])).toEqual([
      ["base/b.yaml", `base/kustomization.yaml already sets ghcr.io/acme/worker to ghcr.io/acme/worker:2.0@${D_WORKER}, not the :2.1 this manifest names`],
    ]);
  });

  it("pins in place a manifest no kustomization lists, and one listed only through a folder", () => {
    const { after } = run(
      {
        "overlay/kustomization.yaml": "resources:\n  - ../base\n",
        "base/web.yaml": deployment("web", "ghcr.io/acme/web:1.4"),
      },
      IMAGE_RULES,
    );
    expect(after).toEqual({ "base/web.yaml": deployment("web", `ghcr.io/acme/web:1.4@${D_WEB}`) });
  });
});
