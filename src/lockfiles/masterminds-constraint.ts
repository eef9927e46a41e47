/**
 * Version constraints as Helm reads them: Masterminds semver v3, which is not
 * npm's `semver`. A comma and a space both mean AND, `||` means OR, `!=`
 * exists, `x`/`X`/`*` are wildcards, `~1` and `~1.x` keep the major, `^0.0`
 * keeps the minor, and a comparator whose version has no prerelease never
 * matches a prerelease version (npm lets a prerelease through when another
 * comparator of the set has one on the same major.minor.patch).
 */
import semver from "semver";

export interface MastermindsVersion {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Masterminds' NewVersion (the lenient one Helm uses): `v` prefix and missing minor/patch allowed. */
export function parseMastermindsVersion(text: string): MastermindsVersion | undefined {
  const match = VERSION.exec(text);
  if (!match) return undefined;
  const part = (value: string | undefined) => (value === undefined ? 0 : Number(value.replace(/^\./, "")));
  const prerelease = match[4] ?? "";
  // Numeric prerelease identifiers may not have leading zeros.
  if (prerelease.split(".").some((id) => /^0[0-9]+$/.test(id))) return undefined;
  return { major: part(match[1]), minor: part(match[2]), patch: part(match[3]), prerelease };
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const left = a.split(".");
  const right = b.split(".");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] === undefined) return -1;
    if (right[i] === undefined) return 1;
    const order = semver.compareIdentifiers(left[i]!, right[i]!);
    if (order !== 0) return order;
  }
  return 0;
}

/** Masterminds' Version.Compare (build metadata ignored). */
export function compareMastermindsVersions(a: MastermindsVersion, b: MastermindsVersion): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) || comparePrerelease(a.prerelease, b.prerelease);
}

interface Comparator {
  op: string;
  con: MastermindsVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CV_PLAIN = CV.replace(/\((?!\?)/g, "(?:");
const RANGE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, "g");
const FIND = new RegExp(String.raw`(?:${OPS})\s*(?:${CV_PLAIN})`, "g");
const VALID = new RegExp(String.raw`^(?:\s*(?:${OPS})\s*(?:${CV_PLAIN})\s*)(?:(?:\s+|,\s*)(?:${OPS})\s*(?:${CV_PLAIN})\s*)*$`);
const ONE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const isX = (part: string | undefined) => part === "x" || part === "X" || part === "*";

function parseComparator(text: string): Comparator | undefined {
  const m = ONE.exec(text);
  if (!m) return undefined;
  const [, op = "", , major = "", minor = "", patch = "", pre = ""] = m;
  let version = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === "") {
    version = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, "")) || minor === "") {
    version = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (isX(patch.replace(/^\./, "")) || patch === "") {
    version = `${major}${minor}.0${pre}`;
    dirty = patchDirty = true;
  }
  const con = parseMastermindsVersion(version);
  return con && { op, con, dirty, minorDirty, patchDirty };
}

/** Masterminds' NewConstraint: OR groups of AND comparators, or undefined when it does not parse (an empty string does not). */
export function parseMastermindsConstraint(text: string): Comparator[][] | undefined {
  let rewritten = text;
  for (const match of text.matchAll(RANGE)) rewritten = rewritten.replace(match[0], `>= ${match[1]}, <= ${match[11]}`);
  const groups: Comparator[][] = [];
  for (const group of rewritten.split("||")) {
    if (!VALID.test(group)) return undefined;
    const parts = group.match(FIND) ?? [group];
    const comparators = parts.map(parseComparator);
    if (comparators.some((c) => c === undefined)) return undefined;
    groups.push(comparators as Comparator[]);
  }
  return groups;
}

function tilde(v: MastermindsVersion, c: Comparator): boolean {
  if (compareMastermindsVersions(v, c.con) < 0) return false;
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  return v.minor === c.con.minor || c.minorDirty;
}

function caret(v: MastermindsVersion, c: Comparator): boolean {
  if (compareMastermindsVersions(v, c.con) < 0) return false;
  if (c.con.major > 0 || c.minorDirty) return v.major === c.con.major;
  if (v.major > 0) return false;
  if (c.con.minor > 0 || c.patchDirty) return v.minor === c.con.minor;
  if (v.minor > 0) return false;
  return v.patch === c.con.patch;
}

function notEqual(v: MastermindsVersion, c: Comparator): boolean {
  if (c.dirty) {
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) return (v.prerelease !== "" || c.con.prerelease !== "") && comparePrerelease(v.prerelease, c.con.prerelease) !== 0;
  }
  return compareMastermindsVersions(v, c.con) !== 0;
}

function greaterThan(v: MastermindsVersion, c: Comparator): boolean {
  if (!c.dirty) return compareMastermindsVersions(v, c.con) > 0;
  if (v.major !== c.con.major) return v.major > c.con.major;
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.con.minor;
  return compareMastermindsVersions(v, c.con) > 0;
}

function lessThanEqual(v: MastermindsVersion, c: Comparator): boolean {
  if (!c.dirty) return compareMastermindsVersions(v, c.con) <= 0;
  if (v.major > c.con.major) return false;
  return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
}

function satisfiesComparator(v: MastermindsVersion, c: Comparator): boolean {
  // A prerelease only matches a comparator that names one (Masterminds issue 21); `!=` checks this only for wildcards.
  if (v.prerelease !== "" && c.con.prerelease === "" && (c.op !== "!=" || c.dirty)) return false;
  switch (c.op) {
    case "":
    case "=":
      return c.dirty ? tilde(v, c) : compareMastermindsVersions(v, c.con) === 0;
    case "!=":
      return notEqual(v, c);
    case ">":
      return greaterThan(v, c);
    case "<":
      return compareMastermindsVersions(v, c.con) < 0;
    case ">=":
    case "=>":
      return compareMastermindsVersions(v, c.con) >= 0;
    case "<=":
    case "=<":
      return lessThanEqual(v, c);
    case "~":
    case "~>":
      return tilde(v, c);
    default:
      return caret(v, c);
  }
}

/**
 * Whether `version` satisfies `constraint` as Helm decides it; undefined when
 * either does not parse (Helm refuses the chart then).
 */
export function mastermindsSatisfies(version: string, constraint: string): boolean | undefined {
  const v = parseMastermindsVersion(version);
  const groups = parseMastermindsConstraint(constraint);
  if (!v || !groups) return undefined;
  return groups.some((group) => group.every((c) => satisfiesComparator(v, c)));
}
