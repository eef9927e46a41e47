import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../src/config/load.js";
import { activeRules } from "../../src/config/resolve.js";
import type { ConfigFile } from "../../src/config/types.js";
import { catalog, tempTree, thrown, yaml } from "../rules/helpers.js";

const ALL_IDS = catalog.map((rule) => rule.id);

function configError(action: () => unknown): string {
  const error = thrown(action);
  expect(error).toBeInstanceOf(ConfigError);
  return error.message;
}

describe("loadConfig", () => {
  it("returns an empty config and no file when there is none", () => {
    expect(loadConfig(tempTree({ "app.yaml": "a: 1\n" }))).toEqual({ config: {}, file: undefined });
  });

  it("reads .shipshape.yml", () => {
    const root = tempTree({ ".shipshape.yml": "ignorePaths: [vendor/**]\n" });
    expect(loadConfig(root)).toEqual({ config: { ignorePaths: ["vendor/**"] }, file: ".shipshape.yml" });
  });

  it("prefers .github/shipshape.yml over .shipshape.yml", () => {
    const root = tempTree({ ".github/shipshape.yml": "ignorePaths: [from-github]\n", ".shipshape.yml": "ignorePaths: [from-root]\n" });
    expect(loadConfig(root)).toEqual({ config: { ignorePaths: ["from-github"] }, file: ".github/shipshape.yml" });
  });

  it("reads an explicit path instead, labelled as given", () => {
    const root = tempTree({ ".shipshape.yml": "ignorePaths: [discovered]\n", "configs/strict.yml": "rules: {parse-error: critical}\n" });
    const explicit = join(root, "configs/strict.yml");
    expect(loadConfig(root, explicit)).toEqual({ config: { rules: { "parse-error": "critical" } }, file: explicit });
  });

  it("fails when the explicit file does not exist", () => {
    const missing = join(tempTree({}), "nope.yml");
    expect(configError(() => loadConfig(tempTree({ ".shipshape.yml": "{}\n" }), missing))).toBe(`${missing}: cannot be read (ENOENT)`);
  });

  it("fails on invalid YAML, naming the file it found", () => {
    const root = tempTree({ ".github/shipshape.yml": "rules: [unclosed\n" });
    expect(configError(() => loadConfig(root))).toBe(".github/shipshape.yml: not valid YAML: deficient indentation");
  });
});

describe("parseConfig", () => {
  it("accepts every documented setting", () => {
    const text = yaml(
      "rules:",
      "  parse-error: off",
      "  image-tag-mutable: low",
      "  image-digest-missing:",
      "    enabled: true",
      "    severity: critical",
      "    exclude:",
      "      - {kind: Deployment, name: 'web-*', namespace: prod, path: 'apps/**'}",
      "ignorePaths: [vendor/**]",
      "limits: {maxFileBytes: 2048, maxAliases: 0, maxExpandedNodes: 1000, maxDepth: 10}",
    );
    expect(parseConfig(text, "cfg.yml")).toEqual({
      rules: {
        "parse-error": "off",
        "image-tag-mutable": "low",
        "image-digest-missing": {
          enabled: true,
          severity: "critical",
          exclude: [{ kind: "Deployment", name: "web-*", namespace: "prod", path: "apps/**" }],
        },
      },
      ignorePaths: ["vendor/**"],
      limits: { maxFileBytes: 2048, maxAliases: 0, maxExpandedNodes: 1000, maxDepth: 10 },
    });
  });

  it("accepts a document that is explicitly null", () => {
    expect(parseConfig("---\n", "cfg.yml")).toEqual({});
  });

  // Bug: js-yaml 5's load() throws "expected a document, but the input is empty" on an empty input, so an
  // empty config file, or one whose settings are all commented out, is rejected although the schema allows null.
  it("accepts an empty file and a file of comments", () => {
    expect(parseConfig("", "cfg.yml")).toEqual({});
    expect(parseConfig("# rules:\n#   parse-error: off\n", "cfg.yml")).toEqual({});
  });

  it("names an unknown top-level key", () => {
    expect(configError(() => parseConfig("colour: red\n", ".shipshape.yml"))).toBe(".shipshape.yml: invalid configuration\n  - colour: unknown key");
  });

  it("names rules.<id>.severity when the severity is wrong, and not the other branch of the rule setting", () => {
    expect(configError(() => parseConfig("rules:\n  image-tag-mutable:\n    severity: urgent\n", "cfg.yml"))).toBe(
      "cfg.yml: invalid configuration\n  - rules.image-tag-mutable.severity: must be one of critical, high, medium, low",
    );
  });

  it("lists every problem, one a line", () => {
    const text = yaml("rules:", "  x: {exclude: [{kind: Pod, colour: red}, {}], enabled: 'no'}", "limits: {maxFileBytes: 10}");
    expect(configError(() => parseConfig(text, "cfg.yml"))).toBe(
      [
        "cfg.yml: invalid configuration",
        "  - rules.x.enabled: must be boolean",
        "  - rules.x.exclude.0.colour: unknown key",
        "  - rules.x.exclude.1: must NOT have fewer than 1 properties",
        "  - limits.maxFileBytes: must be >= 1024",
      ].join("\n"),
    );
  });

  it("rejects aliases and a config that is not a mapping", () => {
    expect(configError(() => parseConfig("a: &a 1\nb: *a\n", "cfg.yml"))).toBe("cfg.yml: not valid YAML: aliases exceeded maxAliases (0)");
    expect(configError(() => parseConfig("- rules\n", "cfg.yml"))).toBe("cfg.yml: invalid configuration\n  - (top level): must be object,null");
  });
});

