/**
 * API versions that Kubernetes deprecated and removed, from the Deprecated API Migration Guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/). `deprecatedIn` is the release whose
 * notes announced the deprecation; `removedIn` the first release that no longer serves the version.
 */
export interface RemovedApi {
  apiVersion: string;
  kinds: readonly string[];
  deprecatedIn: string;
  removedIn: string;
  /** What to use instead, most stable first, with the release each is served from. Empty: nothing replaces it. */
  replacements: readonly { apiVersion: string; since: string }[];
  /** Said instead of a replacement when there is none. */
  instead?: string;
  /**
   * The object reads the same in `replacements[0]`: the apiVersion alone changes (api-version-rename).
   * `risk`: what behaves differently once it is renamed, when something does.
   */
  rename?: { risk?: string };
  /** Why renaming is not enough: the fields the new version reads differently. */
  changes?: string;
}

const APPS_SELECTOR = "spec.selector is required (use the template's labels) and immutable";

export const REMOVED_APIS: readonly RemovedApi[] = [
  // v1.16
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["Deployment"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: `${APPS_SELECTOR}; spec.rollbackTo is gone; progressDeadlineSeconds, revisionHistoryLimit, maxSurge and maxUnavailable get new defaults`,
  },
  {
    apiVersion: "apps/v1beta1",
    kinds: ["Deployment"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: `${APPS_SELECTOR}; spec.rollbackTo is gone; revisionHistoryLimit defaults to 10 instead of 2`,
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: ["Deployment"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: `${APPS_SELECTOR}`,
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["DaemonSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: `${APPS_SELECTOR}; spec.templateGeneration is gone; updateStrategy defaults to RollingUpdate instead of OnDelete`,
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: ["DaemonSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: `${APPS_SELECTOR}; spec.templateGeneration is gone`,
  },
  {
    apiVersion: "apps/v1beta1",
    kinds: ["StatefulSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: `${APPS_SELECTOR}; updateStrategy defaults to RollingUpdate instead of OnDelete`,
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: ["StatefulSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: APPS_SELECTOR,
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["ReplicaSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: APPS_SELECTOR,
  },
  {
    apiVersion: "apps/v1beta1",
    kinds: ["ReplicaSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: APPS_SELECTOR,
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: ["ReplicaSet"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "apps/v1", since: "1.9" }],
    changes: APPS_SELECTOR,
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["NetworkPolicy"],
    deprecatedIn: "1.9",
    removedIn: "1.16",
    replacements: [{ apiVersion: "networking.k8s.io/v1", since: "1.8" }],
    rename: {},
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["PodSecurityPolicy"],
    deprecatedIn: "1.11",
    removedIn: "1.16",
    // policy/v1beta1 is itself gone in 1.25: the replacement is chosen by the target version.
    replacements: [{ apiVersion: "policy/v1beta1", since: "1.10" }],
    instead: "Pod Security Admission (pod-security.kubernetes.io labels on namespaces)",
    changes: "PodSecurityPolicy was removed in Kubernetes 1.25 without a replacement API",
  },
  // v1.22
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    deprecatedIn: "1.16",
    removedIn: "1.22",
    replacements: [{ apiVersion: "admissionregistration.k8s.io/v1", since: "1.16" }],
    changes: "webhooks[*].sideEffects and admissionReviewVersions are required; failurePolicy defaults to Fail, matchPolicy to Equivalent, timeoutSeconds to 10",
  },
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kinds: ["CustomResourceDefinition"],
    deprecatedIn: "1.16",
    removedIn: "1.22",
    replacements: [{ apiVersion: "apiextensions.k8s.io/v1", since: "1.16" }],
    changes: "spec.version, validation, subresources and additionalPrinterColumns move into spec.versions[*]; a structural openAPIV3Schema and spec.scope are required",
  },
  {
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kinds: ["APIService"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "apiregistration.k8s.io/v1", since: "1.10" }],
    rename: {},
  },
  {
    apiVersion: "authentication.k8s.io/v1beta1",
    kinds: ["TokenReview"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "authentication.k8s.io/v1", since: "1.6" }],
    rename: {},
  },
  {
    apiVersion: "authorization.k8s.io/v1beta1",
    kinds: ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "authorization.k8s.io/v1", since: "1.6" }],
    changes: "spec.group is renamed to spec.groups",
  },
  {
    apiVersion: "certificates.k8s.io/v1beta1",
    kinds: ["CertificateSigningRequest"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "certificates.k8s.io/v1", since: "1.19" }],
    changes: "spec.signerName and spec.usages are required, and kubernetes.io/legacy-unknown is not allowed",
  },
  {
    apiVersion: "coordination.k8s.io/v1beta1",
    kinds: ["Lease"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "coordination.k8s.io/v1", since: "1.14" }],
    rename: {},
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["Ingress"],
    deprecatedIn: "1.14",
    removedIn: "1.22",
    replacements: [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }],
    changes: "spec.backend is renamed to defaultBackend, backend serviceName to service.name and servicePort to service.port.number or service.port.name, and every path needs a pathType",
  },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["Ingress"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }],
    changes: "spec.backend is renamed to defaultBackend, backend serviceName to service.name and servicePort to service.port.number or service.port.name, and every path needs a pathType",
  },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["IngressClass"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "networking.k8s.io/v1", since: "1.19" }],
    rename: {},
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kinds: ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    deprecatedIn: "1.17",
    removedIn: "1.22",
    replacements: [{ apiVersion: "rbac.authorization.k8s.io/v1", since: "1.8" }],
    rename: {},
  },
  {
    apiVersion: "scheduling.k8s.io/v1beta1",
    kinds: ["PriorityClass"],
    deprecatedIn: "1.14",
    removedIn: "1.22",
    replacements: [{ apiVersion: "scheduling.k8s.io/v1", since: "1.14" }],
    rename: {},
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    deprecatedIn: "1.19",
    removedIn: "1.22",
    replacements: [{ apiVersion: "storage.k8s.io/v1", since: "1.19" }],
    rename: {},
  },
  // v1.25
  {
    apiVersion: "batch/v1beta1",
    kinds: ["CronJob"],
    deprecatedIn: "1.21",
    removedIn: "1.25",
    replacements: [{ apiVersion: "batch/v1", since: "1.21" }],
    rename: {},
  },
  {
    apiVersion: "discovery.k8s.io/v1beta1",
    kinds: ["EndpointSlice"],
    deprecatedIn: "1.21",
    removedIn: "1.25",
    replacements: [{ apiVersion: "discovery.k8s.io/v1", since: "1.21" }],
    changes: "endpoints[*].topology is replaced by nodeName and zone (topology becomes the read-only deprecatedTopology)",
  },
  {
    apiVersion: "events.k8s.io/v1beta1",
    kinds: ["Event"],
    deprecatedIn: "1.22",
    removedIn: "1.25",
    replacements: [{ apiVersion: "events.k8s.io/v1", since: "1.19" }],
    changes: "involvedObject is renamed to regarding, action, reason, reportingComponent and reportingInstance are required, and the timestamps, count and source move to new fields",
  },
  {
    apiVersion: "autoscaling/v2beta1",
    kinds: ["HorizontalPodAutoscaler"],
    deprecatedIn: "1.22",
    removedIn: "1.25",
    replacements: [{ apiVersion: "autoscaling/v2", since: "1.23" }],
    changes: "metric targets move into target (targetAverageUtilization becomes target.averageUtilization with target.type: Utilization, targetAverageValue becomes target.averageValue)",
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodDisruptionBudget"],
    deprecatedIn: "1.21",
    removedIn: "1.25",
    replacements: [{ apiVersion: "policy/v1", since: "1.21" }],
    rename: {
      risk: "In policy/v1 an empty spec.selector ({}) selects every pod in the namespace, where policy/v1beta1 selected none; check the selector before merging.",
    },
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodSecurityPolicy"],
    deprecatedIn: "1.21",
    removedIn: "1.25",
    replacements: [],
    instead: "Pod Security Admission (pod-security.kubernetes.io labels on namespaces)",
    changes: "PodSecurityPolicy was removed without a replacement API",
  },
  {
    apiVersion: "node.k8s.io/v1beta1",
    kinds: ["RuntimeClass"],
    deprecatedIn: "1.22",
    removedIn: "1.25",
    replacements: [{ apiVersion: "node.k8s.io/v1", since: "1.20" }],
    rename: {},
  },
  // v1.26
  {
    apiVersion: "autoscaling/v2beta2",
    kinds: ["HorizontalPodAutoscaler"],
    deprecatedIn: "1.23",
    removedIn: "1.26",
    replacements: [{ apiVersion: "autoscaling/v2", since: "1.23" }],
    rename: {},
  },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    deprecatedIn: "1.23",
    removedIn: "1.26",
    replacements: [
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1", since: "1.29" },
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", since: "1.26" },
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", since: "1.23" },
    ],
    changes: "PriorityLevelConfiguration spec.limited.assuredConcurrencyShares is renamed to nominalConcurrencyShares",
  },
  // v1.27
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIStorageCapacity"],
    deprecatedIn: "1.24",
    removedIn: "1.27",
    replacements: [{ apiVersion: "storage.k8s.io/v1", since: "1.24" }],
    rename: {},
  },
  // v1.29
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    deprecatedIn: "1.26",
    removedIn: "1.29",
    replacements: [
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1", since: "1.29" },
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", since: "1.26" },
    ],
    changes: "PriorityLevelConfiguration spec.limited.assuredConcurrencyShares is renamed to nominalConcurrencyShares",
  },
  // v1.32
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    deprecatedIn: "1.29",
    removedIn: "1.32",
    replacements: [{ apiVersion: "flowcontrol.apiserver.k8s.io/v1", since: "1.29" }],
    changes: "an explicit PriorityLevelConfiguration spec.limited.nominalConcurrencyShares of 0 is no longer changed to 30",
  },
];

