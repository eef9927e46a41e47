import type { Rule } from "../rules/types.js";
import {
  badGlobReply,
  explainReply,
  failedReply,
  fixQueuedReply,
  helpReply,
  ignoredReply,
  newDashboardBody,
  notFixableReply,
  rebaseQueuedReply,
  rebaseRefusedReply,
  scanQueuedReply,
  unignoredReply,
  unknownCommandReply,
  unknownRuleReply,
  usageReply,
} from "./command-replies.js";
import type { ShipshapeCommand } from "./commands.js";
import { normaliseIgnorePath } from "./dashboard-ignores.js";
import { DASHBOARD_LABEL, DASHBOARD_TITLE, findDashboard, writeDashboardState, type Dashboard, type DashboardState } from "./dashboard-state.js";
import { BRANCH_PREFIX } from "./groups.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";

/** Where the commands were written, and by whom (someone allowed to run them). */
export interface CommandSite {
  octokit: GitHubClient;
  repository: RepositoryName;
  defaultBranch: string;
  /** The issue or pull request the comment is on. */
  issue: { number: number; pullRequest: boolean };
  user: string;
  catalog: readonly Rule[];
}

/** A scan a command asks for: a plain one, or one with options. */
export type CommandScan = { kind: "plain" } | { kind: "requested"; forceRules?: string[]; rebuild?: string };

export interface CommandResults {
  /** One reply per command, in order. */
  sections: { line: string; reply: string }[];
  /** Scans to queue once the reply is posted. */
  scans: CommandScan[];
}

/** A reply that names the dashboard issue, which may not exist until the edits are saved. */
type Reply = string | ((dashboard: number) => string);

/**
 * Runs commands that the caller has checked the person may run. Commands
 * run in order; each one's failure becomes its reply and the others still
 * run. Ignores and unignores are gathered and written to the dashboard
 * issue in one call. Scans are not queued here: the caller queues them
 * after replying.
 */
export async function runCommands(site: CommandSite, commands: readonly ShipshapeCommand[]): Promise<CommandResults> {
  const dashboard = new DashboardEdits(site);
  const scans: CommandScan[] = [];
  const replies: { line: string; reply: Reply; edit: boolean }[] = [];
  for (const command of commands) {
    const edit = command.name === "ignore" || command.name === "unignore";
    try {
      replies.push({ line: command.line, reply: await runCommand(site, command, dashboard, scans), edit });
    } catch (error) {
      replies.push({ line: command.line, reply: failedReply(error), edit: false });
    }
  }
  let saved: number | undefined | Error;
  try {
    saved = await dashboard.save();
  } catch (error) {
    saved = error as Error;
  }
  const sections = replies.map(({ line, reply }) => ({
    line,
    reply: typeof reply === "string" ? reply : typeof saved === "number" ? reply(saved) : failedReply(saved),
  }));
  return { sections, scans };
}

