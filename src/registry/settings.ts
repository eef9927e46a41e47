import type { RegistrySettings } from "../config/types.js";
import type { RegistryClientOptions } from "./types.js";

/** The client options a config's `registries:` section sets. */
export function registryOptionsOf(settings: RegistrySettings | undefined): RegistryClientOptions {
  return {
    ...(settings?.insecure ? { insecureRegistries: settings.insecure } : {}),
    ...(settings?.timeoutSeconds !== undefined ? { timeoutMs: settings.timeoutSeconds * 1000 } : {}),
    ...(settings?.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
  };
}
