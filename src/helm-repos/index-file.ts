/**
 * A chart repository's index.yaml, read the way Helm reads it (pkg/repo/index.go): JSON when it is valid JSON, else
 * YAML; an empty file or one without `apiVersion` refused; each chart's versions sorted newest first by Masterminds
 * semver (SortEntries), versions that do not parse at the back.
 */
import { FAILSAFE_SCHEMA, load } from "js-yaml";
import { compareMastermindsVersions, parseMastermindsVersion, type MastermindsVersion } from "../lockfiles/masterminds-constraint.js";

/** The charts of an index and their versions (only entries with download URLs), newest first. */
export type IndexFile = ReadonlyMap<string, readonly string[]>;

export type IndexFileResult = { ok: true; index: IndexFile } | { ok: false; reason: string };

const MAX_DETAIL_CHARS = 200;

/** Reads index.yaml text; `reason`s describe the file ("index.yaml is not valid YAML (…)"), the caller names chart and repository. */
export function parseIndexFile(text: string): IndexFileResult {
  if (text.trim() === "") return { ok: false, reason: "index.yaml is empty" };
  let document: unknown;
  const json = readJson(text);
  if (json.ok) {
    document = json.value;
  } else {
    try {
      // js-yaml, not the yaml package the scanner uses: it reads a Bitnami-sized index (28 MB) ten times faster
      // (bench/helm-index.bench.ts), and its aliases share one object rather than expanding, so a "billion laughs"
      // index stays small; only each chart's own list is walked. The failsafe schema keeps every scalar a string,
      // so `version: 1.10` stays "1.10" as written, not the number 1.1.
      document = load(text, { schema: FAILSAFE_SCHEMA });
    } catch (error) {
      return { ok: false, reason: `index.yaml is not valid YAML (${detail(error)})` };
    }
  }
  if (!isMap(document)) return { ok: false, reason: "index.yaml is not a map of apiVersion and entries" };
  const apiVersion = document["apiVersion"];
  if (apiVersion === undefined || apiVersion === null || apiVersion === "") return { ok: false, reason: "index.yaml has no apiVersion" };
  const entries = document["entries"];
  if (!isMap(entries)) return { ok: false, reason: "index.yaml has no map of entries" };
  const index = new Map<string, readonly string[]>();
  for (const [chart, versions] of Object.entries(entries)) index.set(chart, sortedVersions(Array.isArray(versions) ? versions : []));
  return { ok: true, index };
}

/**
 * The versions of one chart's entries as Helm's resolver walks them (internal/resolver/resolver.go): entries without
 * `urls` skipped, newest first by Masterminds semver, build metadata ignored; versions that do not parse at the back.
 * Equal versions keep the index's order.
 */
export function sortedVersions(entries: readonly unknown[]): string[] {
  const kept: { text: string; version: MastermindsVersion | undefined; at: number }[] = [];
  entries.forEach((entry, at) => {
    if (!isMap(entry)) return;
    const urls = entry["urls"];
    if (!Array.isArray(urls) || urls.length === 0) return;
    const raw = entry["version"];
    const text = typeof raw === "string" ? raw : typeof raw === "number" ? String(raw) : "";
    kept.push({ text, version: parseMastermindsVersion(text), at });
  });
  kept.sort((a, b) => {
    if (a.version && b.version) return compareMastermindsVersions(b.version, a.version) || a.at - b.at;
    if (a.version) return -1;
    if (b.version) return 1;
    return a.at - b.at;
  });
  return kept.map((entry) => entry.text);
}

function readJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function detail(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const line = typeof message === "string" ? (message.split("\n")[0] ?? "").trim() : "";
  if (line === "") return "unreadable";
  return line.length > MAX_DETAIL_CHARS ? `${line.slice(0, MAX_DETAIL_CHARS)}…` : line;
}