async function runCommand(site: CommandSite, command: ShipshapeCommand, dashboard: DashboardEdits, scans: CommandScan[]): Promise<Reply> {
  const { catalog } = site;
  const ruleById = (id: string) => catalog.find((rule) => rule.id === id);
  switch (command.name) {
    case "help":
      return helpReply(site.defaultBranch, catalog);
    case "unknown":
      return unknownCommandReply(command.word);
    case "invalid":
      return usageReply(command.command, command.line, command.problem);
    case "explain": {
      const rule = ruleById(command.rule);
      return rule ? explainReply(rule) : unknownRuleReply(command.rule, catalog);
    }
    case "scan":
      scans.push({ kind: "plain" });
      return scanQueuedReply(site.defaultBranch);
    case "fix": {
      for (const id of command.rules) {
        const rule = ruleById(id);
        if (!rule) return unknownRuleReply(id, catalog);
        if (!rule.fix) return notFixableReply(id, catalog);
      }
      const all = command.rules.length === 0;
      scans.push({ kind: "requested", forceRules: all ? catalog.filter((rule) => rule.fix).map((rule) => rule.id) : command.rules });
      return fixQueuedReply(all ? undefined : command.rules);
    }
    case "rebase":
      return rebase(site, scans);
    case "ignore": {
      const rule = ruleById(command.rule);
      if (!rule) return unknownRuleReply(command.rule, catalog);
      let path: string | undefined;
      if (command.path !== undefined) {
        const checked = normaliseIgnorePath(command.path);
        if ("problem" in checked) return badGlobReply(command.path, checked.problem, checked.detail);
        path = checked.path;
      }
      const state = await dashboard.state();
      const already = state.ignores.some((ignore) => ignore.rule === rule.id && ignore.path === path);
      if (!already) {
        state.ignores.push({ rule: rule.id, ...(path !== undefined ? { path } : {}), by: site.user });
        dashboard.changed = true;
      }
      return (number) => ignoredReply({ rule: rule.id, ...(path !== undefined ? { path } : {}) }, number, already);
    }
    case "unignore": {
      const state = await dashboard.state();
      const kept = state.ignores.filter((ignore) => ignore.rule !== command.rule);
      // A rule no longer in the catalog can still be taken off the list.
      if (kept.length === state.ignores.length) return ruleById(command.rule) ? unignoredReply(command.rule, undefined) : unknownRuleReply(command.rule, catalog);
      state.ignores = kept;
      dashboard.changed = true;
      return (number) => unignoredReply(command.rule, number);
    }
  }
}

/** `/shipshape rebase`: only on an open pull request that Shipshape opened from one of its branches (one call). */
async function rebase(site: CommandSite, scans: CommandScan[]): Promise<Reply> {
  if (!site.issue.pullRequest) return rebaseRefusedReply("not-pull-request");
  const { data: pull } = await site.octokit.rest.pulls.get({ ...site.repository, pull_number: site.issue.number });
  const fullName = `${site.repository.owner}/${site.repository.repo}`.toLowerCase();
  // As listShipshapePullRequests tells Shipshape's pull requests from people's.
  const ours = pull.head.ref.startsWith(BRANCH_PREFIX) && pull.head.repo?.full_name.toLowerCase() === fullName && pull.user?.type === "Bot";
  if (!ours || pull.head.ref === site.defaultBranch) return rebaseRefusedReply("not-shipshape");
  if (pull.state !== "open") return rebaseRefusedReply("closed");
  scans.push({ kind: "requested", rebuild: pull.head.ref });
  return rebaseQueuedReply(pull.head.ref, site.defaultBranch);
}

/** The dashboard issue's state, read at most once (one call) and written at most once (one call). */
class DashboardEdits {
  changed = false;
  private loaded: { issue: Dashboard | undefined; state: DashboardState } | undefined;

  constructor(private readonly site: CommandSite) {}

  async state(): Promise<DashboardState> {
    if (!this.loaded) {
      const issue = await findDashboard(this.site.octokit, this.site.repository);
      const state = issue?.state;
      // A copy: the empty state is shared.
      this.loaded = { issue, state: { version: 1, ...(state?.lastScan ? { lastScan: state.lastScan } : {}), ignores: [...(state?.ignores ?? [])] } };
    }
    return this.loaded.state;
  }

  /** Writes the edits, opening the dashboard issue when there is none; the issue's number (undefined when nothing was read). */
  async save(): Promise<number | undefined> {
    if (!this.loaded) return undefined;
    const { issue, state } = this.loaded;
    const { octokit, repository } = this.site;
    if (issue && !this.changed) return issue.number;
    if (issue) {
      // Forgetting the last scan makes the next scheduled sweep rescan, so the ignores take effect then.
      const { lastScan: _, ...withoutLastScan } = state;
      await octokit.rest.issues.update({ ...repository, issue_number: issue.number, body: writeDashboardState(issue.body, withoutLastScan) });
      return issue.number;
    }
    if (!this.changed) return undefined;
    const created = await octokit.rest.issues.create({ ...repository, title: DASHBOARD_TITLE, body: writeDashboardState(newDashboardBody(state.ignores), state), labels: [DASHBOARD_LABEL] });
    return created.data.number;
  }
}
