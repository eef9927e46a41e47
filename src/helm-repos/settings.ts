import type { RegistryClientOptions } from "../registry/types.js";
import type { ChartRepositoryClientOptions } from "./types.js";

/** Chart repositories are asked as registries are: through the same fetch, the same hosts over plain HTTP, the same timeout and retries, offline alike. */
export function chartClientOptions(registry: RegistryClientOptions): Omit<ChartRepositoryClientOptions, "registry"> {
  return {
    ...(registry.offline !== undefined ? { offline: registry.offline } : {}),
    ...(registry.insecureRegistries ? { insecureHosts: registry.insecureRegistries } : {}),
    ...(registry.timeoutMs !== undefined ? { timeoutMs: registry.timeoutMs } : {}),
    ...(registry.retries !== undefined ? { retries: registry.retries } : {}),
    ...(registry.env ? { env: registry.env } : {}),
    ...(registry.fetch ? { fetch: registry.fetch } : {}),
  };
}
