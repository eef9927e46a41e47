import { writeSync } from "node:fs";

/** Preloaded with --import: prints the process's peak memory when it exits, for the benchmark to read. */
process.on("exit", () => {
  writeSync(2, `\nSHIPSHAPE_BENCH ${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
