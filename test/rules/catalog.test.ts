import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { load as loadYaml } from "js-yaml";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/checks/registry.js";
import { loadRules, RuleLoadError } from "../../src/rules/load.js";
import { tempTree, thrown } from "./helpers.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const rulesDir = join(repoRoot, "rules");
/** CI checks out the project with `../shared` beside it. */
const seedsDir = join(repoRoot, "..", "shared", "seeds");

const RULE_IDS = [
  "actions-not-pinned",
  "argocd-target-revision-mutable",
  "capabilities-not-dropped",
  "certificate-expired",
  "certificate-expiring",
  "certificate-invalid",
  "certificate-lifetime-too-long",
  "certificate-renewal-window",
  "container-runs-as-root",
  "cors-wildcard",
  "database-tls-disabled",
  "deprecated-api-version",
  "env-secret-literal",
  "helm-values-schema-missing",
  "host-namespace-shared",
  "host-path-mounted",
  "hpa-pdb-conflict",
  "hsts-missing",
  "image-digest-missing",
  "image-digest-outdated",
  "image-reference-invalid",
  "image-tag-mutable",
  "ingress-ssl-redirect-missing",
  "ingress-tls-missing",
  "liveness-probe-missing",
  "lockfile-hashes-missing",
  "lockfile-maintenance",
  "lockfile-stale",
  "memory-limit-missing",
  "network-policy-missing",
  "parse-error",
  "pdb-missing",
  "private-key-committed",
  "privilege-escalation-allowed",
  "privileged-container",
  "read-only-root-filesystem-missing",
  "readiness-probe-missing",
  "replicas-too-low",
  "resource-requests-missing",
  "rolling-update-unsafe",
  "run-as-non-root-missing",
  "seccomp-profile-missing",
  "secret-plaintext",
  "service-account-token-automounted",
  "spki-pin-mismatch",
  "startup-probe-advised",
  "tls-protocol-weak",
  "topology-spread-missing",
];

describe("the rule catalog", () => {
  const rules = loadRules();

  it("loads the forty-eight rules of rules/, in file-name order, with params defaulted to {}", () => {
    expect(rules.map((rule) => rule.id)).toEqual(RULE_IDS);
    expect(rules.find((rule) => rule.id === "parse-error")?.check).toEqual({ name: "parse-error", params: {} });
    expect(rules.find((rule) => rule.id === "image-tag-mutable")?.check).toEqual({ name: "image-tag-mutable", params: { mutableTags: ["latest"] } });
  });

  it.each(RULE_IDS)("%s validates against rules/schema.json", (id) => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(rulesDir, "schema.json"), "utf8")) as object);
    const data = loadYaml(readFileSync(join(rulesDir, `${id}.yaml`), "utf8"));
    const valid = validate(data);
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  /** The item, or its first 30 characters, must be quoted from the checklist (whose bold markers are ignored). */
  function checkSource(id: string): void {
    const rule = rules.find((candidate) => candidate.id === id);
    const file = join(seedsDir, rule?.source.checklist ?? "(no rule)");
    expect(existsSync(file), `${file} exists`).toBe(true);
    const checklist = readFileSync(file, "utf8").replaceAll("**", "");
    const item = rule?.source.item.replaceAll("**", "") ?? "";
    expect(checklist.includes(item) || checklist.includes(item.slice(0, 30)), `"${item}" is quoted from ${rule?.source.checklist}`).toBe(true);
  }

  it.each(RULE_IDS.filter((id) => id !== "parse-error"))("%s names a checklist item that exists in ../shared/seeds", checkSource);

  // Bug in rules/parse-error.yaml: source.item "Helm values schema: typos and invalid values are caught before deploy"
  // paraphrases 000_88d98e66b9965b4f.txt, which says "**Helm values schema**: `values.schema.json` validates all
  // configuration knobs at `helm lint` time — typos and invalid values are caught before deploy".
  it("parse-error names a checklist item that exists in ../shared/seeds", () => checkSource("parse-error"));
});

