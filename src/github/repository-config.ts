import deepmerge from "deepmerge";
import { ConfigError, validateConfig } from "../config/load.js";
import type { ConfigFile } from "../config/types.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";
import { statusOf } from "./octokit.js";

export const CONFIG_PATH = ".github/shipshape.yml";

/**
 * The repository's config as Probot reads it: `.github/shipshape.yml`, with
 * `_extends` (an organisation's `.github` repository, say) merged in deeply,
 * then validated. Throws ConfigError with the exact problem.
 */
export async function loadRepositoryConfig(octokit: GitHubClient, repository: RepositoryName, commit: string): Promise<ConfigFile> {
  return (await readRepositoryConfig(octokit, repository, commit)).config;
}

/** A config file as Probot's config plugin read it: `config` is null when there is no such file, and never holds `_extends`. */
export interface ConfigFileRead {
  owner: string;
  repo: string;
  path: string;
  config: Record<string, unknown> | null;
}

/** loadRepositoryConfig, with the files it read in order (the repository's own first): a scan records what its config came from. */
export async function readRepositoryConfig(octokit: GitHubClient, repository: RepositoryName, commit: string): Promise<{ config: ConfigFile; files: ConfigFileRead[] }> {
  let result;
  try {
    result = await octokit.config.get({
      ...repository,
      path: CONFIG_PATH,
      // The config of the commit being scanned, not of whatever the branch points at a moment later.
      branch: commit,
      defaults: (configs) => deepmerge.all([{}, ...configs]) as Record<string, unknown>,
    });
  } catch (error) {
    throw pluginConfigError(error, repository) ?? error;
  }
  const { config, files } = result;
  const read = files.map(({ owner, repo, path, config }) => ({ owner, repo, path, config: (config ?? null) as Record<string, unknown> | null }));
  if (!files.some((file) => file.config !== null)) return { config: {}, files: read };
  const { _extends: _ignored, ...settings } = config as Record<string, unknown>;
  return { config: validateConfig(settings, CONFIG_PATH), files: read };
}

const PLUGIN_PREFIX = "[@probot/octokit-plugin-config] ";
const PARSE_FAILURE = /^Configuration could not be parsed from (\S+) \((.+)\)$/;

/**
 * Probot's config plugin throws plain errors for files people can fix (not YAML,
 * not a mapping, a bad `_extends`): those become ConfigErrors, so the repository
 * hears about them. Errors of requests (with an HTTP status) stay as they are.
 */
function pluginConfigError(error: unknown, repository: RepositoryName): ConfigError | undefined {
  if (!(error instanceof Error) || statusOf(error) !== undefined || !error.message.startsWith(PLUGIN_PREFIX)) return undefined;
  const message = error.message.slice(PLUGIN_PREFIX.length);
  const parse = PARSE_FAILURE.exec(message);
  if (!parse) return new ConfigError(message);
  const [, url = "", reason = ""] = parse;
  const cause = error.cause instanceof Error ? `: ${error.cause.message.trimEnd()}` : "";
  return new ConfigError(`${fileOf(url, repository)}: ${reason === "invalid YAML" ? "not valid YAML" : reason}${cause}`);
}

/** `.github/shipshape.yml` for the repository's own file, `owner/repo:path` (as `_extends` writes it) for another's. */
function fileOf(url: string, repository: RepositoryName): string {
  const match = /\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(url);
  if (!match) return url;
  const [, owner = "", repo = "", path = ""] = match;
  const file = decodeURIComponent(path);
  return owner.toLowerCase() === repository.owner.toLowerCase() && repo.toLowerCase() === repository.repo.toLowerCase() ? file : `${owner}/${repo}:${file}`;
}
