import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load as loadYaml } from "js-yaml";
import { afterEach, describe, expect, it } from "vitest";
import { copyFixture, fixture, PROJECT_ROOT, runCli, runCliCached, scanJson, tempDir } from "./helpers.js";

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[] };
}
interface Sarif {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: SarifRule[] } }; results: SarifResult[] }[];
}
interface RuleYaml {
  id: string;
  enabled?: boolean;
  title: string;
  rationale: string;
  remediation: string;
  source: { item: string };
}

const REPO = fixture("repo");
const MEDIUM = fixture("medium");
const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;
const RULES_DIR = join(PROJECT_ROOT, "rules");
const CATALOG = readdirSync(RULES_DIR)
  .filter((name) => name.endsWith(".yaml"))
  .sort()
  .map((name) => loadYaml(readFileSync(join(RULES_DIR, name), "utf8")) as RuleYaml);

/**
 * Rules that are off until the config or --rule turns them on: image-digest-outdated and lockfile-maintenance need the
 * network; startup-probe-advised, helm-values-schema-missing and service-account-token-automounted are advice.
 */
const OFF_BY_DEFAULT = [
  "helm-values-schema-missing",
  "image-digest-outdated",
  "lockfile-maintenance",
  "service-account-token-automounted",
  "startup-probe-advised",
];

/** Per rule: SARIF default level (critical/high → error, medium → warning, low → note) and tags. */
const EXPECTED_RULES: Record<string, { level: string; tags: string[]; name: string }> = {
  "actions-not-pinned": { level: "warning", tags: ["shipshape", "supply-chain", "security"], name: "ActionsNotPinned" },
  "argocd-target-revision-mutable": { level: "warning", tags: ["shipshape", "supply-chain", "security"], name: "ArgocdTargetRevisionMutable" },
  "capabilities-not-dropped": { level: "warning", tags: ["shipshape", "security"], name: "CapabilitiesNotDropped" },
  "certificate-expired": { level: "error", tags: ["shipshape", "reliability"], name: "CertificateExpired" },
  "certificate-expiring": { level: "error", tags: ["shipshape", "reliability"], name: "CertificateExpiring" },
  "certificate-invalid": { level: "error", tags: ["shipshape", "reliability"], name: "CertificateInvalid" },
  "certificate-lifetime-too-long": { level: "warning", tags: ["shipshape", "security"], name: "CertificateLifetimeTooLong" },
  "certificate-renewal-window": { level: "warning", tags: ["shipshape", "reliability"], name: "CertificateRenewalWindow" },
  "container-runs-as-root": { level: "warning", tags: ["shipshape", "security"], name: "ContainerRunsAsRoot" },
  "cors-wildcard": { level: "warning", tags: ["shipshape", "security"], name: "CorsWildcard" },
  "database-tls-disabled": { level: "error", tags: ["shipshape", "security"], name: "DatabaseTlsDisabled" },
  "deprecated-api-version": { level: "error", tags: ["shipshape", "configuration"], name: "DeprecatedApiVersion" },
  "env-secret-literal": { level: "error", tags: ["shipshape", "secrets", "security"], name: "EnvSecretLiteral" },
  "helm-values-schema-missing": { level: "note", tags: ["shipshape", "configuration"], name: "HelmValuesSchemaMissing" },
  "host-namespace-shared": { level: "error", tags: ["shipshape", "security"], name: "HostNamespaceShared" },
  "host-path-mounted": { level: "error", tags: ["shipshape", "security"], name: "HostPathMounted" },
  "hpa-pdb-conflict": { level: "error", tags: ["shipshape", "reliability"], name: "HpaPdbConflict" },
  "hsts-missing": { level: "note", tags: ["shipshape", "network", "security"], name: "HstsMissing" },
  "image-digest-missing": { level: "warning", tags: ["shipshape", "supply-chain", "security"], name: "ImageDigestMissing" },
  "image-digest-outdated": { level: "note", tags: ["shipshape", "supply-chain", "security"], name: "ImageDigestOutdated" },
  "image-reference-invalid": { level: "error", tags: ["shipshape", "supply-chain", "security"], name: "ImageReferenceInvalid" },
  "image-tag-mutable": { level: "error", tags: ["shipshape", "supply-chain", "security"], name: "ImageTagMutable" },
  "ingress-ssl-redirect-missing": { level: "warning", tags: ["shipshape", "network", "security"], name: "IngressSslRedirectMissing" },
  "ingress-tls-missing": { level: "error", tags: ["shipshape", "security"], name: "IngressTlsMissing" },
  "liveness-probe-missing": { level: "warning", tags: ["shipshape", "reliability"], name: "LivenessProbeMissing" },
  "lockfile-hashes-missing": { level: "warning", tags: ["shipshape", "supply-chain", "security"], name: "LockfileHashesMissing" },
  "lockfile-maintenance": { level: "note", tags: ["shipshape", "supply-chain", "security"], name: "LockfileMaintenance" },
  "lockfile-stale": { level: "error", tags: ["shipshape", "reliability"], name: "LockfileStale" },
  "memory-limit-missing": { level: "warning", tags: ["shipshape", "resources"], name: "MemoryLimitMissing" },
  "network-policy-missing": { level: "warning", tags: ["shipshape", "network", "security"], name: "NetworkPolicyMissing" },
  "parse-error": { level: "error", tags: ["shipshape", "configuration"], name: "ParseError" },
  "pdb-missing": { level: "warning", tags: ["shipshape", "reliability"], name: "PdbMissing" },
  "private-key-committed": { level: "error", tags: ["shipshape", "security"], name: "PrivateKeyCommitted" },
  "privilege-escalation-allowed": { level: "error", tags: ["shipshape", "security"], name: "PrivilegeEscalationAllowed" },
  "privileged-container": { level: "error", tags: ["shipshape", "security"], name: "PrivilegedContainer" },
  "read-only-root-filesystem-missing": { level: "warning", tags: ["shipshape", "security"], name: "ReadOnlyRootFilesystemMissing" },
  "readiness-probe-missing": { level: "error", tags: ["shipshape", "reliability"], name: "ReadinessProbeMissing" },
  "replicas-too-low": { level: "warning", tags: ["shipshape", "reliability"], name: "ReplicasTooLow" },
  "resource-requests-missing": { level: "warning", tags: ["shipshape", "resources"], name: "ResourceRequestsMissing" },
  "rolling-update-unsafe": { level: "warning", tags: ["shipshape", "reliability"], name: "RollingUpdateUnsafe" },
  "run-as-non-root-missing": { level: "warning", tags: ["shipshape", "security"], name: "RunAsNonRootMissing" },
  "seccomp-profile-missing": { level: "warning", tags: ["shipshape", "security"], name: "SeccompProfileMissing" },
  "secret-plaintext": { level: "error", tags: ["shipshape", "secrets", "security"], name: "SecretPlaintext" },
  "service-account-token-automounted": { level: "note", tags: ["shipshape", "security"], name: "ServiceAccountTokenAutomounted" },
  "spki-pin-mismatch": { level: "error", tags: ["shipshape", "reliability"], name: "SpkiPinMismatch" },
  "startup-probe-advised": { level: "note", tags: ["shipshape", "reliability"], name: "StartupProbeAdvised" },
  "tls-protocol-weak": { level: "error", tags: ["shipshape", "network", "security"], name: "TlsProtocolWeak" },
  "topology-spread-missing": { level: "note", tags: ["shipshape", "reliability"], name: "TopologySpreadMissing" },
};
const LEVEL_OF_SEVERITY: Record<string, string> = { critical: "error", high: "error", medium: "warning", low: "note" };