const GOOD_RULE = (id: string) =>
  [
    `id: ${id}`,
    "title: A test rule",
    "severity: low",
    "category: reliability",
    "appliesTo: {kinds: [Pod], containers: [containers]}",
    "check:",
    "  name: container-field-required",
    "  params: {fields: [livenessProbe]}",
    "rationale: Because.",
    "remediation: Add it.",
    "ignoreWhen: Never.",
    "source: {checklist: 002_817149cf8275820f.txt, section: Probes, item: Liveness probes configured}",
    "",
  ].join("\n");

/** A temporary rules folder: the real schema.json plus the given rule files. */
function rulesFolder(files: Record<string, string>): string {
  const dir = tempTree(files);
  copyFileSync(join(rulesDir, "schema.json"), join(dir, "schema.json"));
  return dir;
}

function problemsOf(dir: string): string[] {
  const error = thrown(() => loadRules(dir));
  expect(error).toBeInstanceOf(RuleLoadError);
  return (error as RuleLoadError).problems;
}

describe("loadRules on a bad rules folder", () => {
  it("loads a good rule, and ignores files that are not .yaml", () => {
    const dir = rulesFolder({ "good.yaml": GOOD_RULE("good"), "notes.md": "# not a rule", "other.yml": "not: read" });
    expect(loadRules(dir).map((rule) => [rule.id, rule.severity, rule.check])).toEqual([
      ["good", "low", { name: "container-field-required", params: { fields: ["livenessProbe"] } }],
    ]);
  });

  it("lists every problem of every file, each with its exact message", () => {
    const dir = rulesFolder({
      "a-unknown-key.yaml": `${GOOD_RULE("a-unknown-key")}colour: red\n`,
      "b-bad-severity.yaml": GOOD_RULE("b-bad-severity").replace("severity: low", "severity: urgent"),
      "c-unknown-check.yaml": GOOD_RULE("c-unknown-check").replace("name: container-field-required", "name: no-such-check"),
      "d-bad-params.yaml": GOOD_RULE("d-bad-params").replace("fields: [livenessProbe]", "fields: []"),
      "e-params-for-no-params.yaml": GOOD_RULE("e-params-for-no-params").replace(
        "  name: container-field-required\n  params: {fields: [livenessProbe]}",
        "  name: parse-error\n  params: {strict: true}",
      ),
      "f-mismatch.yaml": GOOD_RULE("not-the-file-name"),
      "g-invalid-yaml.yaml": "id: [broken\ntitle: x\n",
      "h-missing-title.yaml": GOOD_RULE("h-missing-title").replace("title: A test rule\n", ""),
      "i-good.yaml": GOOD_RULE("i-good"),
    });
    expect(problemsOf(dir)).toEqual([
      "a-unknown-key.yaml: colour: unknown key",
      "b-bad-severity.yaml: severity: must be one of critical, high, medium, low",
      `c-unknown-check.yaml: check.name: no check named "no-such-check" (known: ${[...CHECKS.keys()].join(", ")})`,
      "d-bad-params.yaml: check.params fields: must NOT have fewer than 1 items",
      "e-params-for-no-params.yaml: check.params strict: unknown key",
      'f-mismatch.yaml: id "not-the-file-name" does not match the file name',
      "g-invalid-yaml.yaml: deficient indentation (2:1)\n\n 1 | id: [broken\n 2 | title: x\n-----^",
      "h-missing-title.yaml: title: is required",
    ]);
  });

  it("says so in its message, one problem a line, and checks a rule's id only once its schema is valid", () => {
    const dir = rulesFolder({
      "x.yaml": GOOD_RULE("not-x").replace("category: reliability", "category: speed"),
      "y.yaml": GOOD_RULE("not-y"),
    });
    expect(thrown(() => loadRules(dir)).message).toBe(
      'invalid rules:\n  - x.yaml: category: must be one of reliability, security, network, secrets, supply-chain, resources, configuration\n  - y.yaml: id "not-y" does not match the file name',
    );
  });
});
