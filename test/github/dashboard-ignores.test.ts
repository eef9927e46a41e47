import { describe, expect, it } from "vitest";
import { ignoreCovers, normaliseIgnorePath, withoutIgnored } from "../../src/github/dashboard-ignores.js";

describe("normaliseIgnorePath", () => {
  it("keeps a glob relative to the root, without ./ in front or / behind", () => {
    expect(normaliseIgnorePath("apps/**")).toEqual({ path: "apps/**" });
    expect(normaliseIgnorePath("./legacy/")).toEqual({ path: "legacy" });
    expect(normaliseIgnorePath("charts/*/values.yaml")).toEqual({ path: "charts/*/values.yaml" });
    expect(normaliseIgnorePath(".github/workflows/*.yml")).toEqual({ path: ".github/workflows/*.yml" });
  });

  it("refuses what cannot name files in the repository, and globs picomatch cannot read", () => {
    expect(normaliseIgnorePath("/etc/**")).toEqual({ problem: "absolute" });
    expect(normaliseIgnorePath("apps\\web")).toEqual({ problem: "backslash" });
    expect(normaliseIgnorePath("apps/../../secrets")).toEqual({ problem: "parent" });
    expect(normaliseIgnorePath("./")).toEqual({ problem: "empty" });
    expect(normaliseIgnorePath(".")).toEqual({ problem: "empty" });
    expect(normaliseIgnorePath("a".repeat(201))).toEqual({ problem: "too-long" });
    expect(normaliseIgnorePath("apps/[web")).toMatchObject({ problem: "syntax", detail: expect.stringContaining("Missing closing") });
    expect(normaliseIgnorePath("apps/{web")).toMatchObject({ problem: "syntax" });
  });
});

describe("ignoreCovers", () => {
  const finding = (rule: string, file: string) => ({ rule, file });

  it("covers every finding of its rule when it has no path, and none of other rules", () => {
    expect(ignoreCovers({ rule: "image-tag-mutable", by: "octocat" }, finding("image-tag-mutable", "apps/web/deployment.yaml"))).toBe(true);
    expect(ignoreCovers({ rule: "image-tag-mutable", by: "octocat" }, finding("image-digest-missing", "apps/web/deployment.yaml"))).toBe(false);
  });

  it("matches a glob against the file, a plain path as a folder too, and dot files", () => {
    const covers = (path: string, file: string) => ignoreCovers({ rule: "r", path, by: "octocat" }, finding("r", file));
    expect(covers("apps/**", "apps/web/deployment.yaml")).toBe(true);
    expect(covers("apps/*.yaml", "apps/web/deployment.yaml")).toBe(false);
    expect(covers("legacy", "legacy/old/deployment.yaml")).toBe(true);
    expect(covers("legacy", "legacy-new/deployment.yaml")).toBe(false);
    expect(covers("apps/web/deployment.yaml", "apps/web/deployment.yaml")).toBe(true);
    expect(covers(".github/**", ".github/workflows/ci.yml")).toBe(true);
  });

  it("withoutIgnored keeps the findings no ignore covers, in order", () => {
    const findings = [finding("a", "x/1.yaml"), finding("b", "x/2.yaml"), finding("a", "y/3.yaml")];
    expect(withoutIgnored(findings, [{ rule: "a", path: "x", by: "octocat" }])).toEqual([findings[1], findings[2]]);
  });
});