function sarifOf(args: readonly string[]): { status: number | null; sarif: Sarif } {
  const run = args[0] === REPO && args.length === 1 ? runCliCached : runCli;
  const result = run(["scan", ...args, "--format", "sarif"]);
  expect(result.stderr).toBe("");
  return { status: result.status, sarif: JSON.parse(result.stdout) as Sarif };
}

/** rule + file + container → fingerprint. */
function fingerprints(sarif: Sarif): Map<string, string> {
  const results = sarif.runs[0]!.results;
  const json = new Map<string, string>();
  for (const result of results) {
    const match = /"([^"]+)"/.exec(result.message.text);
    const key = `${result.ruleId} ${result.locations[0]!.physicalLocation.artifactLocation.uri} ${match?.[1] ?? "-"}`;
    expect(json.has(key)).toBe(false);
    json.set(key, result.partialFingerprints["shipshape/v1"]!);
  }
  return json;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * The driver's rules with every catalog rule on: the OFF_BY_DEFAULT ones are off unless the config turns them on.
 * MEDIUM pins no image by digest and has no lockfile, so the network rules have nothing to ask a registry.
 */
function allRulesOn(): SarifRule[] {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  writeFileSync(join(dir, "all-on.yml"), `rules:\n${OFF_BY_DEFAULT.map((id) => `  ${id}: {enabled: true}\n`).join("")}`);
  return sarifOf([MEDIUM, "--config", join(dir, "all-on.yml")]).sarif.runs[0]!.tool.driver.rules;
}

