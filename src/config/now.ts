import { ConfigError } from "./load.js";

/** Where a fixed time may come from, most specific first. */
export interface NowSources {
  /** `--now` on the command line. */
  flag?: string | undefined;
  /** `SHIPSHAPE_NOW` in the environment. */
  env?: string | undefined;
  /** `now:` in the config file. */
  config?: string | undefined;
}

/**
 * The time a scan judges certificates at: `--now`, else SHIPSHAPE_NOW, else
 * the config's `now`, else `clock`. A fixed time makes scans reproducible.
 */
export function resolveNow(sources: NowSources, clock: Date = new Date()): Date {
  const candidates: [string | undefined, string][] = [
    [sources.flag, "--now"],
    [sources.env, "SHIPSHAPE_NOW"],
    [sources.config, "now"],
  ];
  for (const [value, where] of candidates) {
    if (value === undefined || value === "") continue;
    const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) throw new ConfigError(`${where}: "${value}" is not an ISO 8601 time (e.g. 2026-01-01 or 2026-01-01T12:00:00Z)`);
    return new Date(time);
  }
  return clock;
}
