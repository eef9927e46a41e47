import { describe, expect, it } from "vitest";
import { EtagCache, RateBudget } from "../../src/github/conditional-request.js";
import { configFileName, configSourceHash, configSourcesOf, configTextHash } from "../../src/github/scan-inputs.js";

describe("the ETag cache", () => {
  it("keeps at most its size, dropping the entry used longest ago", () => {
    const cache = new EtagCache(2);
    cache.set("a", '"1"', "A");
    cache.set("b", '"2"', "B");
    expect(cache.get("a")).toEqual({ etag: '"1"', value: "A" });
    cache.set("c", '"3"', "C");
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.value).toBe("A");
    expect(cache.get("c")?.value).toBe("C");
  });
});

describe("the rate budget", () => {
  it("keeps a tenth of the hourly allowance, at least 100 requests, and knows nothing until GitHub says", () => {
    const budget = new RateBudget();
    expect(budget.low).toBe(false);
    budget.note({ "x-ratelimit-limit": "15000", "x-ratelimit-remaining": "1600" });
    expect([budget.reserve, budget.low]).toEqual([1500, false]);
    budget.note({ "x-ratelimit-remaining": "1499" });
    expect(budget.low).toBe(true);
    budget.note({ "x-ratelimit-limit": "600", "x-ratelimit-remaining": "120" });
    expect([budget.reserve, budget.low]).toEqual([100, false]);
    budget.note({});
    expect(budget.remaining).toBe(120);
  });
});

describe("config sources", () => {
  const scanned = { owner: "Acme", path: ".github/shipshape.yml" };

  it("hash a file's text as the scan records what Probot's config plugin read", () => {
    // The plugin's files: the repository's own (none), the organisation's (which extends another), the one it extends.
    const files = [
      { owner: "Acme", repo: "web", path: ".github/shipshape.yml", config: null },
      { owner: "Acme", repo: ".github", path: ".github/shipshape.yml", config: { rules: { "image-digest-missing": "off" } } },
      { owner: "acme", repo: "Policies", path: "Shipshape.yml", config: {} },
    ];
    const sources = configSourcesOf(files);
    expect(sources.map((source) => source.file)).toEqual(["acme/.github:.github/shipshape.yml", "acme/policies:Shipshape.yml"]);
    expect(sources[0]?.hash).toBe(configTextHash("# org defaults\n_extends: Policies:Shipshape.yml\nrules:\n  image-digest-missing: \"off\"\n", scanned));
    expect(sources[1]?.hash).toBe(configTextHash("", scanned));
    expect(configFileName({ owner: "ACME", repo: "X", path: "A/B.yml" })).toBe("acme/x:A/B.yml");
  });

  it("tell a missing file, another target and other settings apart; text the plugin would refuse has no hash", () => {
    expect(configTextHash(null, scanned)).toBe(configSourceHash(null, null));
    expect(configTextHash("_extends: other\nrules: {}\n", scanned)).toBe(configSourceHash({ rules: {} }, "acme/other:.github/shipshape.yml"));
    expect(configTextHash("_extends: org2/other:x.yaml\n", scanned)).toBe(configSourceHash({}, "org2/other:x.yaml"));
    expect(configTextHash("rules: {}\n", scanned)).not.toBe(configTextHash("rules: {a: off}\n", scanned));
    expect(configTextHash("rules: [\n", scanned)).toBeUndefined();
    expect(configTextHash("just words\n", scanned)).toBeUndefined();
    expect(configTextHash("_extends: not a repository!\n", scanned)).toBeUndefined();
  });
});
