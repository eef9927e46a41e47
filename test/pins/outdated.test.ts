/**
 * image-digest-outdated and the look-up step against a real registry (docker-registry on loopback), and what
 * the step does offline. A tag is pushed twice, so pins of its first build are behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS } from "../../src/config/types.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { runLookupStep } from "../../src/pins/look-up-step.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { dockerImage, pushImage, REGISTRY_MISSING, registryBinary, startLocalRegistry, type LocalRegistry } from "../registry/local-registry.js";
import { rescanWritten } from "../checklist/scan-and-fix.js";
import { recordingRegistry } from "./helpers.js";

const skip = registryBinary === undefined && process.env["CI"] !== "true";
if (skip) console.warn(`Skipping the digest update tests against a real registry: ${REGISTRY_MISSING} (with CI=true they fail instead).`);

const catalog = loadRules();

describe.skipIf(skip)("image-digest-outdated: pins behind their tag", () => {
  let registry: LocalRegistry | undefined;
  let host = "";
  let first = "";
  let second = "";

  beforeAll(async () => {
    registry = await startLocalRegistry();
    host = registry.host;
    first = await pushImage(host, "acme/app", "stable", await dockerImage("acme/app stable, first build"));
    second = await pushImage(host, "acme/app", "stable", await dockerImage("acme/app stable, second build"));
  });

  afterAll(async () => {
    await registry?.stop();
  });

  const repo = () => ({
    "apps/app.yaml": `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: ${host}/acme/app:stable@${first}\n    - name: current\n      image: ${host}/acme/app:stable@${second}\n`,
    "build/Dockerfile": `FROM ${host}/acme/app:stable@${first}\nRUN true\n`,
  });

  /** Only the image rules run (the pods here have no probes or resources, on purpose). */
  function scan(files: Record<string, string>, config: Parameters<typeof activeRules>[1]) {
    const imageRules = catalog.filter((rule) => rule.id.startsWith("image-") && (rule.enabled !== false || config.rules?.[rule.id] !== undefined));
    const rules = activeRules(catalog, config, imageRules.map((rule) => rule.id));
    const workspace = loadWorkspaceFromFiles(
      Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
      { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
    );
    return { rules, scanned: scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings: DEFAULT_FIX_SETTINGS }) };
  }

  const client = (offline = false) => recordingRegistry({ offline });

  it("is off by default, and then the registry is never asked", async () => {
    const { rules, scanned } = scan(repo(), {});
    expect(scanned.lookups).toEqual([]);
    const { make, requests } = client();
    const step = await runLookupStep(scanned, { rules, client: make, fixing: false });
    expect([step.scanned.findings, requests, step.stats]).toEqual([[], [], undefined]);
  });

  it("reports each pin whose tag now names other content, once the look-up step has asked, and the fix moves the pin", async () => {
    const { rules, scanned } = scan(repo(), { rules: { "image-digest-outdated": "medium" } });
    expect(scanned.findings).toEqual([]);
    expect(scanned.lookups).toEqual([{ registry: host, repository: "acme/app", tag: "stable" }]);
    const { make, requests } = client();
    const step = await runLookupStep(scanned, { rules, client: make, fixing: true });
    expect(requests).toEqual(["HEAD /v2/acme/app/manifests/stable"]);
    const short = (digest: string) => digest.slice(0, "sha256:".length + 12);
    expect(step.scanned.findings.map((finding) => [finding.file, finding.line, finding.rule, finding.severity, finding.message, finding.fixable])).toEqual([
      ["apps/app.yaml", 8, "image-digest-outdated", "medium", `container "app" image "${host}/acme/app:stable@${first}" is pinned to ${short(first)}, but :stable now points to ${short(second)}`, true],
      ["build/Dockerfile", 1, "image-digest-outdated", "medium", `base image "${host}/acme/app:stable@${first}" is pinned to ${short(first)}, but :stable now points to ${short(second)}`, true],
    ]);

    const changeset = fixFindings(step.scanned.workspace, step.scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS, digests: step.digests });
    const files = repo();
    expect(Object.fromEntries(changeset.files.map((file) => [file.path, file.after]))).toEqual({
      "apps/app.yaml": files["apps/app.yaml"].replace(`stable@${first}`, `stable@${second}`),
      "build/Dockerfile": `FROM ${host}/acme/app:stable@${second}\nRUN true\n`,
    });
    expect(changeset.applied.map((fix) => [fix.file, fix.explanation, fix.risk])).toEqual([
      [
        "apps/app.yaml",
        `Moves the pin of container "app" image "${host}/acme/app:stable@${first}" to ${second}, the digest :stable points to now.`,
        "Pods will run the image the tag points to now, which is not the one they run today. Review what changed in the image before merging.",
      ],
      [
        "build/Dockerfile",
        `Moves the pin of base image "${host}/acme/app:stable@${first}" to ${second}, the digest :stable points to now.`,
        "Pods will run the image the tag points to now, which is not the one they run today. Review what changed in the image before merging.",
      ],
    ]);
    // Judged against the digests looked up, a new scan of the written files finds no pin behind its tag.
    expect(rescanWritten(files, changeset, rules, { digests: step.digests })).toEqual([]);
  });

  it("offline, says it could not check, pins nothing, and never touches the network", async () => {
    const files = { ...repo(), "apps/new.yaml": `apiVersion: v1\nkind: Pod\nmetadata:\n  name: new\nspec:\n  containers:\n    - name: new\n      image: ${host}/acme/app:stable\n` };
    const { rules, scanned } = scan(files, { rules: { "image-digest-outdated": "medium" } });
    const { make, requests } = client(true);
    const step = await runLookupStep(scanned, { rules, client: make, fixing: true });
    const offline = `${host}/acme/app:stable: looking up the digest needs the network, and Shipshape is offline`;
    expect(step.problems).toEqual([`could not check whether a pinned digest is current: ${offline}`]);
    expect(step.scanned.findings.map((finding) => [finding.file, finding.rule])).toEqual([["apps/new.yaml", "image-digest-missing"]]);
    const changeset = fixFindings(step.scanned.workspace, step.scanned.findings, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS, digests: step.digests });
    expect([changeset.files, changeset.applied]).toEqual([[], []]);
    expect(changeset.skipped.map((skipped) => [skipped.file, skipped.reason])).toEqual([["apps/new.yaml", offline]]);
    expect(requests).toEqual([]);
    expect(step.stats).toEqual({ requestsByRegistry: {}, requests: 0, lookups: 0, cacheHits: 0 });
  });
});
