import type { ApplicationFunction, Context, Probot } from "probot";
import { scanRepository } from "../github/scan-repository.js";
import type { GitHubClient } from "../github/octokit.js";
import type { RegistryClientOptions } from "../registry/types.js";
import { loadRules } from "../rules/load.js";
import { registerCommands } from "./command-events.js";
import { registerDashboardEvents } from "./dashboard-events.js";
import { healthHandler, readinessFromEnv } from "./health.js";
import { registerPullRequestChecks } from "./pull-request-check-events.js";
import { redactingLogger } from "./logger.js";
import { ScanQueue } from "./queue.js";
import { startSchedule } from "./schedule.js";

export interface ShipshapeAppOptions {
  /** Tests pass their own to wait for scans to finish. */
  queue?: ScanQueue;
  /** How registries are asked for digests; defaults from the environment (SHIPSHAPE_OFFLINE=true never asks). */
  registry?: RegistryClientOptions;
  /** The sweep's cron expression; defaults to SHIPSHAPE_SCHEDULE, else daily at 03:00 UTC; "off" runs none. */
  schedule?: string;
}

interface RepositoryRef {
  owner: string;
  repo: string;
}

/**
 * The GitHub App. Installs, added repositories, pushes to a default branch
 * and a scheduled sweep queue a scan; the scan reads the commit, fixes what
 * it can, keeps one pull request per group of fixes up to date and the
 * dashboard issue current. Comment commands steer it, and every pull request
 * gets a check of the findings it adds.
 */
export function createShipshapeApp(options: ShipshapeAppOptions = {}): ApplicationFunction {
  return (app: Probot, { addHandler }) => {
    const log = redactingLogger(app.log);
    const catalog = loadRules();
    const queue = options.queue ?? new ScanQueue(log);
    const registry: RegistryClientOptions = options.registry ?? { offline: process.env["SHIPSHAPE_OFFLINE"] === "true", log: (message) => log.warn(message) };
    const sweeps = startSchedule(app, { catalog, queue, log, registry, ...(options.schedule !== undefined ? { expression: options.schedule } : {}) });
    if (!options.queue) stopOnSigterm(queue, sweeps, log);
    try {
      addHandler(healthHandler(readinessFromEnv(process.env, () => true)));
    } catch {
      log.debug("no HTTP server (serverless or test): /healthz and /readyz are not served");
    }

    const schedule = (octokit: GitHubClient, installation: number | undefined, repository: RepositoryRef) => {
      queue.enqueue(String(installation ?? "none"), `${repository.owner}/${repository.repo}`, async () => {
        const report = await scanRepository(octokit, repository, catalog, { registry });
        log.info({ report }, "scan finished");
      });
    };
    const fromFullName = (fullName: string): RepositoryRef => {
      const [owner = "", repo = ""] = fullName.split("/");
      return { owner, repo };
    };

    app.on("installation.created", async (context) => {
      for (const repository of context.payload.repositories ?? []) schedule(context.octokit, context.payload.installation.id, fromFullName(repository.full_name));
    });
    app.on("installation_repositories.added", async (context) => {
      for (const repository of context.payload.repositories_added) schedule(context.octokit, context.payload.installation.id, fromFullName(repository.full_name));
    });
    app.on("push", async (context: Context<"push">) => {
      const { payload } = context;
      if (payload.deleted || payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
      schedule(context.octokit, payload.installation?.id, fromFullName(payload.repository.full_name));
    });

    registerCommands(app, { catalog, queue, log, registry });
    registerDashboardEvents(app, { catalog, queue, log, registry });
    registerPullRequestChecks(app, { catalog, queue, log });
  };
}

/** Containers stop with SIGTERM, which Node ignores as PID 1: finish queued scans (briefly), then exit. */
function stopOnSigterm(queue: ScanQueue, sweeps: { stop(): void }, log: { info(message: string): void }): void {
  process.once("SIGTERM", () => {
    sweeps.stop();
    log.info("SIGTERM: finishing queued scans before exiting");
    const grace = new Promise((resolve) => setTimeout(resolve, SIGTERM_GRACE_MS).unref());
    void Promise.race([queue.idle(), grace]).finally(() => process.exit(0));
  });
}

const SIGTERM_GRACE_MS = 20_000;

export default createShipshapeApp();
