import type { Severity } from "../rules/types.js";
import type { YamlLimits } from "../yaml/compose.js";

export interface ExcludeEntry {
  kind?: string;
  name?: string;
  namespace?: string;
  path?: string;
}

export type RuleSetting = "off" | Severity | { enabled?: boolean; severity?: Severity; exclude?: ExcludeEntry[] };

/** The config file as people write it. */
export interface ConfigFile {
  rules?: Record<string, RuleSetting>;
  ignorePaths?: string[];
  limits?: Partial<Limits>;
}

export interface Limits extends YamlLimits {
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxAliases: 100,
  maxExpandedNodes: 1_000_000,
  maxDepth: 100,
};
