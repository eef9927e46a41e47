import type { Severity } from "../rules/types.js";
import type { YamlLimits } from "../yaml/compose.js";

export interface ExcludeEntry {
  kind?: string;
  name?: string;
  namespace?: string;
  path?: string;
}

export type RuleSetting =
  | "off"
  | Severity
  | {
      enabled?: boolean;
      severity?: Severity;
      exclude?: ExcludeEntry[];
      /** Merged over the rule's `check.params`, key by key; validated against the check's paramsSchema. */
      checkParams?: Record<string, unknown>;
      /** Merged over the rule's `fix.params`, key by key; validated against the fix's paramsSchema. */
      fixParams?: Record<string, unknown>;
    };

export interface CertificateSettings {
  expiringHighDays: number;
  expiringMediumDays: number;
  maxLeafDays: number;
  /** Go durations, as cert-manager writes them. */
  maxDuration: string;
  renewBefore: string;
  issuer?: { kind?: "ClusterIssuer" | "Issuer"; name: string };
  pins?: string[];
}

export const DEFAULT_CERTIFICATE_SETTINGS: CertificateSettings = { expiringHighDays: 14, expiringMediumDays: 30, maxLeafDays: 398, maxDuration: "2160h", renewBefore: "720h" };

/** Where a pin goes for an image written in a manifest that a kustomization lists. */
export type PinPlace = "kustomization" | "manifest";

export interface LockfileSettings {
  /** lockfile-maintenance: locks generated longer ago than this are refreshed. */
  maxAgeDays: number;
  /** Helm repository names and URLs, for `@name` and `alias:name` repositories in Chart.yaml. */
  helm: { repositories: Record<string, string> };
  /** Whether lockfile-stale's fix may run `npm install --package-lock-only --ignore-scripts`, and for how long. */
  npm: { regenerate: boolean; timeoutSeconds: number };
}

export const DEFAULT_LOCKFILE_SETTINGS: LockfileSettings = { maxAgeDays: 30, helm: { repositories: {} }, npm: { regenerate: false, timeoutSeconds: 120 } };

/** Where a finding in a kustomize base that overlays deploy is fixed: in the base, or by a patch in each overlay. */
export type KustomizeFixPlace = "base" | "overlay";

/** The Kubernetes version the manifests are deployed to: deprecated-api-version judges removals against it. */
export interface KubernetesSettings {
  /** A minor version, "1.31". */
  version: string;
}

export const DEFAULT_KUBERNETES_SETTINGS: KubernetesSettings = { version: "1.31" };

export interface FixSettings {
  probes: { httpPath?: string };
  kustomize: { fixIn: KustomizeFixPlace };
  images: { pinIn: PinPlace };
  certificates: CertificateSettings;
  lockfiles: LockfileSettings;
  resources: { requests: { cpu: string | number; memory: string }; memoryLimitFactor: number };
  kubernetes: KubernetesSettings;
  /**
   * What the GitHub App found for Argo CD sources' mutable targetRevisions (argocd-revision-pin), by
   * `${repoURL}#${targetRevision}` (`HEAD` when none is written): the commit, or why it could not be found.
   * Absent outside the app (the CLI does not ask GitHub).
   */
  argocdRevisions?: Record<string, ArgoRevisionLookup>;
  /**
   * What the GitHub App found for the `uses:` of GitHub Actions workflows (action-pin), by `owner/repo@ref`
   * (owner and repository in lower case, the ref as written; an action's path inside its repository is not part
   * of the key): the commit, or why it could not be found. Absent outside the app (the CLI does not ask GitHub).
   */
  actionRevisions?: Record<string, ActionRevisionLookup>;
}

/** The commit a branch, tag or HEAD points at, as the GitHub App looked it up, or why it is not known. */
export type CommitLookup = { ok: true; sha: string } | { ok: false; reason: string };

/** The commit a branch, tag or HEAD of an Argo CD source points at, or why it is not known. */
export type ArgoRevisionLookup = CommitLookup;

