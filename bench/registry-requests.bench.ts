import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS } from "../src/config/types.js";
import { findImageReferences } from "../src/images/find-references.js";
import { lookUpDigests, lookupKey, lookupOfSite, type ImageLookup } from "../src/pins/lookup.js";
import { createRegistryClient } from "../src/registry/client.js";
import type { FetchFunction } from "../src/registry/types.js";
import { parseWorkspace } from "../src/scan/parse-workspace.js";
import { loadWorkspace } from "../src/workspace/load.js";
import { dockerImage, ociIndex, pushImage, startLocalRegistry, type LocalRegistry } from "../test/registry/local-registry.js";
import { generateImageRepo, type GeneratedImageRepo } from "./generate-images.js";

/**
 * `npm run bench:registry`: how many registry HTTP requests one run makes for a repository with 200 image references
 * to 20 images, against Debian's real `docker-registry` on 127.0.0.1. Each run (fresh client) loads, parses, finds the
 * image sites and looks up their digests; every digest must be the one the push answered.
 */
const RUNS = 3;
const EXPECTED_REFERENCES = 200;
const EXPECTED_IMAGES = 20;

class BenchFailure extends Error {}

interface RunResult {
  references: number;
  /** Distinct tags the client looked up (its stats). */
  lookups: number;
  requests: number;
  requestsByRegistry: Record<string, number>;
  /** Requests as fetch saw them, by method: a cross-check of the client's own count. */
  byMethod: Record<string, number>;
  cacheHits: number;
  scanMs: number;
  lookupMs: number;
  totalMs: number;
}

/** One run as Shipshape does it: load + parse + find sites + look up digests, with a fresh client. */
async function run(repo: GeneratedImageRepo, expected: ReadonlyMap<string, string>, noDockerConfig: string, concurrency: number | undefined): Promise<RunResult> {
  const byMethod: Record<string, number> = {};
  const countingFetch: FetchFunction = (url, init) => {
    const method = init.method ?? "GET";
    byMethod[method] = (byMethod[method] ?? 0) + 1;
    return fetch(url, init);
  };
  const client = createRegistryClient({
    dockerConfigPath: noDockerConfig,
    env: {},
    fetch: countingFetch,
    ...(concurrency !== undefined ? { concurrency } : {}),
  });

  const started = performance.now();
  const files = loadWorkspace(repo.root, { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] });
  const workspace = parseWorkspace(files, DEFAULT_LIMITS);
  const sites = findImageReferences(workspace.files);
  const lookups = sites.map(lookupOfSite).filter((lookup): lookup is ImageLookup => lookup !== undefined);
  const scanned = performance.now();
  const digests = await lookUpDigests(lookups, client);
  const finished = performance.now();

  const problems: string[] = [];
  if (sites.length !== repo.references) problems.push(`found ${sites.length} image references, the generator wrote ${repo.references}`);
  for (const site of sites) {
    if (!site.reference) problems.push(`${site.file}:${site.line}: ${site.image} was not parsed (${site.details.templated ? "templated" : (site.details.malformed ?? "no reference")})`);
  }
  for (const [key, digest] of expected) {
    const result = digests.get(key);
    if (!result) problems.push(`${key} was never looked up`);
    else if (!result.ok) problems.push(`${key}: the look-up failed: ${result.reason}`);
    else if (result.digest !== digest) problems.push(`${key}: looked up ${result.digest}, but the push answered ${digest}`);
  }
  for (const key of digests.keys()) if (!expected.has(key)) problems.push(`${key} was looked up, but the bench pushed no such image`);
  const stats = client.stats();
  const fetched = Object.values(byMethod).reduce((sum, count) => sum + count, 0);
  if (fetched !== stats.requests) problems.push(`the client counted ${stats.requests} requests, fetch was called ${fetched} times`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((problem) => `  - ${problem}`);
    if (problems.length > shown.length) shown.push(`  … and ${problems.length - shown.length} more`);
    throw new BenchFailure(`the run with concurrency ${concurrency ?? "default (4)"} went wrong:\n${shown.join("\n")}`);
  }

  return {
    references: sites.length,
    lookups: stats.lookups,
    requests: stats.requests,
    requestsByRegistry: stats.requestsByRegistry,
    byMethod,
    cacheHits: stats.cacheHits,
    scanMs: scanned - started,
    lookupMs: finished - scanned,
    totalMs: finished - started,
  };
}