describe("scan --format sarif", () => {
  it("has the SARIF 2.1.0 envelope and Shipshape as the driver", () => {
    const { status, sarif } = sarifOf([REPO]);
    expect(status).toBe(1);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]!.tool.driver.name).toBe("Shipshape");
    expect(sarif.runs[0]!.tool.driver.version).toBe(VERSION);
  });

  it("describes every rule from rules/*.yaml with title, rationale, remediation, checklist item, level and tags", () => {
    // A plain scan runs, and describes, the rules that are on by default: all but the five of OFF_BY_DEFAULT.
    expect(CATALOG.filter((rule) => rule.enabled === false).map((rule) => rule.id)).toEqual(OFF_BY_DEFAULT);
    expect(sarifOf([REPO]).sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toEqual(
      CATALOG.filter((rule) => rule.enabled !== false).map((rule) => rule.id),
    );
    const rules = allRulesOn();
    expect(rules.map((rule) => rule.id)).toEqual(CATALOG.map((rule) => rule.id));
    expect(rules.map((rule) => rule.id).sort()).toEqual(Object.keys(EXPECTED_RULES).sort());
    for (const rule of rules) {
      const source = CATALOG.find((candidate) => candidate.id === rule.id)!;
      const expected = EXPECTED_RULES[rule.id]!;
      expect(rule.name).toBe(expected.name);
      expect(rule.shortDescription).toEqual({ text: source.title });
      expect(rule.fullDescription).toEqual({ text: source.rationale });
      for (const help of [rule.help.text, rule.help.markdown]) {
        expect(help).toContain(source.remediation);
        expect(help).toContain(source.source.item);
      }
      expect(rule.defaultConfiguration).toEqual({ level: expected.level });
      expect(new Set(rule.properties.tags)).toEqual(new Set(expected.tags));
    }
  });

  // Guards a fixed bug: src/report/sarif.ts tags a rule of category "security" ["shipshape", "security", "security"];
  // SARIF 2.1.0 (§3.8.2, schema `uniqueItems: true`) requires tags to be unique.
  it("gives each rule distinct tags", () => {
    const rules = allRulesOn();
    expect(Object.fromEntries(rules.map((rule) => [rule.id, rule.properties.tags]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED_RULES).map(([id, expected]) => [id, expected.tags])),
    );
  });

  it("gives the exact help texts of one rule", () => {
    const rule = sarifOf([REPO]).sarif.runs[0]!.tool.driver.rules.find((candidate) => candidate.id === "image-tag-mutable")!;
    const rationale =
      "An image with no tag means :latest, and :latest moves with every push: two nodes can run different code from the same manifest, a rollback redeploys whatever is newest, and Git no longer says what runs in the cluster.";
    const fix = "Reference an immutable version, ideally the tag CI builds from the commit SHA and its digest (repo:tag@sha256:...).";
    const checklist = '"Deploy uses immutable image references" (Tasks (Must-have) › Kubernetes Safety, 004_50ec271ff3135d13.txt)';
    expect(rule.help).toEqual({
      text: `${rationale}\n\nHow to fix: ${fix}\n\nChecklist: ${checklist}`,
      markdown: `${rationale}\n\n**How to fix:** ${fix}\n\n**Checklist:** ${checklist}`,
    });
  });

  it("has one result per JSON finding, at the same place, pointing at the right rule", () => {
    const { sarif } = sarifOf([REPO]);
    const { rules } = sarif.runs[0]!.tool.driver;
    const { report } = scanJson([REPO], {}, true);
    const results = sarif.runs[0]!.results;
    expect(results.map((result) => rules[result.ruleIndex]!.id)).toEqual(results.map((result) => result.ruleId));
    expect(
      results.map((result) => ({
        ruleId: result.ruleId,
        level: result.level,
        message: result.message,
        locations: result.locations,
      })),
    ).toEqual(
      report.findings.map((finding) => ({
        ruleId: finding.rule,
        level: LEVEL_OF_SEVERITY[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: finding.file, uriBaseId: "%SRCROOT%" },
              region: { startLine: finding.line, startColumn: finding.column },
            },
          },
        ],
      })),
    );
  });

  it("uses the configured severity for the result level", () => {
    const { sarif } = sarifOf([fixture("configured")]);
    expect(sarif.runs[0]!.results.map((result) => [result.ruleId, result.level])).toEqual([
      ["network-policy-missing", "warning"],
      ["replicas-too-low", "warning"],
      ["image-digest-missing", "note"],
      ["memory-limit-missing", "warning"],
      ["capabilities-not-dropped", "warning"],
      ["read-only-root-filesystem-missing", "warning"],
      ["seccomp-profile-missing", "warning"],
    ]);
  });

  it("lists only the selected rules with --rule, and ruleIndex follows", () => {
    const { sarif } = sarifOf([REPO, "--rule", "parse-error", "--rule", "image-tag-mutable"]);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(["image-tag-mutable", "parse-error"]);
    expect(run.results.map((result) => [result.ruleId, result.ruleIndex])).toEqual([
      ["parse-error", 1],
      ["image-tag-mutable", 0],
    ]);
  });
});