/** The commit the tag or branch of a workflow's `uses:` points at, or why it is not known. */
export type ActionRevisionLookup = CommitLookup;

export const DEFAULT_FIX_SETTINGS: FixSettings = {
  probes: {},
  kustomize: { fixIn: "base" },
  images: { pinIn: "kustomization" },
  certificates: DEFAULT_CERTIFICATE_SETTINGS,
  lockfiles: DEFAULT_LOCKFILE_SETTINGS,
  resources: { requests: { cpu: "100m", memory: "128Mi" }, memoryLimitFactor: 2 },
  kubernetes: DEFAULT_KUBERNETES_SETTINGS,
};

/** The config file as people write it. */
export interface ConfigFile {
  rules?: Record<string, RuleSetting>;
  ignorePaths?: string[];
  limits?: Partial<Limits>;
  fixes?: {
    probes?: { httpPath?: string };
    images?: { pinIn?: PinPlace };
    kustomize?: { fixIn?: KustomizeFixPlace };
    resources?: { requests?: { cpu?: string | number; memory?: string }; memoryLimitFactor?: number };
  };
  pullRequests?: Partial<PullRequestSettings>;
  registries?: RegistrySettings;
  dashboard?: boolean;
  checks?: Partial<CheckSettings>;
  /** Cron expressions (UTC): when pull requests may be opened or updated. */
  schedule?: string | string[];
  /** The time certificates are judged at (ISO 8601), for reproducible runs. */
  now?: string;
  certificates?: Partial<CertificateSettings>;
  lockfiles?: { maxAgeDays?: number; helm?: { repositories?: Record<string, string> }; npm?: Partial<LockfileSettings["npm"]> };
  kubernetes?: Partial<KubernetesSettings>;
}


export interface CheckSettings {
  failOn: Severity | "none";
  suggestions: boolean;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = { failOn: "high", suggestions: false };

export function checkSettingsOf(config: ConfigFile): CheckSettings {
  return { ...DEFAULT_CHECK_SETTINGS, ...config.checks };
}

export interface RegistrySettings {
  insecure?: string[];
  timeoutSeconds?: number;
  concurrency?: number;
}

export type GroupBy = "rule" | "directory" | "all";

export interface PullRequestSettings {
  groupBy: GroupBy;
  maxOpen: number;
  maxPerHour: number;
}

export const DEFAULT_PULL_REQUEST_SETTINGS: PullRequestSettings = { groupBy: "rule", maxOpen: 10, maxPerHour: 5 };

export function pullRequestSettingsOf(config: ConfigFile): PullRequestSettings {
  return { ...DEFAULT_PULL_REQUEST_SETTINGS, ...config.pullRequests };
}

export function fixSettingsOf(config: ConfigFile): FixSettings {
  const resources = config.fixes?.resources;
  return {
    probes: { ...DEFAULT_FIX_SETTINGS.probes, ...config.fixes?.probes },
    images: { ...DEFAULT_FIX_SETTINGS.images, ...config.fixes?.images },
    kustomize: { ...DEFAULT_FIX_SETTINGS.kustomize, ...config.fixes?.kustomize },
    certificates: { ...DEFAULT_CERTIFICATE_SETTINGS, ...config.certificates },
    lockfiles: {
      maxAgeDays: config.lockfiles?.maxAgeDays ?? DEFAULT_LOCKFILE_SETTINGS.maxAgeDays,
      helm: { repositories: { ...config.lockfiles?.helm?.repositories } },
      npm: { ...DEFAULT_LOCKFILE_SETTINGS.npm, ...config.lockfiles?.npm },
    },
    resources: {
      requests: { ...DEFAULT_FIX_SETTINGS.resources.requests, ...resources?.requests },
      memoryLimitFactor: resources?.memoryLimitFactor ?? DEFAULT_FIX_SETTINGS.resources.memoryLimitFactor,
    },
    kubernetes: { ...DEFAULT_KUBERNETES_SETTINGS, ...config.kubernetes },
  };
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
