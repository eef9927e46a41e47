import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRepo, type GeneratedRepo } from "./generate.js";

/**
 * `npm run bench`: wall time, throughput and peak memory of a full
 * `shipshape scan` (process start included) on generated repositories, and
 * where the time goes. Targets (2 cores): 2,000 Deployments < 1 s and
 * < 250 MB; an empty folder < 0.3 s.
 */
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "..", "src", "cli", "main.js");
const usageReporter = join(here, "report-usage.js");
const RUNS = 5;

interface Run {
  ms: number;
  maxRssMb: number;
}

function runCli(dir: string): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, ["--import", usageReporter, cli, "scan", dir, "--format", "json", "--fail-on", "none"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`shipshape scan failed (${child.status}): ${child.stderr}`);
  const usage = /SHIPSHAPE_BENCH (.*)/.exec(child.stderr)?.[1];
  const maxRssKb = usage ? (JSON.parse(usage) as { maxRssKb: number }).maxRssKb : Number.NaN;
  return { ms, maxRssMb: maxRssKb / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measure(label: string, repo: GeneratedRepo | { root: string; bytes: number; files: number }): void {
  runCli(repo.root); // warm the file cache: we measure Shipshape, not the disk
  const runs = Array.from({ length: RUNS }, () => runCli(repo.root));
  const ms = median(runs.map((run) => run.ms));
  const rss = Math.max(...runs.map((run) => run.maxRssMb));
  const mb = repo.bytes / (1024 * 1024);
  const throughput = mb > 0 ? `${(mb / (ms / 1000)).toFixed(1)} MiB/s` : "-";
  console.log(
    `${label.padEnd(34)} ${String(repo.files).padStart(5)} files ${mb.toFixed(2).padStart(6)} MiB  median ${ms.toFixed(0).padStart(5)} ms (min ${Math.min(...runs.map((run) => run.ms)).toFixed(0)})  ${throughput.padStart(10)}  peak RSS ${rss.toFixed(0)} MB`,
  );
}

/** One `--fix --dry-run`: every fix planned, applied as a text edit and verified. */
function measureFix(label: string, repo: GeneratedRepo): void {
  const started = performance.now();
  const child = spawnSync(process.execPath, [cli, "scan", repo.root, "--fix", "--dry-run", "--fail-on", "none"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`shipshape scan --fix failed (${child.status}): ${child.stderr}`);
  const fixes = Number(/fix (\d+) findings?/.exec(child.stderr)?.[1] ?? Number.NaN);
  console.log(`${label.padEnd(34)} ${String(repo.files).padStart(5)} files  ${fixes} fixes in ${ms.toFixed(0)} ms (${(ms / fixes).toFixed(1)} ms a fix)`);
}

function phases(dir: string): void {
  const child = spawnSync(process.execPath, [join(here, "phases.js"), dir], { encoding: "utf8" });
  console.log(`  split (one cold run): ${child.stdout.trim()}`);
}

const workdir = mkdtempSync(join(tmpdir(), "shipshape-bench-"));
try {
  const empty = join(workdir, "empty");
  mkdirSync(empty);
  measure("empty folder (CLI start)", { root: empty, bytes: 0, files: 0 });

  const deployments = generateRepo(join(workdir, "deployments"));
  measure("2,000 Deployments in 200 files", deployments);
  phases(deployments.root);

  const withCrds = generateRepo(join(workdir, "with-crds"), 3);
  measure("same + 3 CRDs of 1 MB", withCrds);
  phases(withCrds.root);

  measureFix("--fix --dry-run, 200 Deployments", generateRepo(join(workdir, "to-fix"), 0, 20));

  // Text fixes are planned for every finding at scan time: many in one file must not parse it once each.
  measure("nginx.conf + ConfigMap + workflow, 2,000 findings each", manyTextFindings(join(workdir, "text-fixes")));
} finally {
  rmSync(workdir, { recursive: true, force: true });
}

/** One nginx.conf, one ConfigMap holding nginx.conf and one workflow, each with 2,000 findings of a rule fixed as text. */
function manyTextFindings(root: string): { root: string; bytes: number; files: number } {
  const servers = (indent: string) => Array.from({ length: 2000 }, (_, i) => `${indent}server { listen 443 ssl; server_name a${i}.example.com; ssl_protocols TLSv1 TLSv1.2; }\n`).join("");
  const files: Record<string, string> = {
    "nginx/nginx.conf": `http {\n${servers("  ")}}\n`,
    "edge.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edge\ndata:\n  nginx.conf: |\n${servers("    ")}`,
    ".github/workflows/ci.yml": `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${Array.from({ length: 2000 }, (_, i) => `      - uses: actions/checkout@v${i}\n`).join("")}`,
  };
  let bytes = 0;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    bytes += Buffer.byteLength(text);
  }
  return { root, bytes, files: Object.keys(files).length };
}
