import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, type ConfigFile } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { certificateDurationFix } from "../../src/fixes/certificate-duration.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { ingressTlsFix } from "../../src/fixes/ingress-tls.js";
import type { FixPlanResult, ResourceFix } from "../../src/fixes/types.js";
import { resourcesOf, type Resource } from "../../src/model/resource.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { composeYaml } from "../../src/yaml/compose.js";

/**
 * Byte-exact golden tests for the Ingress TLS and cert-manager fixes, run
 * through the fix engine: scan, plan, edit, verify (re-parse, re-scan, the
 * data must be the original plus the change). Each case is a folder of
 * test/fixtures/certs-fixes/ with input.yaml and, when the fix applies,
 * expected.yaml. SHIPSHAPE_UPDATE_GOLDEN=1 rewrites the expected files.
 */

const FIXTURES = fileURLToPath(new URL("../fixtures/certs-fixes/", import.meta.url));
const CATALOG = loadRules();

const ISSUER: ConfigFile = { certificates: { issuer: { name: "letsencrypt-prod" } } };

interface FixRun {
  changeset: Changeset;
  /** The file's text after the fixes (the input when nothing changed). */
  after: string;
}

/** Scans one file held in memory with the given rules, and fixes what was found, as `shipshape scan --fix` does. */
function fixText(path: string, text: string, config: ConfigFile, ruleIds: readonly string[]): FixRun {
  const rules = activeRules(CATALOG, config, ruleIds);
  const settings = fixSettingsOf(config);
  const files = loadWorkspaceFromFiles([{ path, bytes: Buffer.from(text) }], { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] });
  const scanned = scanFiles(files, { rules, fixSettings: settings });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS });
  return { changeset, after: changeset.files.find((file) => file.path === path)?.after ?? text };
}

interface GoldenCase {
  name: string;
  what: string;
  config: ConfigFile;
  rules: string[];
  /** What the applied fixes say, and whether their pull request opens as a draft. */
  applied: [rule: string, explanation: string, risky: boolean][];
  /** Why a finding was left, when one is. */
  skipped?: [rule: string, reason: string][];
}

const INGRESS = ["ingress-tls-missing"];
const RENEWAL = ["certificate-renewal-window"];
const LIFETIME = ["certificate-lifetime-too-long"];

