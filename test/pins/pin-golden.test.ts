/**
 * Pins at every place an image is written, against a real registry: Debian's `docker-registry` on a loopback
 * port, with images pushed over HTTP. Each fixed file is compared byte for byte with test/fixtures/pins/pinned,
 * whose digests are the ones the registry reports for the images pushed here.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, fixSettingsOf } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { runLookupStep } from "../../src/pins/look-up-step.js";
import { loadRules } from "../../src/rules/load.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { dockerImage, ociIndex, pushImage, REGISTRY_MISSING, registryBinary, startLocalRegistry, type LocalRegistry } from "../registry/local-registry.js";
import { rescanWritten } from "../checklist/scan-and-fix.js";
import { copyFilled, fill, PINS_FIXTURES, readTree, recordingRegistry, REGISTRY_PLACEHOLDER } from "./helpers.js";

const skip = registryBinary === undefined && process.env["CI"] !== "true";
if (skip) console.warn(`Skipping the pin tests against a real registry: ${REGISTRY_MISSING} (with CI=true they fail instead).`);

/** SHIPSHAPE_UPDATE_GOLDENS=1 rewrites test/fixtures/pins/pinned from this run; review the diff before committing. */
const UPDATE = process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1";

const rules = activeRules(loadRules(), {}, ["image-tag-mutable", "image-digest-missing"]);

export const PUSHED = [
  { placeholder: "DIGEST_WEB", repository: "acme/web", tag: "1.4", build: () => ociIndex("acme/web 1.4") },
  { placeholder: "DIGEST_WORKER", repository: "acme/worker", tag: "2.0", build: () => dockerImage("acme/worker 2.0") },
  { placeholder: "DIGEST_TOOL", repository: "acme/tool", tag: "latest", build: () => dockerImage("acme/tool latest") },
  { placeholder: "DIGEST_BASE", repository: "acme/base", tag: "20", build: () => ociIndex("acme/base 20") },
];

describe.skipIf(skip)("pinning every kind of image reference, with digests from a real registry", () => {
  let registry: LocalRegistry | undefined;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startLocalRegistry();
    values[REGISTRY_PLACEHOLDER] = registry.host;
    for (const image of PUSHED) values[image.placeholder] = await pushImage(registry.host, image.repository, image.tag, await image.build());
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it("writes exactly the pinned files, looking each tag up once", async () => {
    const { dir, cleanup } = copyFilled(join(PINS_FIXTURES, "repo"), values);
    try {
      const { make: client, requests } = recordingRegistry();
      const scanned = scanDirectory({ root: dir, rules });
      const step = await runLookupStep(scanned, { rules, client, fixing: true });
      const changeset = fixFindings(step.scanned.workspace, step.scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS, digests: step.digests });

      expect(requests.sort()).toEqual([
        "HEAD /v2/acme/base/manifests/20",
        "HEAD /v2/acme/tool/manifests/latest",
        "HEAD /v2/acme/web/manifests/1.4",
        "HEAD /v2/acme/worker/manifests/2.0",
      ]);
      const reverse = Object.fromEntries(Object.entries(values).map(([placeholder, value]) => [value, placeholder]));
      const fixed = Object.fromEntries(changeset.files.map((file) => [file.path, fill(file.after, reverse)]));
      const original = readTree(join(PINS_FIXTURES, "repo"));
      if (UPDATE) {
        for (const [path, text] of Object.entries({ ...original, ...fixed })) {
          const target = join(PINS_FIXTURES, "pinned", path);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, text);
        }
      }
      const golden = readTree(join(PINS_FIXTURES, "pinned"));
      expect({ ...original, ...fixed }).toEqual(golden);
      expect(changeset.skipped.map((skipped) => `${skipped.file}:${skipped.finding.line}: ${skipped.reason}`)).toEqual([]);
      const rescanned = rescanWritten(readTree(dir), changeset, rules, { digests: step.digests });
      expect(rescanned.map((finding) => `${finding.file}:${finding.line} ${finding.rule}`)).toEqual([]);
      // Both manifests that name acme/web:1.4 are pinned by the one entry the first pin wrote.
      expect(changeset.applied.filter((fix) => fix.file === "deploy/base/kustomization.yaml").map((fix) => [fix.finding.file, fix.explanation])).toEqual([
        ["deploy/base/cron.yaml", `Pins ${values[REGISTRY_PLACEHOLDER]}/acme/web:1.4 to ${values["DIGEST_WEB"]}, the digest :1.4 points to now, with an images entry in deploy/base/kustomization.yaml, which lists the manifest that names it.`],
        ["deploy/base/worker.yaml", `Pins ${values[REGISTRY_PLACEHOLDER]}/acme/worker:2.0 to ${values["DIGEST_WORKER"]}, the digest :2.0 points to now, with an images entry in deploy/base/kustomization.yaml, which lists the manifest that names it.`],
      ]);
    } finally {
      cleanup();
    }
  });

  it("with fixes.images.pinIn: manifest, pins a base's images in its manifests and leaves its kustomization alone", async () => {
    const { dir, cleanup } = copyFilled(join(PINS_FIXTURES, "repo"), values);
    try {
      const settings = fixSettingsOf({ fixes: { images: { pinIn: "manifest" } } });
      const scanned = scanDirectory({ root: dir, rules, fixSettings: settings });
      const client = recordingRegistry().make;
      const step = await runLookupStep(scanned, { rules, fixSettings: settings, client, fixing: true });
      const changeset = fixFindings(step.scanned.workspace, step.scanned.findings, { rules, settings, limits: DEFAULT_LIMITS, digests: step.digests });
      const reverse = Object.fromEntries(Object.entries(values).map(([placeholder, value]) => [value, placeholder]));
      const base = Object.fromEntries(changeset.files.filter((file) => file.path.startsWith("deploy/base/")).map((file) => [file.path, fill(file.after, reverse)]));
      const original = readTree(join(PINS_FIXTURES, "repo"));
      const pinnedInPlace = (path: string, image: string, digest: string) => (original[path] as string).replace(`image: ${image}\n`, `image: ${image}@${digest}\n`);
      expect(base).toEqual({
        "deploy/base/cron.yaml": pinnedInPlace("deploy/base/cron.yaml", "registry.test/acme/web:1.4", "DIGEST_WEB"),
        "deploy/base/deployment.yaml": pinnedInPlace("deploy/base/deployment.yaml", "registry.test/acme/web:1.4", "DIGEST_WEB"),
        "deploy/base/worker.yaml": pinnedInPlace("deploy/base/worker.yaml", "registry.test/acme/worker:2.0", "DIGEST_WORKER"),
      });
      expect(changeset.skipped).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