/** The entry for an object's apiVersion and kind, if Kubernetes deprecated it. */
export function removedApiOf(apiVersion: string, kind: string): RemovedApi | undefined {
  return REMOVED_APIS.find((entry) => entry.apiVersion === apiVersion.trim() && entry.kinds.includes(kind));
}

/** "1.31" → [1, 31]; undefined for what is not a `major.minor` version. */
export function parseMinorVersion(version: string): readonly [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Compares two `major.minor` versions; versions that do not parse compare as equal. */
export function compareVersions(a: string, b: string): number {
  const left = parseMinorVersion(a);
  const right = parseMinorVersion(b);
  if (!left || !right) return 0;
  return left[0] - right[0] || left[1] - right[1];
}

/** Whether `apiVersion` of `kind` is served by `target`: not removed at or before it. */
function isServed(apiVersion: string, kind: string, target: string): boolean {
  const entry = removedApiOf(apiVersion, kind);
  return !entry || compareVersions(entry.removedIn, target) > 0;
}

/** The replacement to use on `target`: the most stable one it serves, or the first when none is served yet. */
export function replacementFor(entry: RemovedApi, kind: string, target: string): string | undefined {
  const served = entry.replacements.filter((candidate) => compareVersions(candidate.since, target) <= 0 && isServed(candidate.apiVersion, kind, target));
  return (served[0] ?? entry.replacements.find((candidate) => isServed(candidate.apiVersion, kind, target)))?.apiVersion;
}
