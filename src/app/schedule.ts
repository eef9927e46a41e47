import cron, { type Logger as CronLogger } from "node-cron";
import type { Logger } from "pino";
import type { Probot } from "probot";
import { EtagCache } from "../github/conditional-request.js";
import { sweepInstallations, type SweepReport } from "../github/sweep.js";
import type { RegistryClientOptions } from "../registry/types.js";
import type { Rule } from "../rules/types.js";
import type { ScanQueue } from "./queue.js";

/** When the sweep runs unless SHIPSHAPE_SCHEDULE says otherwise: daily at 03:00 UTC. */
export const DEFAULT_SWEEP_SCHEDULE = "0 3 * * *";

export interface ScheduleOptions {
  catalog: readonly Rule[];
  queue: ScanQueue;
  log: Logger;
  registry: RegistryClientOptions;
  /** A cron expression (UTC), or "off"; default SHIPSHAPE_SCHEDULE, else DEFAULT_SWEEP_SCHEDULE. */
  expression?: string;
  /** Repositories checked at once per installation; default 4. */
  concurrency?: number;
}

export interface Schedule {
  /** Stops the cron; a sweep under way finishes. */
  stop(): void;
  /** One sweep, as the cron runs it (tests call it directly); `now` is the sweep's time (default: now). */
  tick(now?: Date): Promise<SweepReport>;
}

/**
 * Scheduled scans: on the cron, every repository of every installation is
 * checked and those that changed since their last scan are queued. Sweeps
 * never overlap: a tick while one is running does nothing but say so. The
 * ETags of the sweeps' requests are the only thing kept between them, in
 * memory.
 */
export function startSchedule(app: Probot, options: ScheduleOptions): Schedule {
  const expression = sweepScheduleOf(options.expression);
  const etags = new EtagCache();
  let running: Promise<SweepReport> | undefined;

  const tick = async (now: Date = new Date()): Promise<SweepReport> => {
    if (running) {
      options.log.info({ at: now.toISOString() }, "scheduled sweep skipped: the previous sweep is still running");
      return { startedAt: now.toISOString(), skipped: "the previous sweep is still running", installations: [], calls: 0 };
    }
    options.log.info({ at: now.toISOString() }, "scheduled sweep started");
    const sweep = sweepInstallations(app, { ...options, etags, now });
    running = sweep;
    try {
      return await sweep;
    } finally {
      running = undefined;
    }
  };

  if (expression === "off") {
    options.log.info("scheduled sweeps off (SHIPSHAPE_SCHEDULE=off)");
    return { stop: () => {}, tick };
  }
  const task = cron.schedule(
    expression,
    (context) => {
      // The minute the cron fired for, not when the callback ran: repositories' schedules are judged at it.
      tick(context.date).catch((error: unknown) => options.log.error({ err: error }, "scheduled sweep failed"));
    },
    { timezone: "Etc/UTC", name: "shipshape-sweep", logger: cronLogger(options.log) },
  );
  options.log.info({ schedule: expression }, "scheduled sweeps on");
  return {
    stop: () => void task.destroy(),
    tick,
  };
}

/**
 * The sweep's cron expression: `expression`, else SHIPSHAPE_SCHEDULE, else
 * the default; "off" for none (with several replicas, one sweeps). A bad one
 * stops the app with a clear error.
 */
export function sweepScheduleOf(expression: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = (expression ?? env["SHIPSHAPE_SCHEDULE"] ?? "").trim() || DEFAULT_SWEEP_SCHEDULE;
  if (chosen.toLowerCase() === "off") return "off";
  if (!cron.validate(chosen)) {
    throw new Error(`SHIPSHAPE_SCHEDULE: "${chosen}" is not a cron expression; write minute hour day-of-month month day-of-week in UTC, e.g. "${DEFAULT_SWEEP_SCHEDULE}" (daily at 03:00)`);
  }
  return chosen;
}

function cronLogger(log: Logger): CronLogger {
  return {
    info: (message) => log.debug({ component: "node-cron" }, message),
    warn: (message) => log.warn({ component: "node-cron" }, message),
    error: (message, error) => log.error({ component: "node-cron", err: error ?? message }, String(message)),
    debug: (message) => log.debug({ component: "node-cron" }, String(message)),
  };
}
