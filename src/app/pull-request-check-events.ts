import type { Logger } from "pino";
import type { Probot } from "probot";
import type { GitHubClient } from "../github/octokit.js";
import { CHECK_NAME, runPullRequestCheck, type PullRequestCheckTarget } from "../github/pull-request-check.js";
import type { Rule } from "../rules/types.js";
import type { ScanQueue } from "./queue.js";

export interface PullRequestCheckDeps {
  catalog: readonly Rule[];
  queue: ScanQueue;
  log: Logger;
}

/**
 * The Shipshape check on pull requests: opened, pushed to (synchronize) or
 * reopened, and again when someone re-runs the check. Each check goes through
 * the queue, keyed by pull request and head commit, so a re-run that arrives
 * while the same check runs happens once afterwards. An installation's checks
 * run one at a time in a lane of their own, so a pull request does not wait
 * for a long scan of a default branch to finish.
 */
export function registerPullRequestChecks(app: Probot, deps: PullRequestCheckDeps): void {
  const { catalog, queue, log } = deps;
  const schedule = (octokit: GitHubClient, installation: number | undefined, target: PullRequestCheckTarget) => {
    const key = `${target.repository.owner}/${target.repository.repo}#${target.number}@${target.headSha}`;
    queue.enqueue(`${installation ?? "none"}/checks`, key, async () => {
      const report = await runPullRequestCheck(octokit, target, catalog, log);
      log.info({ check: report }, "pull request check finished");
    });
  };

  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const { payload } = context;
    const pull = payload.pull_request;
    schedule(context.octokit, payload.installation?.id, {
      // The base repository: it serves the head commit of a pull request from a fork too.
      repository: { owner: payload.repository.owner.login, repo: payload.repository.name },
      number: pull.number,
      headSha: pull.head.sha,
      baseRef: pull.base.ref,
      baseSha: pull.base.sha,
    });
  });

  app.on("check_run.rerequested", async (context) => {
    const { payload } = context;
    const run = payload.check_run;
    if (run.name !== CHECK_NAME) return;
    const appId = await ownAppId(context.octokit);
    if (appId === undefined || run.app?.id !== appId) return;
    const repository = { owner: payload.repository.owner.login, repo: payload.repository.name };
    let pull: { number: number; baseRef: string; baseSha: string } | undefined;
    const listed = run.pull_requests[0];
    if (listed) {
      pull = { number: listed.number, baseRef: listed.base.ref, baseSha: listed.base.sha };
    } else if (/^[1-9][0-9]*$/.test(run.external_id ?? "")) {
      // GitHub lists no pull request for a fork's commit; the check run was created with its number.
      try {
        const { data } = await context.octokit.rest.pulls.get({ ...repository, pull_number: Number(run.external_id) });
        if (data.state === "open") pull = { number: data.number, baseRef: data.base.ref, baseSha: data.base.sha };
      } catch (error) {
        log.warn({ err: error, repository: `${repository.owner}/${repository.repo}`, checkRun: run.id }, "re-run check: pull request not found");
        return;
      }
    }
    if (!pull) {
      log.info({ repository: `${repository.owner}/${repository.repo}`, checkRun: run.id }, "re-run check: no open pull request for this commit");
      return;
    }
    schedule(context.octokit, payload.installation?.id, { repository, ...pull, headSha: run.head_sha });
  });
}

/** This app's id, which the installation's client knows without asking GitHub (it signs the app's JWTs). */
async function ownAppId(octokit: GitHubClient): Promise<number | undefined> {
  try {
    const auth = (await octokit.auth({ type: "app" })) as { appId?: unknown };
    return typeof auth.appId === "number" ? auth.appId : undefined;
  } catch {
    return undefined;
  }
}