const COLUMNS: readonly [string, number][] = [
  ["concurrency", 11],
  ["run", 3],
  ["references", 10],
  ["look-ups", 8],
  ["requests", 8],
  ["HEAD", 4],
  ["GET", 4],
  ["cache hits", 10],
  ["scan ms", 7],
  ["look-up ms", 10],
  ["total ms", 8],
];

function row(cells: readonly string[]): string {
  return cells.map((cell, i) => cell.padStart(COLUMNS[i]![1])).join("  ");
}

function printRun(concurrency: string, index: number, result: RunResult): void {
  const byRegistry = Object.entries(result.requestsByRegistry)
    .map(([registry, count]) => `${registry}=${count}`)
    .join(", ");
  console.log(
    `${row([
      concurrency,
      String(index),
      String(result.references),
      String(result.lookups),
      String(result.requests),
      String(result.byMethod["HEAD"] ?? 0),
      String(result.byMethod["GET"] ?? 0),
      String(result.cacheHits),
      result.scanMs.toFixed(1),
      result.lookupMs.toFixed(1),
      result.totalMs.toFixed(1),
    ])}  ${byRegistry}`,
  );
}

async function main(): Promise<void> {
  const workdir = mkdtempSync(join(tmpdir(), "shipshape-registry-bench-"));
  let registry: LocalRegistry | undefined;
  try {
    registry = await startLocalRegistry();
    const repo = generateImageRepo(join(workdir, "repo"), registry.host);
    if (repo.references !== EXPECTED_REFERENCES || repo.images.length !== EXPECTED_IMAGES) {
      throw new BenchFailure(`the generator wrote ${repo.references} references to ${repo.images.length} images, not ${EXPECTED_REFERENCES} to ${EXPECTED_IMAGES}`);
    }

    // Even images as OCI indexes over linux/amd64 and linux/arm64, odd ones as plain Docker manifests.
    const expected = new Map<string, string>();
    const pushStarted = performance.now();
    for (const [n, image] of repo.images.entries()) {
      const built = n % 2 === 0 ? await ociIndex(`bench ${image.repository}`) : await dockerImage(`bench ${image.repository}`);
      const digest = await pushImage(registry.host, image.repository, image.tag, built);
      expected.set(lookupKey({ registry: registry.host, repository: image.repository, tag: image.tag }), digest);
    }
    const kinds = Object.entries(repo.referencesByKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(", ");
    console.log(`registry: ${registry.host} (docker-registry); pushed ${repo.images.length} images (10 OCI indexes, 10 Docker manifests) in ${(performance.now() - pushStarted).toFixed(0)} ms`);
    console.log(`repository: ${repo.references} references to ${repo.images.length} images: ${kinds}`);
    console.log("");
    console.log(`${row(COLUMNS.map(([name]) => name))}  requests by registry`);

    const noDockerConfig = join(workdir, "no-docker-config.json");
    for (const concurrency of [undefined, 1]) {
      for (let index = 1; index <= RUNS; index += 1) {
        const result = await run(repo, expected, noDockerConfig, concurrency);
        printRun(concurrency === undefined ? "4 (default)" : String(concurrency), index, result);
      }
    }
    console.log("");
    console.log(`every look-up answered the digest the push returned; scan = load + parse + find sites, look-up = lookUpDigests`);
  } finally {
    await registry?.stop();
    rmSync(workdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:registry failed: ${error instanceof BenchFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
