import type { ContainerList } from "../model/pods.js";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export interface RuleSource {
  /** File name in the checklists folder. */
  checklist: string;
  section: string;
  item: string;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  appliesTo: {
    kinds?: string[];
    containers?: ContainerList[];
  };
  /** false: the rule is off unless the config or --rule turns it on (it needs the network, or is a matter of taste). */
  enabled?: boolean;
  check: { name: string; params: Record<string, unknown> };
  fix?: { name: string; params: Record<string, unknown>; order?: number };
  rationale: string;
  remediation: string;
  /** When ignoring the rule is right (an annotation, a config exclusion). */
  ignoreWhen?: string;
  source: RuleSource;
}