const GOLDEN: GoldenCase[] = [
  {
    name: "ingress-block",
    what: "block style: tls after the rules, an annotations mapping created under metadata; comments stay",
    config: ISSUER,
    rules: INGRESS,
    applied: [
      [
        "ingress-tls-missing",
        'Adds spec.tls for shop.example.com and www.example.com with the Secret "storefront-tls", and the annotation cert-manager.io/cluster-issuer: letsencrypt-prod, so that cert-manager issues the certificate.',
        false,
      ],
    ],
  },
  {
    name: "ingress-flow",
    what: "flow style: entries appended inside the flow mappings",
    config: ISSUER,
    rules: INGRESS,
    applied: [
      [
        "ingress-tls-missing",
        'Adds spec.tls for api.example.com with the Secret "api-tls", and the annotation cert-manager.io/cluster-issuer: letsencrypt-prod, so that cert-manager issues the certificate.',
        false,
      ],
    ],
  },
  {
    name: "ingress-list",
    what: "an extensions/v1beta1 Ingress as the second item of a List, sequences flush with their keys",
    config: ISSUER,
    rules: INGRESS,
    applied: [
      [
        "ingress-tls-missing",
        'Adds spec.tls for legacy.example.com with the Secret "legacy-tls", and the annotation cert-manager.io/cluster-issuer: letsencrypt-prod, so that cert-manager issues the certificate.',
        false,
      ],
    ],
  },
  {
    name: "ingress-annotations",
    what: "existing annotations (a quoted ingress class with a comment) stay; a namespaced Issuer gets cert-manager.io/issuer after them",
    config: { certificates: { issuer: { kind: "Issuer", name: "backoffice-ca" } } },
    rules: INGRESS,
    applied: [
      [
        "ingress-tls-missing",
        'Adds spec.tls for admin.internal.example.com with the Secret "admin-tls", and the annotation cert-manager.io/issuer: backoffice-ca, so that cert-manager issues the certificate.',
        false,
      ],
    ],
  },
  {
    name: "ingress-no-issuer",
    what: "no issuer configured: `tls: []` becomes a block for both hosts (a wildcard quoted), no annotation, and the fix is risky",
    config: {},
    rules: INGRESS,
    applied: [["ingress-tls-missing", 'Adds spec.tls for *.docs.example.com and docs.example.com with the Secret "docs-tls".', true]],
  },
  {
    name: "ingress-existing-issuer",
    what: "an Ingress that already names a cluster issuer keeps it; the configured one is not added",
    config: ISSUER,
    rules: INGRESS,
    applied: [
      [
        "ingress-tls-missing",
        'Adds spec.tls for blog.example.com with the Secret "blog-tls", which cert-manager fills as the Ingress\'s cert-manager.io/cluster-issuer annotation asks.',
        false,
      ],
    ],
  },
  {
    name: "ingress-crlf",
    what: "CRLF line endings, no final newline, the Ingress in the second document after a comment",
    config: {},
    rules: INGRESS,
    applied: [["ingress-tls-missing", 'Adds spec.tls for status.example.com with the Secret "status-tls".', true]],
  },
  {
    name: "ingress-no-hosts",
    what: "rules without hosts: nothing to issue a certificate for, the file stays as it is",
    config: ISSUER,
    rules: INGRESS,
    applied: [],
    skipped: [["ingress-tls-missing", "no rule of this Ingress names a host, and a certificate is issued for names: give its rules hosts, then add tls for them"]],
  },
  {
    name: "certificate-long",
    what: "a one-year duration becomes 2160h and the missing renewBefore is added at the end of spec; the comment stays as written, even though it describes the old value",
    config: {},
    rules: LIFETIME,
    applied: [
      [
        "certificate-lifetime-too-long",
        'Shortens Certificate "api" from 8760h (365 days) to 2160h (90 days) by setting spec.duration, and sets spec.renewBefore to 720h (30 days).',
        false,
      ],
    ],
  },
  {
    name: "certificate-keeps-renew-before",
    what: "a renewBefore shorter than the new duration stays",
    config: {},
    rules: [...LIFETIME, ...RENEWAL],
    applied: [
      [
        "certificate-lifetime-too-long",
        'Shortens Certificate "mqtt" from 4380h (182.5 days) to 2160h (90 days) by setting spec.duration; it is still renewed 360h (15 days) before it expires.',
        false,
      ],
    ],
  },
  {
    name: "certificate-renew-before-too-long",
    what: "a renewBefore not shorter than the new duration is replaced; both values keep their quotes",
    config: {},
    rules: [...LIFETIME, ...RENEWAL],
    applied: [
      [
        "certificate-lifetime-too-long",
        'Shortens Certificate "redis" from 8760h0m0s (365 days) to 2160h (90 days) by setting spec.duration, and sets spec.renewBefore to 720h (30 days).',
        false,
      ],
    ],
  },
  {
    name: "certificate-both-rules",
    what: "a Certificate that lives too long and renews before it is issued: the duration fix sets both values, which fixes the renewal window too",
    config: {},
    rules: [...LIFETIME, ...RENEWAL],
    applied: [
      [
        "certificate-lifetime-too-long",
        'Shortens Certificate "vault" from 8760h (365 days) to 2160h (90 days) by setting spec.duration, and sets spec.renewBefore to 720h (30 days).',
        false,
      ],
    ],
  },
  {
    name: "renewal-window-too-long",
    what: "renewBefore longer than the duration becomes the policy's 720h; the comment after it stays",
    config: {},
    rules: RENEWAL,
    applied: [
      [
        "certificate-renewal-window",
        'Sets spec.renewBefore of Certificate "web" to 720h (30 days), shorter than its duration of 90 days: cert-manager renews it 30 days before it expires.',
        false,
      ],
    ],
  },
  {
    name: "renewal-window-short-lived",
    what: "a day-long certificate, in flow style, gets a third of its duration, as the policy's 720h is longer than it lives",
    config: {},
    rules: RENEWAL,
    applied: [
      [
        "certificate-renewal-window",
        'Sets spec.renewBefore of Certificate "mesh-client" to 8h (8 hours), shorter than its duration of 1 day: cert-manager renews it 8 hours before it expires.',
        false,
      ],
    ],
  },
  {
    name: "renewal-window-percentage",
    what: "a Certificate that renews by percentage keeps doing so, at 33",
    config: {},
    rules: RENEWAL,
    applied: [
      [
        "certificate-renewal-window",
        'Sets spec.renewBeforePercentage of Certificate "grpc" to 33: cert-manager renews it with a third of its duration of 90 days left.',
        false,
      ],
    ],
  },
];

