import type { Logger } from "pino";
import type { Probot } from "probot";
import { DASHBOARD_LABEL } from "../github/dashboard-state.js";
import { tickedActions } from "../github/dashboard-text.js";
import { scanRepository, type ScanRepositoryOptions } from "../github/scan-repository.js";
import type { RegistryClientOptions } from "../registry/types.js";
import type { Rule } from "../rules/types.js";
import type { ScanQueue } from "./queue.js";
import { RequestedScans } from "./requested-scans.js";

export interface DashboardEventDeps {
  catalog: readonly Rule[];
  queue: ScanQueue;
  log: Logger;
  registry: RegistryClientOptions;
}

/**
 * The dashboard's checkboxes: a person ticking "Rescan now" queues a scan of
 * the repository, and ticking "Open a pull request for `rule`" queues one
 * that opens that rule's pull request even where a limit or a closed pull
 * request would hold it back (`forceRules`). Only boxes that went from
 * unticked to ticked in this edit count, and only in the dashboard (the
 * labelled issue an app opened). Edits by bots are left alone: Shipshape's
 * own updates of the dashboard send this event too. The scan's new body
 * unticks the boxes.
 */
export function registerDashboardEvents(app: Probot, deps: DashboardEventDeps): void {
  const known = new Set(deps.catalog.map((rule) => rule.id));
  const requested = new RequestedScans();
  app.on("issues.edited", async (context) => {
    const { payload } = context;
    const { issue } = payload;
    if (payload.sender.type === "Bot") return;
    if (issue.pull_request !== undefined || issue.user?.type !== "Bot" || !(issue.labels ?? []).some((label) => label.name === DASHBOARD_LABEL)) return;
    const before = payload.changes.body?.from;
    if (before === undefined || before === null) return;
    const ticked = tickedActions(before, issue.body ?? "");
    // A rule id people typed into the body themselves is not one Shipshape offered.
    const forceRules = ticked.openPullRequestFor.filter((rule) => known.has(rule));
    if (!ticked.rescan && forceRules.length === 0) return;

    const repository = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const fullName = `${repository.owner}/${repository.repo}`;
    deps.log.info({ repository: fullName, issue: issue.number, by: payload.sender.login, rescan: ticked.rescan, forceRules }, "dashboard box ticked");
    const installation = String(payload.installation?.id ?? "none");
    const scanWith = async (options: ScanRepositoryOptions) => {
      const report = await scanRepository(context.octokit, repository, deps.catalog, { registry: deps.registry, ...options });
      deps.log.info({ report }, "scan finished");
    };
    if (forceRules.length === 0) {
      // The same key as the app's own scans: a scan already waiting for the repository is this one.
      deps.queue.enqueue(installation, fullName, () => scanWith({}));
      return;
    }
    // A forced scan is a job of its own, so its rules are not lost to a plain scan's rerun; boxes ticked while it
    // waits (or runs) are merged into it (or its one rerun). A forced scan is a full scan: "Rescan now" rides along.
    requested.add(fullName, { forceRules });
    deps.queue.enqueue(installation, `${fullName}#dashboard`, async () => {
      for (const options of requested.take(fullName)) await scanWith(options);
    });
  });
}
