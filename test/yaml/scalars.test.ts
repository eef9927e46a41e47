import { describe, expect, it } from "vitest";
import { resolvePlainScalar } from "../../src/yaml/scalars.js";

describe("resolvePlainScalar (YAML 1.2 core schema)", () => {
  it.each(["", "~", "null", "Null", "NULL"])("resolves %j to null", (text) => {
    expect(resolvePlainScalar(text)).toBeNull();
  });

  it.each([
    ["true", true],
    ["True", true],
    ["TRUE", true],
    ["false", false],
    ["False", false],
    ["FALSE", false],
  ])("resolves %j to the boolean %s", (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each([
    ["0", 0],
    ["42", 42],
    ["-17", -17],
    ["+8", 8],
    ["007", 7],
    ["0o17", 15],
    ["0x1F", 31],
    ["0xff", 255],
  ])("resolves the integer %j to %d", (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each([
    ["1.5", 1.5],
    ["-0.25", -0.25],
    [".5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["2.5E-2", 0.025],
    ["+1.0e+2", 100],
  ])("resolves the float %j to %d", (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each([
    [".inf", Infinity],
    [".Inf", Infinity],
    ["+.INF", Infinity],
    ["-.inf", -Infinity],
  ])("resolves %j to %d", (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each([
    ["yes", true], ["Yes", true], ["YES", true], ["on", true], ["ON", true], ["y", true], ["Y", true],
    ["no", false], ["No", false], ["NO", false], ["off", false], ["Off", false], ["n", false], ["N", false],
  ])("resolves the YAML 1.1 boolean %j to %s, as Kubernetes' YAML reader does", (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each([".nan", ".NaN", ".NAN"])("resolves %j to NaN", (text) => {
    expect(resolvePlainScalar(text)).toBeNaN();
  });

  it.each([
    // case variants the core schema does not list
    "nULL", "tRUE", "fALSE",
    // almost-numbers
    "0x", "0o8", "0O17", "-0x1F", "0b101", "1_000", "1:30", "2024-01-01", "1.2.3", "12abc", "1e", "e3", "+", "-", ".",
    // special floats the core schema spells differently
    "-.nan", "+.nan", "Infinity", "NaN", ".infinity",
    // ordinary words and image tags
    "v1", "nginx", "latest",
  ])("keeps %j as a string", (text) => {
    expect(resolvePlainScalar(text)).toBe(text);
  });
});