const UPDATE = process.env.SHIPSHAPE_UPDATE_GOLDEN === "1";

describe("Ingress TLS and cert-manager fixes, byte for byte", () => {
  it.each(GOLDEN)("$name: $what", ({ name, config, rules, applied, skipped }) => {
    const input = readFileSync(join(FIXTURES, name, "input.yaml"), "utf8");
    const expectedPath = join(FIXTURES, name, "expected.yaml");
    const run = fixText(`${name}.yaml`, input, config, rules);
    if (UPDATE && applied.length > 0) writeFileSync(expectedPath, run.after);
    expect(existsSync(expectedPath)).toBe(applied.length > 0);
    expect(run.after).toBe(applied.length > 0 ? readFileSync(expectedPath, "utf8") : input);
    expect(run.changeset.applied.map((fix) => [fix.rule, fix.explanation, fix.risky])).toEqual(applied);
    expect(run.changeset.skipped.map((skip) => [skip.rule, skip.reason])).toEqual(skipped ?? []);
    // Fixed means fixed: a second run finds nothing left to change.
    const again = fixText(`${name}.yaml`, run.after, config, rules);
    expect(again.changeset.files).toEqual([]);
    expect(again.changeset.applied).toEqual([]);
  });
});

/** The one object of a YAML text, read as the scan reads it. */
function resourceIn(text: string): Resource {
  const composed = composeYaml(text);
  expect(composed.problems).toEqual([]);
  const [resource] = resourcesOf("test.yaml", composed.documents);
  if (!resource) throw new Error("no object in the text");
  return resource;
}

function plan(fix: ResourceFix, text: string, config: ConfigFile = {}): FixPlanResult {
  return fix.plan(resourceIn(text), {}, fixSettingsOf(config), { file: "test.yaml", resource: undefined });
}

const certificate = (spec: string) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\nspec: {secretName: c-tls${spec}}\n`;
const ingress = (annotations = "") => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web${annotations}}\nspec: {rules: [{host: web.example.com}]}\n`;

describe("the certificate-duration fix's plan", () => {
  it("cannot shorten a static certificate: it names the policy's leaf lifetime", () => {
    const secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ntype: kubernetes.io/tls\ndata: {tls.crt: '', tls.key: ''}\n";
    expect(plan(certificateDurationFix, secret)).toEqual({
      ok: false,
      reason: "a static certificate's lifetime is fixed when it is issued: reissue it for at most 398 days, or let cert-manager issue it",
    });
    expect(plan(certificateDurationFix, secret, { certificates: { maxLeafDays: 90 } })).toMatchObject({ reason: expect.stringContaining("at most 90 days") });
  });

  it("leaves a CA's lifetime to people, and a duration within the policy alone", () => {
    expect(plan(certificateDurationFix, certificate(", isCA: true, duration: 87600h"))).toEqual({
      ok: false,
      reason: 'Certificate "c" is a CA (spec.isCA: true): every certificate it signs expires with it, so shortening it is a decision for people',
    });
    expect(plan(certificateDurationFix, certificate(", duration: 720h"))).toEqual({
      ok: false,
      reason: 'spec.duration of Certificate "c" is 720h (30 days), already within certificates.maxDuration 2160h (90 days)',
    });
    // No duration is cert-manager's 90 days: within the default policy, over a 30-day one.
    expect(plan(certificateDurationFix, certificate(""))).toMatchObject({ ok: false, reason: expect.stringContaining("is cert-manager's default of 90 days") });
    expect(plan(certificateDurationFix, certificate(""), { certificates: { maxDuration: "720h", renewBefore: "720h" } })).toMatchObject({
      ok: true,
      plan: {
        changes: [
          { path: ["spec", "duration"], value: "720h" },
          // The policy's renewBefore is not shorter than the new duration: a third of it instead.
          { path: ["spec", "renewBefore"], value: "240h" },
        ],
        explanation: 'Shortens Certificate "c" from cert-manager\'s default of 90 days to 720h (30 days) by setting spec.duration, and sets spec.renewBefore to 240h (10 days).',
      },
    });
  });

  it("replaces a duration that is not a Go duration, and keeps a renewBeforePercentage", () => {
    const result = plan(certificateDurationFix, certificate(', duration: "365d", renewBeforePercentage: 25'));
    expect(result).toEqual({
      ok: true,
      plan: {
        changes: [{ path: ["spec", "duration"], value: "2160h" }],
        explanation: 'Shortens Certificate "c" from "365d" (not a Go duration) to 2160h (90 days) by setting spec.duration; it is still renewed with 25% of its lifetime left.',
        risk:
          "Once this is deployed, cert-manager issues a new certificate valid for 90 days (a changed duration no longer matches its last request) and renews it with 25% of its lifetime left, so the certificate and its Secret change more often. Anything that pins this certificate itself, rather than its public key or its CA, must follow every renewal. ACME issuers such as Let's Encrypt choose the lifetime themselves and ignore spec.duration.",
        risky: false,
      },
    });
  });
});

