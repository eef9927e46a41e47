import { parseIndexFile } from "../src/helm-repos/index-file.js";

/**
 * `npm run bench:helm-index`: how long reading a large chart repository index takes. Bitnami's index.yaml holds
 * about 150 charts with hundreds of versions each (tens of MB); this one is generated to that shape, with the
 * fields Helm writes for every version, and read as YAML and as JSON (Helm accepts both).
 */
const CHARTS = 150;
const VERSIONS = 200;
const RUNS = 3;

function entry(chart: string, version: string): string {
  return [
    `  - annotations:`,
    `      category: Database`,
    `      licenses: Apache-2.0`,
    `    apiVersion: v2`,
    `    appVersion: 7.${version}`,
    `    created: "2026-10-01T12:00:00.123456789Z"`,
    `    dependencies:`,
    `      - name: common`,
    `        repository: oci://registry-1.docker.io/bitnamicharts`,
    `        tags: [bitnami-common]`,
    `        version: 2.x.x`,
    `    description: ${chart} is an open source, advanced key-value store, used as a database, cache and message broker.`,
    `    digest: ${"ab".repeat(32)}`,
    `    home: https://bitnami.com`,
    `    icon: https://bitnami.com/assets/stacks/${chart}/img/${chart}-stack-220x234.png`,
    `    keywords: [${chart}, keyvalue, database]`,
    `    maintainers:`,
    `      - name: Broadcom, Inc. All Rights Reserved.`,
    `        url: https://github.com/bitnami/charts`,
    `    name: ${chart}`,
    `    sources: [https://github.com/bitnami/charts/tree/main/bitnami/${chart}]`,
    `    urls:`,
    `      - https://charts.bitnami.com/bitnami/${chart}-${version}.tgz`,
    `    version: ${version}`,
  ].join("\n");
}

function generateIndex(): string {
  const lines = ["apiVersion: v1", "entries:"];
  for (let c = 0; c < CHARTS; c++) {
    const chart = `chart-${c}`;
    lines.push(`  ${chart}:`);
    for (let v = 0; v < VERSIONS; v++) lines.push(entry(chart, `${Math.floor(v / 40)}.${Math.floor(v / 8) % 5}.${v % 8}`));
  }
  lines.push(`generated: "2026-11-20T00:00:00Z"`, "");
  return lines.join("\n");
}

function time(label: string, text: string): void {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const parsed = parseIndexFile(text);
    runs.push(performance.now() - started);
    if (!parsed.ok || parsed.index.size !== CHARTS) throw new Error(`${label}: the index did not read back (${parsed.ok ? parsed.index.size : parsed.reason})`);
  }
  runs.sort((a, b) => a - b);
  const mb = (Buffer.byteLength(text) / (1024 * 1024)).toFixed(1);
  process.stdout.write(`${label}: ${CHARTS} charts × ${VERSIONS} versions, ${mb} MB: median ${Math.round(runs[Math.floor(RUNS / 2)] ?? 0)} ms (runs: ${runs.map(Math.round).join(", ")} ms)\n`);
}

const yamlIndex = generateIndex();
time("index.yaml (YAML)", yamlIndex);
const parsed = parseIndexFile(yamlIndex);
if (parsed.ok) {
  // The same index as JSON, which Helm also accepts and some repositories serve.
  const { parse } = await import("yaml");
  time("index.yaml (JSON)", JSON.stringify(parse(yamlIndex)));
}
