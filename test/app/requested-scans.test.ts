import { describe, expect, it } from "vitest";
import { RequestedScans } from "../../src/app/requested-scans.js";

describe("RequestedScans", () => {
  it("gives nothing when nothing was asked", () => {
    expect(new RequestedScans().take("o/r")).toEqual([]);
  });

  it("merges forced rules into one scan, once each, and forgets them once taken", () => {
    const requests = new RequestedScans();
    requests.add("o/r", { forceRules: ["b", "a"] });
    requests.add("o/r", { forceRules: ["a", "c"] });
    expect(requests.take("o/r")).toEqual([{ forceRules: ["a", "b", "c"] }]);
    expect(requests.take("o/r")).toEqual([]);
  });

  it("makes one scan per branch to rebuild, each forcing the rules asked for", () => {
    const requests = new RequestedScans();
    requests.add("o/r", { rebuild: "shipshape/b" });
    requests.add("o/r", { forceRules: ["x"] });
    requests.add("o/r", { rebuild: "shipshape/a" });
    requests.add("o/r", { rebuild: "shipshape/b" });
    expect(requests.take("o/r")).toEqual([
      { forceRules: ["x"], rebuild: "shipshape/a" },
      { forceRules: ["x"], rebuild: "shipshape/b" },
    ]);
  });

  it("keeps repositories apart", () => {
    const requests = new RequestedScans();
    requests.add("o/one", { forceRules: ["x"] });
    requests.add("o/two", { rebuild: "shipshape/y" });
    expect(requests.take("o/two")).toEqual([{ rebuild: "shipshape/y" }]);
    expect(requests.take("o/one")).toEqual([{ forceRules: ["x"] }]);
  });
});