describe("the ingress-tls fix's plan", () => {
  it("is risky without an issuer, and says the Secret must exist", () => {
    const result = plan(ingressTlsFix, ingress());
    expect(result).toMatchObject({ ok: true, plan: { risky: true, changes: [{ path: ["spec", "tls"], value: [{ hosts: ["web.example.com"], secretName: "web-tls" }] }] } });
    expect(result.ok && result.plan.risk).toBe(
      'The ingress controller serves HTTPS for web.example.com with a certificate only once the Secret "web-tls" exists in the Ingress\'s namespace and holds the certificate and its key; until then it serves its default, self-signed certificate, and ingress-nginx redirects HTTP to HTTPS as soon as tls is set, so clients see certificate errors. Create the Secret before merging, or set certificates.issuer in .shipshape.yml so that cert-manager issues it.',
    );
  });

  it("names the issuer and where it must exist in its risk", () => {
    const cluster = plan(ingressTlsFix, ingress(), ISSUER);
    expect(cluster.ok && cluster.plan.risk).toBe(
      'cert-manager creates the Secret "web-tls" with a certificate for web.example.com from the ClusterIssuer "letsencrypt-prod", which must exist in the cluster. Until the certificate is issued (an ACME issuer needs the hosts\' DNS to point at this Ingress) the ingress controller serves its default certificate on HTTPS, and ingress-nginx redirects HTTP to HTTPS as soon as tls is set.',
    );
    const namespaced = plan(ingressTlsFix, ingress(), { certificates: { issuer: { kind: "Issuer", name: "ca" } } });
    expect(namespaced).toMatchObject({ ok: true, plan: { risky: false, changes: [{ path: ["spec", "tls"] }, { path: ["metadata", "annotations", "cert-manager.io/issuer"], value: "ca" }] } });
    expect(namespaced.ok && namespaced.plan.risk).toContain('from the Issuer "ca", which must exist in the cluster in the Ingress\'s namespace.');
  });

  it("takes kubernetes.io/tls-acme: \"true\" as cert-manager's default issuer, but not \"false\"", () => {
    const acme = plan(ingressTlsFix, ingress(', annotations: {kubernetes.io/tls-acme: "true"}'));
    expect(acme).toMatchObject({ ok: true, plan: { risky: false, changes: [{ path: ["spec", "tls"] }] } });
    expect(acme.ok && acme.plan.risk).toContain("from the default issuer its ingress-shim is configured with");
    expect(plan(ingressTlsFix, ingress(', annotations: {kubernetes.io/tls-acme: "false"}'))).toMatchObject({ ok: true, plan: { risky: true } });
  });

  it("needs a name for the Secret, and fixes nothing but an Ingress", () => {
    expect(plan(ingressTlsFix, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {generateName: web-}\nspec: {rules: [{host: a.example.com}]}\n")).toEqual({
      ok: false,
      reason: "the Ingress has no metadata.name to name its TLS Secret after",
    });
    expect(plan(ingressTlsFix, certificate(""))).toEqual({ ok: false, reason: "only an Ingress gets a tls block" });
  });
});
