/** Run in a fresh process: times each phase of a scan, cold, as the CLI meets them. */
const started = performance.now();
const { loadRules } = await import("../src/rules/load.js");
const { activeRules } = await import("../src/config/resolve.js");
const { DEFAULT_LIMITS } = await import("../src/config/types.js");
const { loadWorkspace } = await import("../src/workspace/load.js");
const { parseWorkspace } = await import("../src/scan/parse-workspace.js");
const { runRules } = await import("../src/scan/scan.js");
const { formatJson } = await import("../src/report/json.js");
const { summarise } = await import("../src/report/summary.js");
const imported = performance.now();

const rules = activeRules(loadRules(), {});
const rulesLoaded = performance.now();
const files = loadWorkspace(process.argv[2] ?? ".", { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] });
const read = performance.now();
const workspace = parseWorkspace(files, DEFAULT_LIMITS);
const parsed = performance.now();
const findings = runRules(workspace, rules);
const checked = performance.now();
const stats = { files: workspace.files.length, resources: workspace.resources.length };
const result = { findings, stats, workspace, lookups: [], chartLookups: [], now: new Date() };
formatJson(result, summarise(result, "high"));
const reported = performance.now();

const round = (ms: number) => Math.round(ms);
process.stdout.write(
  `${JSON.stringify({
    importMs: round(imported - started),
    rulesMs: round(rulesLoaded - imported),
    readMs: round(read - rulesLoaded),
    parseMs: round(parsed - read),
    checkMs: round(checked - parsed),
    reportMs: round(reported - checked),
    findings: findings.length,
  })}\n`,
);