describe("SARIF fingerprints", () => {
  it("are 32 hex digits, unique per result, and differ between containers and rules", () => {
    const { sarif } = sarifOf([REPO]);
    const all = sarif.runs[0]!.results.map((result) => result.partialFingerprints);
    for (const fingerprint of all) {
      expect(Object.keys(fingerprint)).toEqual(["shipshape/v1"]);
      expect(fingerprint["shipshape/v1"]).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(all.map((fingerprint) => fingerprint["shipshape/v1"])).size).toBe(all.length);
    const byKey = fingerprints(sarif);
    const file = "apps/web/deployment.yaml";
    expect(byKey.get(`liveness-probe-missing ${file} app`)).not.toBe(byKey.get(`liveness-probe-missing ${file} proxy`));
    expect(byKey.get(`liveness-probe-missing ${file} proxy`)).not.toBe(byKey.get(`privilege-escalation-allowed ${file} proxy`));
    // The Helm values image (keyed by its image: it has no container) differs from the pod-spec one of the same rule.
    const helmValues = byKey.get("image-digest-missing charts/demo/values.yaml registry.example.com/shop/demo:1.0.0");
    expect(helmValues).toMatch(/^[0-9a-f]{32}$/);
    expect(helmValues).not.toBe(byKey.get(`image-digest-missing ${file} app`));
    // Workload-level findings carry no quoted container: keyed by the workload (the first quoted name) instead.
    expect(byKey.get(`pdb-missing ${file} web`)).not.toBe(byKey.get(`topology-spread-missing ${file} web`));
    // The chart's container (in values.yaml) differs from the pod-spec ones of the same rule.
    expect(byKey.get("seccomp-profile-missing charts/demo/values.yaml demo")).not.toBe(byKey.get(`seccomp-profile-missing ${file} app`));
    expect(byKey.size).toBe(18);
  });

  it("stay the same when blank lines and comments are inserted above the resource", () => {
    const before = sarifOf([REPO]).sarif;
    const { dir, cleanup } = copyFixture("repo");
    cleanups.push(cleanup);
    for (const file of ["apps/web/deployment.yaml", "apps/broken.yaml", "charts/demo/values.yaml"]) {
      const path = join(dir, file);
      writeFileSync(path, `# moved down by an unrelated edit\n\n${readFileSync(path, "utf8")}`);
    }
    const after = sarifOf([dir]).sarif;
    const lines = (sarif: Sarif) => sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.region.startLine);
    expect(lines(after)).toEqual(lines(before).map((line) => line + 2));
    expect(fingerprints(after)).toEqual(fingerprints(before));
  });

  it("change for the finding whose subject changed, and only for it", () => {
    const before = fingerprints(sarifOf([REPO]).sarif);
    const { dir, cleanup } = copyFixture("repo");
    cleanups.push(cleanup);
    const path = join(dir, "apps/web/deployment.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace("envoyproxy/envoy:latest", "envoyproxy/envoy"));
    const after = fingerprints(sarifOf([dir]).sarif);
    const changed = "image-tag-mutable apps/web/deployment.yaml proxy";
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect(after.get(changed)).not.toBe(before.get(changed));
    expect(new Map([...after].filter(([key]) => key !== changed))).toEqual(new Map([...before].filter(([key]) => key !== changed)));
  });
});

describe("SARIF artifact URIs", () => {
  it("percent-encodes spaces and keeps `/` between folders", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, "my apps"));
    writeFileSync(join(dir, "my apps", "worker v2.yaml"), readFileSync(fixture("medium", "worker.yaml")));
    const uris = sarifOf([dir]).sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(Array.from({ length: 7 }, () => "my%20apps/worker%20v2.yaml"));
  });

  // Guards a fixed bug: src/report/sarif.ts uses encodeURI, which leaves `#` and `?` as is: "web#2.yaml" reads as path "web" + fragment "2.yaml".
  it("percent-encodes `#` and `?` in file names", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "web#2?.yaml"), readFileSync(fixture("medium", "worker.yaml")));
    const uris = sarifOf([dir]).sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(Array.from({ length: 7 }, () => "web%232%3F.yaml"));
  });
});
