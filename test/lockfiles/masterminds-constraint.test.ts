import semver from "semver";
import { describe, expect, it } from "vitest";
import { mastermindsSatisfies } from "../../src/lockfiles/masterminds-constraint.js";

/** [version, constraint, Masterminds (Helm) answer, npm semver's answer (undefined: npm cannot read it)] */
const DIFFERENCES: Array<[string, string, boolean, boolean | undefined, string]> = [
  ["1.5.0", ">=1.0.0, <2.0.0", true, undefined, "a comma means AND (npm cannot read it)"],
  ["2.5.0", ">=1.0.0, <2.0.0", false, undefined, "…and both sides of it apply"],
  ["1.2.4", "!=1.2.3", true, undefined, "!= exists"],
  ["1.2.3", "!=1.2.3", false, undefined, "…and excludes"],
  ["1.3.0", "!=1.2.x", true, undefined, "!= with a wildcard"],
  ["1.2.9", "!=1.2.x", false, undefined, "…excludes the whole minor"],
  ["1.2.3-beta", ">=1.2.3-alpha <1.3.0", false, true, "every comparator must name a prerelease for a prerelease to match"],
  ["1.2.3-beta", ">=1.2.3-alpha <1.3.0-0", true, true, "…which both do here"],
  ["1.0.0-rc.1", "*", false, false, "a wildcard never matches a prerelease"],
  ["1.2.4", "=>1.2.3", true, undefined, "=> is >="],
  ["1.2.3", "=<1.2.3", true, undefined, "=< is <="],
  ["1.9.0", "~>1", true, true, "~> is ~"],
  ["1.2.4-beta", "!=1.2.3", true, undefined, "!= of an exact version lets prereleases through"],
  ["1.2.4-beta", "!=1.3.x", false, undefined, "…but not != of a wildcard"],
  ["1.2.0", "1.2 - 1.4.5", true, true, "hyphen ranges"],
  ["1.4.6", "1.2 - 1.4.5", false, false, "…inclusive of the upper bound only as written"],
  ["1.4.9", "1.2 - 1.4", true, true, "an x-less partial upper bound keeps its minor (npm: <1.5.0-0)"],
  ["1.2.3-alpha.1", "1.2.3-alpha.x", false, false, "x is a wildcard in the version parts only"],
  ["2.0.0", ">1", true, true, ">1 needs the next major"],
  ["1.9.0", ">1", false, false, "…so 1.9.0 is not >1"],
  ["1.3.0", ">1.2", true, true, ">1.2 needs the next minor"],
  ["1.2.9", ">1.2", false, false, "…as npm"],
  ["1.9.9", "<=1.2", false, false, "<=1.2 stops at 1.2.x"],
  ["1.2.9", "<=1.2", true, true, "…and includes it"],
  ["0.0.5", "^0.0", true, true, "^0.0 keeps the minor"],
  ["0.1.0", "^0.0", false, false, "…so 0.1.0 is out"],
  ["0.0.4", "^0.0.3", false, false, "^0.0.3 is exactly 0.0.3"],
  ["0.2.9", "^0.2", true, true, "^0.2 keeps the minor"],
  ["1.3.0", "~1.2", false, false, "~1.2 keeps the minor"],
  ["1.2.0", "~1.2.x", true, true, "~1.2.x is ~1.2"],
  ["1.9.0", "~1", true, true, "~1 keeps the major"],
  ["17.3.1", "~17.4.0", false, false, "the issue's example"],
  ["1.2.3", "v1.2.3", true, true, "a v prefix"],
  ["1.2.3", ">= 1.2.3", true, true, "space between operator and version"],
  ["1.2.3", "1.2.3 || 2.x", true, true, "|| is OR"],
  ["2.7.0", "1.2.3 || 2.x", true, true, "…either side"],
];

describe("Masterminds constraints (as Helm reads Chart.yaml versions)", () => {
  it.each(DIFFERENCES)("%s against %j is %s (npm: %s): %s", (version, constraint, masterminds, npm) => {
    expect(mastermindsSatisfies(version, constraint)).toBe(masterminds);
    const range = semver.validRange(constraint);
    expect(range === null ? undefined : semver.satisfies(version, range)).toBe(npm);
  });

  it("refuses what Masterminds refuses: an empty constraint, garbage, a bad version", () => {
    expect(mastermindsSatisfies("1.2.3", "")).toBeUndefined();
    expect(mastermindsSatisfies("1.2.3", "not a version")).toBeUndefined();
    expect(mastermindsSatisfies("1.2.3", ">=1.0 ||")).toBeUndefined();
    expect(mastermindsSatisfies("latest", ">=1.0")).toBeUndefined();
  });
});
