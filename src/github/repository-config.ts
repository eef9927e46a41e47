import deepmerge from "deepmerge";
import { validateConfig } from "../config/load.js";
import type { ConfigFile } from "../config/types.js";
import type { GitHubClient, RepositoryName } from "./octokit.js";

export const CONFIG_PATH = ".github/shipshape.yml";

/**
 * The repository's config as Probot reads it: `.github/shipshape.yml`, with
 * `_extends` (an organisation's `.github` repository, say) merged in deeply,
 * then validated. Throws ConfigError with the exact problem.
 */
export async function loadRepositoryConfig(octokit: GitHubClient, repository: RepositoryName): Promise<ConfigFile> {
  const { config, files } = await octokit.config.get({
    ...repository,
    path: CONFIG_PATH,
    defaults: (configs) => deepmerge.all([{}, ...configs]) as Record<string, unknown>,
  });
  if (!files.some((file) => file.config !== null)) return {};
  const { _extends: _ignored, ...settings } = config as Record<string, unknown>;
  return validateConfig(settings, CONFIG_PATH);
}