describe("activeRules", () => {
  const summary = (config: ConfigFile, only?: string[]) => activeRules(catalog, config, only).map((active) => `${active.rule.id}:${active.severity}`);

  it("runs every rule at its own severity by default, except the rules that are off until named", () => {
    expect(summary({})).toEqual(catalog.filter((rule) => rule.enabled !== false).map((rule) => `${rule.id}:${rule.severity}`));
    expect(ALL_IDS).toHaveLength(48);
    expect(catalog.filter((rule) => rule.enabled === false).map((rule) => rule.id)).toEqual(["helm-values-schema-missing", "image-digest-outdated", "lockfile-maintenance", "service-account-token-automounted", "startup-probe-advised"]);
  });

  it("runs an off-by-default rule when the config sets it (a severity, an object) or --rule names it, and never with `off`", () => {
    const outdated = (config: ConfigFile, only?: string[]) => summary(config, only).filter((entry) => entry.startsWith("image-digest-outdated"));
    expect(outdated({})).toEqual([]);
    expect(outdated({ rules: { "image-digest-outdated": "medium" } })).toEqual(["image-digest-outdated:medium"]);
    expect(outdated({ rules: { "image-digest-outdated": { enabled: true } } })).toEqual(["image-digest-outdated:low"]);
    expect(outdated({ rules: { "image-digest-outdated": { exclude: [{ path: "legacy/**" }] } } })).toEqual(["image-digest-outdated:low"]);
    expect(outdated({}, ["image-digest-outdated"])).toEqual(["image-digest-outdated:low"]);
    expect(outdated({ rules: { "image-digest-outdated": "off" } }, ["image-digest-outdated"])).toEqual([]);
    expect(outdated({ rules: { "image-digest-outdated": { enabled: false } } })).toEqual([]);
  });

  it("turns a rule off with `off` or enabled: false, and changes its severity with a severity or an object", () => {
    const config = parseConfig(
      yaml(
        "rules:",
        "  parse-error: off",
        "  liveness-probe-missing: {enabled: false}",
        "  image-tag-mutable: low",
        "  image-digest-missing: {severity: critical}",
        "  memory-limit-missing: {enabled: true}",
      ),
      "cfg.yml",
    );
    expect(summary(config)).toEqual([
      "actions-not-pinned:medium",
      "argocd-target-revision-mutable:medium",
      "capabilities-not-dropped:medium",
      "certificate-expired:critical",
      "certificate-expiring:high",
      "certificate-invalid:high",
      "certificate-lifetime-too-long:medium",
      "certificate-renewal-window:medium",
      "container-runs-as-root:medium",
      "cors-wildcard:medium",
      "database-tls-disabled:high",
      "deprecated-api-version:high",
      "env-secret-literal:high",
      "host-namespace-shared:high",
      "host-path-mounted:high",
      "hpa-pdb-conflict:high",
      "hsts-missing:low",
      "image-digest-missing:critical",
      "image-reference-invalid:high",
      "image-tag-mutable:low",
      "ingress-ssl-redirect-missing:medium",
      "ingress-tls-missing:high",
      "lockfile-hashes-missing:medium",
      "lockfile-stale:high",
      "memory-limit-missing:medium",
      "network-policy-missing:medium",
      "pdb-missing:medium",
      "private-key-committed:critical",
      "privilege-escalation-allowed:high",
      "privileged-container:critical",
      "read-only-root-filesystem-missing:medium",
      "readiness-probe-missing:high",
      "replicas-too-low:medium",
      "resource-requests-missing:medium",
      "rolling-update-unsafe:medium",
      "run-as-non-root-missing:medium",
      "seccomp-profile-missing:medium",
      "secret-plaintext:high",
      "spki-pin-mismatch:high",
      "tls-protocol-weak:high",
      "topology-spread-missing:low",
    ]);
  });

  it("narrows the scan to the rules given with --rule, still applying the config's severities", () => {
    expect(summary({ rules: { "image-tag-mutable": "critical" } }, ["parse-error", "image-tag-mutable"])).toEqual([
      "image-tag-mutable:critical",
      "parse-error:high",
    ]);
  });

  it("fails on unknown rule ids, in the config and in --rule, naming each", () => {
    expect(configError(() => activeRules(catalog, { rules: { "no-such-rule": "off" } }))).toBe(
      'rules.no-such-rule: unknown rule "no-such-rule" (run `shipshape rules` to list them)',
    );
    expect(configError(() => activeRules(catalog, { rules: { typo: "low" } }, ["liveness-probe-missing", "livenes-probe-missing"]))).toBe(
      [
        'rules.typo: unknown rule "typo" (run `shipshape rules` to list them)',
        '--rule livenes-probe-missing: unknown rule "livenes-probe-missing" (run `shipshape rules` to list them)',
      ].join("\n"),
    );
  });
});
