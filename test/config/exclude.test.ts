import { describe, expect, it } from "vitest";
import type { ExcludeEntry } from "../../src/config/types.js";
import { scan, tempTree, yaml } from "../rules/helpers.js";

const workload = (kind: string, name: string, namespace?: string) =>
  yaml(
    "apiVersion: apps/v1",
    `kind: ${kind}`,
    `metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ""}}`,
    "spec:",
    "  template:",
    "    spec:",
    "      containers: [{name: app, image: app:1.0}]",
  );

const root = tempTree({
  "apps/web.yaml": `${workload("Deployment", "web-frontend", "shop")}---\n${workload("Deployment", "api", "shop")}`,
  "system/dns.yaml": workload("DaemonSet", "dns", "kube-system"),
  // A duplicate key on line 2: parse-error reports it.
  "legacy/old.yaml": `${workload("Deployment", "web-legacy").replace("kind: Deployment\n", "kind: Deployment\nkind: Deployment\n")}`,
});

/** Scans with liveness-probe-missing excluded as given, and parse-error as given. */
function findings(exclude: ExcludeEntry[], parseErrorExclude: ExcludeEntry[] = []): string[] {
  const config = { rules: { "liveness-probe-missing": { exclude }, "parse-error": { exclude: parseErrorExclude } } };
  return scan(root, { rules: ["liveness-probe-missing", "parse-error"], config }).map(
    (f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.resource ? `${f.resource.kind}/${f.resource.name}` : "-"}`,
  );
}

const WEB = "liveness-probe-missing apps/web.yaml:7:20 Deployment/web-frontend";
const API = "liveness-probe-missing apps/web.yaml:15:20 Deployment/api";
const LEGACY_PARSE = "parse-error legacy/old.yaml:3:1 -";
const LEGACY = "liveness-probe-missing legacy/old.yaml:8:20 Deployment/web-legacy";
const DNS = "liveness-probe-missing system/dns.yaml:7:20 DaemonSet/dns";

describe("rules.<id>.exclude", () => {
  it("excludes nothing when empty", () => {
    expect(findings([])).toEqual([WEB, API, LEGACY_PARSE, LEGACY, DNS]);
  });

  it("matches the kind exactly", () => {
    expect(findings([{ kind: "Deployment" }])).toEqual([LEGACY_PARSE, DNS]);
    expect(findings([{ kind: "deployment" }])).toEqual([WEB, API, LEGACY_PARSE, LEGACY, DNS]);
  });

  it("matches the name with a glob", () => {
    expect(findings([{ name: "web-*" }])).toEqual([API, LEGACY_PARSE, DNS]);
  });

  it("matches the namespace with a glob, and never matches an object without one", () => {
    expect(findings([{ namespace: "kube-*" }])).toEqual([WEB, API, LEGACY_PARSE, LEGACY]);
    expect(findings([{ namespace: "*" }])).toEqual([LEGACY_PARSE, LEGACY]);
  });

  it("matches the file path with a glob, for file rules too", () => {
    expect(findings([{ path: "legacy/**" }])).toEqual([WEB, API, LEGACY_PARSE, DNS]);
    expect(findings([], [{ path: "legacy/*.yaml" }])).toEqual([WEB, API, LEGACY, DNS]);
  });

  it("needs every field of one entry to match, and any entry of the list", () => {
    expect(findings([{ kind: "Deployment", name: "web-*" }])).toEqual([API, LEGACY_PARSE, DNS]);
    expect(findings([{ kind: "DaemonSet", name: "web-*" }])).toEqual([WEB, API, LEGACY_PARSE, LEGACY, DNS]);
    expect(findings([{ name: "api" }, { path: "system/**" }])).toEqual([WEB, LEGACY_PARSE, LEGACY]);
  });

  it("never lets a kind or name entry exclude a file rule's findings", () => {
    expect(findings([], [{ kind: "Deployment" }, { name: "*" }])).toEqual([WEB, API, LEGACY_PARSE, LEGACY, DNS]);
  });
});
