import type { Logger } from "pino";
import type { Context, Probot } from "probot";
import { combinedReply, deniedReply, permissionErrorReply, tooManyReply } from "../github/command-replies.js";
import { parseCommands } from "../github/commands.js";
import type { GitHubClient, RepositoryName } from "../github/octokit.js";
import { commandPermission } from "../github/permissions.js";
import { runCommands, type CommandScan, type CommandSite } from "../github/run-commands.js";
import { scanRepository, type ScanRepositoryOptions } from "../github/scan-repository.js";
import type { RegistryClientOptions } from "../registry/types.js";
import type { Rule } from "../rules/types.js";
import type { ScanQueue } from "./queue.js";
import { RequestedScans } from "./requested-scans.js";

export interface CommandDependencies {
  catalog: readonly Rule[];
  /** The app's scan queue: command scans run in series with the installation's other scans. */
  queue: ScanQueue;
  log: Logger;
  registry: RegistryClientOptions;
}

/** Commands beyond this many in one comment are not run (the reply says so). */
export const MAX_COMMANDS_PER_COMMENT = 10;

/**
 * `/shipshape …` commands in new issue and pull request comments. Edited
 * comments are not read again, and comments by bots (Shipshape's own replies
 * among them) never run commands. A comment with commands gets a 👀
 * reaction; then, if its author may write to the repository (GitHub's
 * collaborator permission API says so), the commands run and one comment
 * replies to them all; otherwise the reply says why not.
 */
export function registerCommands(app: Probot, deps: CommandDependencies): void {
  const requested = new RequestedScans();
  app.on("issue_comment.created", async (context) => {
    await handleComment(context, deps, requested);
  });
}

async function handleComment(context: Context<"issue_comment.created">, deps: CommandDependencies, requested: RequestedScans): Promise<void> {
  const { comment, issue, repository, installation } = context.payload;
  if (comment.user?.type === "Bot" || context.payload.sender?.type === "Bot" || comment.performed_via_github_app) return;
  const parsed = parseCommands(comment.body);
  if (parsed.length === 0) return;
  const commands = parsed.slice(0, MAX_COMMANDS_PER_COMMENT);
  const octokit = context.octokit as GitHubClient;
  const name: RepositoryName = { owner: repository.owner.login, repo: repository.name };
  const user = comment.user?.login ?? context.payload.sender.login;
  const log = deps.log.child({ repository: repository.full_name, issue: issue.number, comment: comment.id, user });
  const reply = async (body: string) => {
    try {
      await octokit.rest.issues.createComment({ ...name, issue_number: issue.number, body });
    } catch (error) {
      log.error({ err: error }, "could not reply to a command");
    }
  };
  log.info({ commands: commands.map((command) => command.name) }, "commands received");

  try {
    await octokit.rest.reactions.createForIssueComment({ ...name, comment_id: comment.id, content: "eyes" });
  } catch (error) {
    // The acknowledgement only: the commands still run and get their reply.
    log.warn({ err: error }, "could not react to a command");
  }

  let permission;
  try {
    permission = await commandPermission(octokit, name, user);
  } catch (error) {
    log.warn({ err: error }, "could not check a command author's permission");
    await reply(permissionErrorReply(user, repository.full_name, error));
    return;
  }
  if (!permission.allowed) {
    log.info({ role: permission.role }, "commands refused: no write permission");
    await reply(deniedReply(user, repository.full_name, permission.role));
    return;
  }

  const site: CommandSite = {
    octokit,
    repository: name,
    defaultBranch: repository.default_branch,
    issue: { number: issue.number, pullRequest: issue.pull_request !== undefined && issue.pull_request !== null },
    user,
    catalog: deps.catalog,
  };
  const installationKey = String(installation?.id ?? "none");
  const run = async () => {
    const results = await runCommands(site, commands);
    const skipped = parsed.length - commands.length;
    await reply(combinedReply(results.sections, skipped > 0 ? tooManyReply(MAX_COMMANDS_PER_COMMENT, skipped) : undefined));
    for (const scan of results.scans) queueScan(deps, requested, installationKey, octokit, name, scan);
  };
  // The dashboard issue is written by scans too: edit it in series with them, never in the middle of one.
  if (commands.some((command) => command.name === "ignore" || command.name === "unignore")) {
    deps.queue.enqueue(installationKey, `${repository.full_name}#comment-${comment.id}`, run);
  } else {
    await run();
  }
}

function queueScan(deps: CommandDependencies, requested: RequestedScans, installation: string, octokit: GitHubClient, repository: RepositoryName, scan: CommandScan): void {
  const fullName = `${repository.owner}/${repository.repo}`;
  const scanWith = async (options: ScanRepositoryOptions) => {
    const report = await scanRepository(octokit, repository, deps.catalog, { registry: deps.registry, ...options });
    deps.log.info({ report }, "scan finished");
  };
  if (scan.kind === "plain") {
    // The same key as the app's own scans: a scan already waiting for the repository is this one.
    deps.queue.enqueue(installation, fullName, () => scanWith({}));
    return;
  }
  requested.add(fullName, scan);
  deps.queue.enqueue(installation, `${fullName}#requested`, async () => {
    for (const options of requested.take(fullName)) await scanWith(options);
  });
}
