import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ANSI, copyFixture, PROJECT_ROOT, runCli, scanJson, stripAnsi, tempDir, type JsonFinding } from "./helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const REDIS_DIGEST = "sha256:5a4c8c9e5f0cd2bdbd9e0e2f1bb5e8fb8e3e9c1a3b05f3c1c2d3e4f5a6b7c8d9";

/** apps/cache/redis.yaml: written at test time, with CRLF line endings (git would normalise a checked-in one). */
const REDIS_LINES = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: redis",
  "  namespace: shop",
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: redis",
  `          image: redis:7.2.4@${REDIS_DIGEST}`,
  "          ports:",
  "            - name: redis",
  "              containerPort: 6379",
  "          securityContext:",
  "            runAsNonRoot: true",
  "            allowPrivilegeEscalation: false",
];
const REDIS = `${REDIS_LINES.join("\r\n")}\r\n`;

/**
 * test/fixtures/cli/fixable copied to a temporary folder, plus the CRLF file, all in the namespace "shop":
 *   apps/api/deployment.yaml  3 replicas (a PodDisruptionBudget and a topology spread to add); fixable findings on two
 *                             containers, and five the fixes cannot reach (two probes, a pin offline, two read-only roots)
 *   apps/api/service.yaml     clean; its selector and named port are what the new NetworkPolicy lets in
 *   apps/cache/redis.yaml     CRLF; one replica, which no fix changes
 *   apps/jobs/cleanup.yaml    no final newline
 * The namespace has no NetworkPolicy: --fix adds apps/api/shop-network-policies.yaml (and apps/api/api-pdb.yaml).
 */
function fixableRepo(): string {
  const { dir, cleanup } = copyFixture("fixable");
  cleanups.push(cleanup);
  mkdirSync(join(dir, "apps", "cache"));
  writeFileSync(join(dir, "apps", "cache", "redis.yaml"), REDIS);
  return dir;
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), "utf8");

/** Every file under `dir` (hidden ones too) with its bytes, mode and modification time. */
function snapshot(dir: string): Record<string, { bytes: string; mode: number; mtimeMs: number }> {
  const files: Record<string, { bytes: string; mode: number; mtimeMs: number }> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        files[relative(dir, path)] = { bytes: readFileSync(path).toString("base64"), mode: stat.mode, mtimeMs: stat.mtimeMs };
      }
    }
  };
  walk(dir);
  return files;
}

const SERVICE = readFileSync(join(PROJECT_ROOT, "test/fixtures/cli/fixable/apps/api/service.yaml"), "utf8");
const CLEANUP = readFileSync(join(PROJECT_ROOT, "test/fixtures/cli/fixable/apps/jobs/cleanup.yaml"), "utf8");

const DEPLOYMENT_FIXED = `# Public API of the shop, with its log shipper.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: registry.example.com/shop/api:2.7.0@sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          resources:
            requests:
              cpu: 250m
              memory: 256Mi # measured in March
            limits:
              memory: 512Mi
          livenessProbe:
            httpGet:
              path: /ready
              port: http
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
        - name: log-shipper
          image: fluent/fluent-bit:latest
          args: ["--config", "/etc/fluent-bit/fluent-bit.conf"]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: api
`;

/** apps/api/api-pdb.yaml, created beside the Deployment (3 replicas): at most one of its pods evicted at a time. */
const API_PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: api
`;

/**
 * apps/api/shop-network-policies.yaml, created for the namespace "shop": deny ingress to every pod, then let the
 * pods of the Service "api" (its selector) accept connections from the namespace on its targetPort, the named port http.
 */
const SHOP_NETWORK_POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
      ports:
        - port: http
`;

/** The NetworkPolicy a namespace without a Service to let in gets: its first document, deny ingress to every pod. */
const SHOP_DEFAULT_DENY = SHOP_NETWORK_POLICIES.slice(0, SHOP_NETWORK_POLICIES.indexOf("---\n"));

/** The diff of a file the fixes create: from /dev/null, every line added. */
const createdDiff = (path: string, text: string): string => {
  const lines = text.split("\n").slice(0, -1);
  return `--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}\n`).join("")}`;
};

const REDIS_FIXED = `${[
  ...REDIS_LINES,
  "            capabilities:",
  "              drop:",
  "                - ALL",
  "            seccompProfile:",
  "              type: RuntimeDefault",
  "          livenessProbe:",
  "            tcpSocket:",
  "              port: redis",
  "          readinessProbe:",
  "            tcpSocket:",
  "              port: redis",
  "          resources:",
  "            requests:",
  "              cpu: 100m",
  "              memory: 128Mi",
  "            limits:",
  "              memory: 256Mi",
].join("\r\n")}\r\n`;

const CLEANUP_FIXED = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: cleanup
              image: registry.example.com/shop/cleanup:1.2.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
              args: [--older-than, 30d]
              resources:
                requests:
                  cpu: 100m
                  memory: 128Mi
                limits:
                  memory: 256Mi
              securityContext:
                runAsNonRoot: true
                allowPrivilegeEscalation: false
                capabilities:
                  drop:
                    - ALL
                seccompProfile:
                  type: RuntimeDefault`;

const CLEANUP_DIFF = `--- a/apps/jobs/cleanup.yaml
+++ b/apps/jobs/cleanup.yaml
@@ -13,4 +13,18 @@
           containers:
             - name: cleanup
               image: registry.example.com/shop/cleanup:1.2.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
-              args: [--older-than, 30d]
\\ No newline at end of file
+              args: [--older-than, 30d]
+              resources:
+                requests:
+                  cpu: 100m
+                  memory: 128Mi
+                limits:
+                  memory: 256Mi
+              securityContext:
+                runAsNonRoot: true
+                allowPrivilegeEscalation: false
+                capabilities:
+                  drop:
+                    - ALL
+                seccompProfile:
+                  type: RuntimeDefault
\\ No newline at end of file
`;

/**
 * The whole dry-run diff of the fixable repo, files in path order (the created ones among them, from /dev/null);
 * the CRLF file's lines keep their \r.
 */
const REPO_DIFF = `${createdDiff("apps/api/api-pdb.yaml", API_PDB)}--- a/apps/api/deployment.yaml
+++ b/apps/api/deployment.yaml
@@ -31,6 +31,39 @@
             requests:
               cpu: 250m
               memory: 256Mi # measured in March
+            limits:
+              memory: 512Mi
+          livenessProbe:
+            httpGet:
+              path: /ready
+              port: http
+          securityContext:
+            allowPrivilegeEscalation: false
+            capabilities:
+              drop:
+                - ALL
+            seccompProfile:
+              type: RuntimeDefault
         - name: log-shipper
           image: fluent/fluent-bit:latest
           args: ["--config", "/etc/fluent-bit/fluent-bit.conf"]
+          resources:
+            requests:
+              cpu: 100m
+              memory: 128Mi
+            limits:
+              memory: 256Mi
+          securityContext:
+            allowPrivilegeEscalation: false
+            capabilities:
+              drop:
+                - ALL
+            seccompProfile:
+              type: RuntimeDefault
+      topologySpreadConstraints:
+        - maxSkew: 1
+          topologyKey: kubernetes.io/hostname
+          whenUnsatisfiable: ScheduleAnyway
+          labelSelector:
+            matchLabels:
+              app: api
${createdDiff("apps/api/shop-network-policies.yaml", SHOP_NETWORK_POLICIES)}--- a/apps/cache/redis.yaml
+++ b/apps/cache/redis.yaml
@@ -15,3 +15,20 @@
${[
  "           securityContext:",
  "             runAsNonRoot: true",
  "             allowPrivilegeEscalation: false",
  "+            capabilities:",
  "+              drop:",
  "+                - ALL",
  "+            seccompProfile:",
  "+              type: RuntimeDefault",
  "+          livenessProbe:",
  "+            tcpSocket:",
  "+              port: redis",
  "+          readinessProbe:",
  "+            tcpSocket:",
  "+              port: redis",
  "+          resources:",
  "+            requests:",
  "+              cpu: 100m",
  "+              memory: 128Mi",
  "+            limits:",
  "+              memory: 256Mi",
]
  .map((line) => `${line}\r\n`)
  .join("")}${CLEANUP_DIFF}`;

/** The pin the log-shipper's `fluent/fluent-bit:latest` would get, skipped because --offline forbids the look-up. */
const OFFLINE_PIN = "fluent/fluent-bit:latest: looking up the digest needs the network, and Shipshape is offline";

const CAPS = (container: string) => `Sets securityContext.capabilities.drop to [ALL] on container "${container}".`;
const SECCOMP = (container: string) => `Sets securityContext.seccompProfile.type to RuntimeDefault on container "${container}".`;

/** The CronJob's container fixes, whether it is fixed alone or with the rest of the repo. */
const CLEANUP_FIXES = [
  '  apps/jobs/cleanup.yaml  resource-requests-missing  Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "cleanup".',
  '  apps/jobs/cleanup.yaml  memory-limit-missing  Sets resources.limits.memory to 256Mi (2× the memory request) on container "cleanup".',
  '  apps/jobs/cleanup.yaml  run-as-non-root-missing  Sets securityContext.runAsNonRoot to true on container "cleanup".',
  '  apps/jobs/cleanup.yaml  privilege-escalation-allowed  Sets securityContext.allowPrivilegeEscalation to false on container "cleanup".',
  `  apps/jobs/cleanup.yaml  capabilities-not-dropped  ${CAPS("cleanup")}`,
  `  apps/jobs/cleanup.yaml  seccomp-profile-missing  ${SECCOMP("cleanup")}`,
];

/**
 * What --fix --offline did, after its first line, given the positions of the findings it did not fix
 * (`L:C` where they are hidden): the log-shipper's two probes, and its image pin, which needs the network.
 * The fixes that edit a file come first, in path order; then the two that create one (the NetworkPolicies
 * and the PodDisruptionBudget), listed under the file they create.
 */
const fixSummaryBody = (probes: string, image: string): string[] => [
  '  apps/api/deployment.yaml  topology-spread-missing  Adds a topologySpreadConstraint to the pods of Deployment "api" that spreads them across nodes (topologyKey kubernetes.io/hostname, maxSkew 1), counting the pods labelled app=api.',
  '  apps/api/deployment.yaml  liveness-probe-missing  Adds a livenessProbe to container "api" that checks what its readinessProbe already checks.',
  '  apps/api/deployment.yaml  memory-limit-missing  Sets resources.limits.memory to 512Mi (2× the memory request) on container "api".',
  '  apps/api/deployment.yaml  privilege-escalation-allowed  Sets securityContext.allowPrivilegeEscalation to false on container "api".',
  `  apps/api/deployment.yaml  capabilities-not-dropped  ${CAPS("api")}`,
  `  apps/api/deployment.yaml  seccomp-profile-missing  ${SECCOMP("api")}`,
  '  apps/api/deployment.yaml  resource-requests-missing  Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "log-shipper".',
  '  apps/api/deployment.yaml  memory-limit-missing  Sets resources.limits.memory to 256Mi (2× the memory request) on container "log-shipper".',
  '  apps/api/deployment.yaml  privilege-escalation-allowed  Sets securityContext.allowPrivilegeEscalation to false on container "log-shipper".',
  `  apps/api/deployment.yaml  capabilities-not-dropped  ${CAPS("log-shipper")}`,
  `  apps/api/deployment.yaml  seccomp-profile-missing  ${SECCOMP("log-shipper")}`,
  '  apps/cache/redis.yaml  liveness-probe-missing  Adds a livenessProbe to container "redis" that opens a TCP connection to port redis.',
  '  apps/cache/redis.yaml  readiness-probe-missing  Adds a readinessProbe to container "redis" that checks what its livenessProbe already checks.',
  '  apps/cache/redis.yaml  resource-requests-missing  Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "redis".',
  '  apps/cache/redis.yaml  memory-limit-missing  Sets resources.limits.memory to 256Mi (2× the memory request) on container "redis".',
  `  apps/cache/redis.yaml  capabilities-not-dropped  ${CAPS("redis")}`,
  `  apps/cache/redis.yaml  seccomp-profile-missing  ${SECCOMP("redis")}`,
  ...CLEANUP_FIXES,
  '  apps/api/shop-network-policies.yaml  network-policy-missing  Adds apps/api/shop-network-policies.yaml with NetworkPolicies for the namespace "shop": "default-deny-ingress" (no pod accepts connections unless a policy below allows them), "allow-api" (pods of the Service "api" accept connections from pods of the same namespace on http/TCP). What else may need opening: egress stays open, because denying it would also need DNS (UDP and TCP port 53 to kube-system) and every service the applications call, which this repository does not show; connections from other namespaces, from monitoring scrapers such as Prometheus, and from admission webhooks are now refused unless a policy allows them.',
  '  apps/api/api-pdb.yaml  pdb-missing  Adds apps/api/api-pdb.yaml: a PodDisruptionBudget that lets node drains and cluster upgrades evict at most one pod of Deployment "api" at a time.',
  ...notFixed(probes, image),
  ...checkBeforeMerging(),
];

/** The "Not fixed" block with --offline, in the order the findings are written: the log-shipper's two probes, then its image pin. */
function notFixed(probes: string, image: string): string[] {
  return [
    "Not fixed: 3.",
    `  apps/api/deployment.yaml:${probes}  liveness-probe-missing  container "log-shipper" declares no containerPort and has no readinessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)`,
    `  apps/api/deployment.yaml:${probes}  readiness-probe-missing  container "log-shipper" declares no containerPort and has no livenessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)`,
    `  apps/api/deployment.yaml:${image}  image-tag-mutable  ${OFFLINE_PIN}`,
  ];
}

/** The risk notes, one per rule. */
const RISK = {
  topologySpread:
    "  topology-spread-missing: With whenUnsatisfiable: ScheduleAnyway the constraint is a preference: the scheduler still places a pod when it cannot be spread, so no pod stays Pending because of it. Pods already running are not moved; the spread applies as pods are created, from the next rollout on. Other pods that carry the same labels are counted with these.",
  liveness:
    "  liveness-probe-missing: Kubernetes restarts the container after three failed checks in a row. If the application needs more than about 30 seconds to start listening, add initialDelaySeconds or a startupProbe before merging.",
  memoryLimit:
    "  memory-limit-missing: Requests decide where the pod is scheduled, and a container that uses more memory than its limit is killed (OOMKilled). The values written are starting points from .shipshape.yml (fixes.resources), not measurements: compare them with the container's real usage before merging.",
  privilegeEscalation:
    "  privilege-escalation-allowed: Processes in the container can no longer gain privileges through setuid binaries or file capabilities (sudo, su). Applications rarely need that.",
  capabilities:
    "  capabilities-not-dropped: The container loses every Linux capability it does not add back. An application that binds a port below 1024 (NET_BIND_SERVICE), sends ping or raw packets (NET_RAW), changes file ownership (CHOWN) or switches users (SETUID, SETGID) will fail until that capability is listed under capabilities.add. Check what the container needs before merging.",
  seccomp:
    "  seccomp-profile-missing: The container runtime's default seccomp profile (Docker's, in containerd and CRI-O alike) refuses the system calls that it leaves out, such as mount, reboot, kexec_load and creating new namespaces. Ordinary applications never make them; debugging tools, sandboxes and some JIT runtimes may.",
  requests:
    "  resource-requests-missing: Requests decide where the pod is scheduled, and a container that uses more memory than its limit is killed (OOMKilled). The values written are starting points from .shipshape.yml (fixes.resources), not measurements: compare them with the container's real usage before merging.",
  readiness:
    "  readiness-probe-missing: The pod receives traffic only while the check passes, so the check must reflect readiness: a TCP check passes as soon as the port is open, which can be before the application is ready to serve. Where the application has a readiness endpoint, set fixes.probes.httpPath.",
  runAsNonRoot:
    "  run-as-non-root-missing: The kubelet refuses to start the container if its image runs as root (UID 0). Check that the image sets a non-root USER, or add a runAsUser, before merging.",
  networkPolicy:
    "  network-policy-missing: Pods in the namespaces these policies cover refuse connections that no policy allows once they are applied: check what calls them (other namespaces, Prometheus, health checks from outside the cluster) before merging.",
  pdb: "  pdb-missing: A drain now waits while a pod of this workload is not ready: with a single ready pod left, the drain blocks until another one is ready, which is the point. Check that the workload runs more than one replica in every environment.",
};

/** One risk note per rule, in the order the rules were first fixed. */
function checkBeforeMerging(): string[] {
  return [
    "Check before merging:",
    RISK.topologySpread,
    RISK.liveness,
    RISK.memoryLimit,
    RISK.privilegeEscalation,
    RISK.capabilities,
    RISK.seccomp,
    RISK.requests,
    RISK.readiness,
    RISK.runAsNonRoot,
    RISK.networkPolicy,
    RISK.pdb,
  ];
}

const FIX_SUMMARY_BODY = fixSummaryBody("L:C", "L:C");

const summary = (header: string, body: readonly string[]): string => `${[header, ...body].join("\n")}\n`;
const positionsHidden = (stderr: string): string => stderr.replace(/^( {2}apps\/api\/deployment\.yaml):\d+:\d+ /gm, "$1:L:C ");

const API = { kind: "Deployment", name: "api", namespace: "shop" };
const REDIS_RESOURCE = { kind: "Deployment", name: "redis", namespace: "shop" };
const CLEANUP_RESOURCE = { kind: "CronJob", name: "cleanup", namespace: "shop" };
const readOnlyRoot = (file: string, line: number, column: number, container: string, resource: JsonFinding["resource"]): JsonFinding => ({
  rule: "read-only-root-filesystem-missing",
  severity: "medium",
  file,
  line,
  column,
  message: `container "${container}" does not set readOnlyRootFilesystem: true, so its root filesystem is writable`,
  resource,
  container,
  // No fix sets it: whether the application writes to its root filesystem is for people to find out.
  fixable: false,
});
/**
 * The findings --fix --offline leaves in the repo, where they are once the fixes above them are written, as a
 * new scan of all six files (the two created ones included) finds them: the namespace has its NetworkPolicies
 * and the Deployment its PodDisruptionBudget. The mutable tag is still fixable (a pin, once the registry can be
 * asked); the probes, redis's single replica and the writable root filesystems are not.
 */
const REMAINING: JsonFinding[] = [
  readOnlyRoot("apps/api/deployment.yaml", 40, 11, "api", API),
  {
    rule: "liveness-probe-missing",
    severity: "medium",
    file: "apps/api/deployment.yaml",
    line: 47,
    column: 11,
    message: 'container "log-shipper" has no livenessProbe',
    resource: API,
    container: "log-shipper",
    fixable: false,
  },
  {
    rule: "readiness-probe-missing",
    severity: "high",
    file: "apps/api/deployment.yaml",
    line: 47,
    column: 11,
    message: 'container "log-shipper" has no readinessProbe',
    resource: API,
    container: "log-shipper",
    fixable: false,
  },
  {
    rule: "image-tag-mutable",
    severity: "high",
    file: "apps/api/deployment.yaml",
    line: 48,
    column: 18,
    message: 'container "log-shipper" image "fluent/fluent-bit:latest" uses the mutable tag :latest and no digest',
    resource: API,
    container: "log-shipper",
    // Offline, the pin's digest could not be looked up.
    fixable: false,
  },
  readOnlyRoot("apps/api/deployment.yaml", 56, 11, "log-shipper", API),
  {
    rule: "replicas-too-low",
    severity: "medium",
    file: "apps/cache/redis.yaml",
    line: 6,
    column: 1,
    message: 'Deployment "redis" sets no replicas, so it runs 1, and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving',
    resource: REDIS_RESOURCE,
    fixable: false,
  },
  readOnlyRoot("apps/cache/redis.yaml", 15, 11, "redis", REDIS_RESOURCE),
  readOnlyRoot("apps/jobs/cleanup.yaml", 23, 15, "cleanup", CLEANUP_RESOURCE),
];
const REMAINING_SUMMARY = {
  // The four files and four resources, plus the PodDisruptionBudget's file and the NetworkPolicies' file with its two.
  files: 6,
  resources: 7,
  findings: 8,
  bySeverity: { critical: 0, high: 2, medium: 6, low: 0 },
  fixable: 0,
  failOn: "high",
  failed: true,
};

describe("the fixable fixture", () => {
  // 25 fixes offline: 22 on the four containers (14 probes, resources and securityContext, 4 capabilities, 4 seccomp profiles),
  // the api's topology spread, PodDisruptionBudget and the namespace's NetworkPolicies; plus one image finding
  // (the log-shipper's :latest; the other three images are pinned) that a pin can fix.
  it("has 33 findings before fixing, 26 of them fixable", () => {
    const dir = fixableRepo();
    const { status, report } = scanJson([dir]);
    expect(status).toBe(1);
    expect(report.summary).toEqual({
      ...REMAINING_SUMMARY,
      files: 4,
      resources: 4,
      findings: 33,
      bySeverity: { critical: 0, high: 6, medium: 26, low: 1 },
      fixable: 26,
    });
    expect(report.findings.filter((finding) => !finding.fixable).map((finding) => [finding.file, finding.rule, finding.line])).toEqual([
      ["apps/api/deployment.yaml", "read-only-root-filesystem-missing", 20],
      ["apps/api/deployment.yaml", "liveness-probe-missing", 34],
      ["apps/api/deployment.yaml", "read-only-root-filesystem-missing", 34],
      ["apps/api/deployment.yaml", "readiness-probe-missing", 34],
      ["apps/cache/redis.yaml", "replicas-too-low", 6],
      ["apps/cache/redis.yaml", "read-only-root-filesystem-missing", 15],
      ["apps/jobs/cleanup.yaml", "read-only-root-filesystem-missing", 14],
    ]);
    // One finding for the namespace, on its first workload; the PodDisruptionBudget and the spread for the api's 3 replicas.
    expect(report.findings.filter((finding) => finding.container === undefined).map((finding) => [finding.file, finding.rule, finding.line, finding.fixable])).toEqual([
      ["apps/api/deployment.yaml", "network-policy-missing", 2, true],
      ["apps/api/deployment.yaml", "pdb-missing", 5, true],
      ["apps/api/deployment.yaml", "topology-spread-missing", 16, true],
      ["apps/cache/redis.yaml", "replicas-too-low", 6, false],
    ]);
    expect(report.findings.filter((finding) => finding.rule.startsWith("image-")).map((finding) => [finding.rule, finding.line, finding.fixable])).toEqual([
      ["image-tag-mutable", 35, true],
    ]);
    expect(read(dir, "apps/cache/redis.yaml")).toBe(REDIS);
    expect(CLEANUP.endsWith("30d]")).toBe(true);
  });
});

describe("scan --fix --dry-run", () => {
  it("prints the exact unified diff for one file without a final newline (and the new file the namespace needs), and the summary on stderr", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, "apps", "jobs"), { recursive: true });
    writeFileSync(join(dir, "apps", "jobs", "cleanup.yaml"), CLEANUP);
    const result = runCli(["scan", dir, "--fix", "--dry-run"]);
    // Alone, the CronJob is the namespace's only workload: its NetworkPolicy goes beside it, and only denies (no Service to let in).
    expect(result.stdout).toBe(`${CLEANUP_DIFF}${createdDiff("apps/jobs/shop-network-policies.yaml", SHOP_DEFAULT_DENY)}`);
    expect(result.stderr).toBe(
      summary("Would fix 7 findings in 2 files (dry run: nothing was written).", [
        ...CLEANUP_FIXES,
        '  apps/jobs/shop-network-policies.yaml  network-policy-missing  Adds apps/jobs/shop-network-policies.yaml with NetworkPolicies for the namespace "shop": "default-deny-ingress" (no pod accepts connections unless a policy below allows them). What else may need opening: egress stays open, because denying it would also need DNS (UDP and TCP port 53 to kube-system) and every service the applications call, which this repository does not show; connections from other namespaces, from monitoring scrapers such as Prometheus, and from admission webhooks are now refused unless a policy allows them.',
        "Check before merging:",
        RISK.requests,
        RISK.memoryLimit,
        RISK.runAsNonRoot,
        RISK.privilegeEscalation,
        RISK.capabilities,
        RISK.seccomp,
        RISK.networkPolicy,
      ]),
    );
    // What remains (the writable root filesystem, which no fix sets) is below high: the exit code is that of the
    // fixed files (a plain scan fails on the high finding).
    expect(result.status).toBe(0);
    expect(runCli(["scan", dir]).status).toBe(1);
    expect(read(dir, "apps/jobs/cleanup.yaml")).toBe(CLEANUP);
  });

  it("prints the diff of every file in path order, CRLF lines as they are; writes nothing", () => {
    const dir = fixableRepo();
    const before = snapshot(dir);
    const result = runCli(["scan", dir, "--fix", "--dry-run", "--offline"]);
    expect(result.stdout).toBe(REPO_DIFF);
    expect(result.stderr).toBe(summary("Would fix 25 findings in 5 files (dry run: nothing was written).", fixSummaryBody("34:11", "35:18")));
    // The remaining findings include high ones: exit 1.
    expect(result.status).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });

  it("colours the summary only when asked (FORCE_COLOR), never the diff", () => {
    const dir = fixableRepo();
    const plain = runCli(["scan", dir, "--fix", "--dry-run", "--offline"]);
    const coloured = runCli(["scan", dir, "--fix", "--dry-run", "--offline"], { env: { FORCE_COLOR: "1" } });
    expect(plain.stderr).not.toMatch(ANSI);
    expect(coloured.stdout).toBe(REPO_DIFF);
    expect(stripAnsi(coloured.stderr)).toBe(plain.stderr);
    expect(coloured.stderr.split("\n").slice(0, 2)).toEqual([
      "\u001b[1mWould fix 25 findings in 5 files (dry run: nothing was written).\u001b[22m",
      '  apps/api/deployment.yaml  \u001b[32mtopology-spread-missing\u001b[39m  Adds a topologySpreadConstraint to the pods of Deployment "api" that spreads them across nodes (topologyKey kubernetes.io/hostname, maxSkew 1), counting the pods labelled app=api.',
    ]);
    expect(coloured.stderr).toContain("\u001b[1mNot fixed: 3.\u001b[22m\n  apps/api/deployment.yaml:34:11  \u001b[33mliveness-probe-missing\u001b[39m  ");
    expect(coloured.stderr).toContain("\u001b[1mCheck before merging:\u001b[22m\n");
  });

  it("is the same whatever --format says: the diff replaces the report", () => {
    const dir = fixableRepo();
    for (const format of ["json", "sarif", "text"]) {
      expect([format, runCli(["scan", dir, "--fix", "--dry-run", "--offline", "--format", format]).stdout]).toEqual([format, REPO_DIFF]);
    }
  });

  it("with --output, writes the diff to that file and nothing else", () => {
    const dir = fixableRepo();
    const { dir: out, cleanup } = tempDir();
    cleanups.push(cleanup);
    const before = snapshot(dir);
    const result = runCli(["scan", dir, "--fix", "--dry-run", "--offline", "--output", join(out, "fixes.diff")]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe("Would fix 25 findings in 5 files (dry run: nothing was written).");
    expect(readFileSync(join(out, "fixes.diff"), "utf8")).toBe(REPO_DIFF);
    expect(readdirSync(out)).toEqual(["fixes.diff"]);
    expect(snapshot(dir)).toEqual(before);
  });

  it("prints nothing on stdout when there is nothing to fix", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "service.yaml"), SERVICE);
    expect(runCli(["scan", dir, "--fix", "--dry-run"])).toEqual({
      status: 0,
      stdout: "",
      stderr: "Would fix 0 findings in 0 files (dry run: nothing was written).\n",
    });
  });

  it("--dry-run without --fix is a usage error (exit 2) and writes nothing", () => {
    const dir = fixableRepo();
    const before = snapshot(dir);
    expect(runCli(["scan", dir, "--dry-run"])).toEqual({ status: 2, stdout: "", stderr: "shipshape: --dry-run goes with --fix\n" });
    expect(runCli(["scan", dir, "--dry-run", "--format", "json"])).toEqual({ status: 2, stdout: "", stderr: "shipshape: --dry-run goes with --fix\n" });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("scan --fix", () => {
  // The report after --fix is a new scan of the written files, the ones the fixes create included.
  it("writes each fixed file byte for byte, creates the new ones, leaves the clean one alone, keeps permissions; reports what remains", () => {
    const dir = fixableRepo();
    chmodSync(join(dir, "apps/api/deployment.yaml"), 0o640);
    chmodSync(join(dir, "apps/jobs/cleanup.yaml"), 0o600);
    const service = statSync(join(dir, "apps/api/service.yaml"));
    const result = runCli(["scan", dir, "--fix", "--offline", "--format", "json"]);
    expect(read(dir, "apps/api/deployment.yaml")).toBe(DEPLOYMENT_FIXED);
    expect(read(dir, "apps/cache/redis.yaml")).toBe(REDIS_FIXED);
    expect(read(dir, "apps/jobs/cleanup.yaml")).toBe(CLEANUP_FIXED);
    expect(read(dir, "apps/api/api-pdb.yaml")).toBe(API_PDB);
    expect(read(dir, "apps/api/shop-network-policies.yaml")).toBe(SHOP_NETWORK_POLICIES);
    expect(read(dir, "apps/api/service.yaml")).toBe(SERVICE);
    expect(statSync(join(dir, "apps/api/service.yaml")).mtimeMs).toBe(service.mtimeMs);
    expect(statSync(join(dir, "apps/api/deployment.yaml")).mode & 0o777).toBe(0o640);
    expect(statSync(join(dir, "apps/jobs/cleanup.yaml")).mode & 0o777).toBe(0o600);
    // Written atomically: no temporary file is left beside them.
    expect(Object.keys(snapshot(dir)).sort()).toEqual([
      "apps/api/api-pdb.yaml",
      "apps/api/deployment.yaml",
      "apps/api/service.yaml",
      "apps/api/shop-network-policies.yaml",
      "apps/cache/redis.yaml",
      "apps/jobs/cleanup.yaml",
    ]);
    expect(positionsHidden(result.stderr)).toBe(summary("Fixed 25 findings in 5 files.", FIX_SUMMARY_BODY));
    expect(result.status).toBe(1);
    // stdout: the report of what remains, where it now is; only what cannot be fixed.
    expect(JSON.parse(result.stdout)).toEqual({ version: 1, findings: REMAINING, summary: REMAINING_SUMMARY });
  });

  it("the report after --fix is what a new scan of the fixed files says", () => {
    const dir = fixableRepo();
    const fixed = runCli(["scan", dir, "--fix", "--offline", "--format", "json"]);
    const rescan = runCli(["scan", dir, "--offline", "--format", "json"]);
    expect(fixed.stdout).toBe(rescan.stdout);
    expect(rescan.status).toBe(fixed.status);
  });

  it("prints the remaining findings as text by default", () => {
    const dir = fixableRepo();
    const result = runCli(["scan", dir, "--fix", "--offline"]);
    expect(result.stdout).toBe(
      [
        "apps/api/deployment.yaml",
        '  40:11  medium    read-only-root-filesystem-missing  container "api" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (Deployment shop/api)',
        '  47:11  medium    liveness-probe-missing             container "log-shipper" has no livenessProbe  (Deployment shop/api)',
        '  47:11  high      readiness-probe-missing            container "log-shipper" has no readinessProbe  (Deployment shop/api)',
        '  48:18  high      image-tag-mutable                  container "log-shipper" image "fluent/fluent-bit:latest" uses the mutable tag :latest and no digest  (Deployment shop/api)',
        '  56:11  medium    read-only-root-filesystem-missing  container "log-shipper" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (Deployment shop/api)',
        "",
        "apps/cache/redis.yaml",
        '  6:1    medium    replicas-too-low                   Deployment "redis" sets no replicas, so it runs 1, and no HorizontalPodAutoscaler scales it: a pod restart, an update or a node drain leaves it with no pod serving  (Deployment shop/redis)',
        '  15:11  medium    read-only-root-filesystem-missing  container "redis" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (Deployment shop/redis)',
        "",
        "apps/jobs/cleanup.yaml",
        '  23:15  medium    read-only-root-filesystem-missing  container "cleanup" does not set readOnlyRootFilesystem: true, so its root filesystem is writable  (CronJob shop/cleanup)',
        "",
        "✖ 8 findings (2 high, 6 medium) in 3 files. 6 files scanned, 7 resources — failing: findings at or above high.",
        "",
      ].join("\n"),
    );
    expect(result.status).toBe(1);
  });

  it("after writing, gives the position of each finding it did not fix in the written file", () => {
    const dir = fixableRepo();
    const result = runCli(["scan", dir, "--fix", "--offline", "--format", "json"]);
    expect(result.stderr.split("\n").filter((line) => line.startsWith("  apps/api/deployment.yaml:"))).toEqual(notFixed("47:11", "48:18").slice(1));
  });

  // Both runs report what a new scan of the written files finds, so their reports are the same.
  it("a second --fix writes nothing and says so", () => {
    const dir = fixableRepo();
    const first = runCli(["scan", dir, "--fix", "--offline", "--format", "json"]);
    const afterFirst = snapshot(dir);
    const second = runCli(["scan", dir, "--fix", "--offline", "--format", "json"]);
    expect(snapshot(dir)).toEqual(afterFirst);
    expect(second.stderr).toBe(summary("Fixed 0 findings in 0 files.", notFixed("47:11", "48:18")));
    expect(second.status).toBe(1);
    // A dry run agrees: there is no diff.
    const dry = runCli(["scan", dir, "--fix", "--dry-run", "--offline"]);
    expect(dry.stdout).toBe("");
    expect(dry.stderr).toBe(summary("Would fix 0 findings in 0 files (dry run: nothing was written).", notFixed("47:11", "48:18")));
    // The second run reports what the first did (a scan of the fixed files).
    expect(JSON.parse(second.stdout)).toEqual({ version: 1, findings: REMAINING, summary: REMAINING_SUMMARY });
    expect(second.stdout).toBe(first.stdout);
  });

  it("exits by the remaining findings and --fail-on, not by what was there before", () => {
    // Before: high privilege-escalation findings (exit 1). After: none remain (exit 0).
    const onlyEscalation = fixableRepo();
    expect(scanJson([onlyEscalation, "--rule", "privilege-escalation-allowed"]).status).toBe(1);
    expect(runCli(["scan", onlyEscalation, "--rule", "privilege-escalation-allowed", "--fix", "--dry-run", "--offline"]).status).toBe(0);
    const fixed = scanJson([onlyEscalation, "--rule", "privilege-escalation-allowed", "--fix", "--offline"]);
    expect(fixed.status).toBe(0);
    expect(fixed.report.findings).toEqual([]);
    expect(fixed.report.summary.failed).toBe(false);
    // Remaining (offline, the mutable tag is not pinned): 2 high, 6 medium.
    expect(scanJson([fixableRepo(), "--fix", "--offline", "--fail-on", "critical"]).status).toBe(0);
    expect(scanJson([fixableRepo(), "--fix", "--offline", "--fail-on", "high"]).status).toBe(1);
    expect(scanJson([fixableRepo(), "--fix", "--offline", "--fail-on", "none"]).status).toBe(0);
    // Medium remains after fixing only medium-rule findings: exit 1 at --fail-on medium.
    const medium = scanJson([fixableRepo(), "--fix", "--offline", "--rule", "liveness-probe-missing", "--fail-on", "medium"]);
    expect(medium.report.findings.map((finding) => [finding.rule, finding.container, finding.fixable])).toEqual([["liveness-probe-missing", "log-shipper", false]]);
    expect(medium.status).toBe(1);
  });

  it("uses the repo's fixes: settings (httpPath, requests, factor)", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(
      join(dir, ".shipshape.yml"),
      "fixes:\n  probes:\n    httpPath: /healthz\n  resources:\n    requests: {cpu: 50m, memory: 96Mi}\n    memoryLimitFactor: 3\n",
    );
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: example/web:1.0@sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492
      ports:
        - containerPort: 8080
      securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}
`;
    writeFileSync(join(dir, "web.yaml"), pod);
    // Its namespace has a NetworkPolicy, so that only the probes and resources are left to fix.
    writeFileSync(join(dir, "network-policy.yaml"), NAMESPACE_POLICY);
    const result = runCli(["scan", dir, "--fix", "--format", "json"]);
    expect(result.status).toBe(0);
    expect(read(dir, "web.yaml")).toBe(`${pod}      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
      readinessProbe:
        httpGet:
          path: /healthz
          port: 8080
      resources:
        requests:
          cpu: 50m
          memory: 96Mi
        limits:
          memory: 288Mi
`);
    expect(result.stderr.split("\n").slice(0, 5)).toEqual([
      "Fixed 4 findings in 1 file.",
      '  web.yaml  liveness-probe-missing  Adds a livenessProbe to container "web" that sends GET /healthz to port 8080.',
      '  web.yaml  readiness-probe-missing  Adds a readinessProbe to container "web" that sends GET /healthz to port 8080.',
      '  web.yaml  resource-requests-missing  Sets resources.requests.cpu: 50m, resources.requests.memory: 96Mi on container "web".',
      '  web.yaml  memory-limit-missing  Sets resources.limits.memory to 288Mi (3× the memory request) on container "web".',
    ]);
  });

  it("rejects a bad fixes: setting before touching anything (exit 2)", () => {
    const dir = fixableRepo();
    writeFileSync(join(dir, ".shipshape.yml"), "fixes:\n  resources:\n    memoryLimitFactor: 0.5\n");
    const before = snapshot(dir);
    const result = runCli(["scan", dir, "--fix"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("shipshape: .shipshape.yml: invalid configuration\n  - fixes.resources.memoryLimitFactor: must be >= 1\n");
    expect(snapshot(dir)).toEqual(before);
  });

  // Guards a fixed bug: the scan marked a finding fixable when a fix could be planned, even where the
  // editor will refuse it (a securityContext shared through a YAML anchor). `--fix` then fixes nothing
  // and its report still says `fixable: true` and counts it in summary.fixable.
  it("after --fix, no remaining finding claims to be fixable", () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(
      join(dir, "pair.yaml"),
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pair
spec:
  template:
    spec:
      containers:
        - name: main
          image: example/main:1.0@sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492
          securityContext: &restricted
            runAsNonRoot: true
        - name: helper
          image: example/helper:1.0@sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492
          securityContext: *restricted
`,
    );
    const { report } = scanJson([dir, "--rule", "privilege-escalation-allowed", "--fix"]);
    expect(report.findings.map((finding) => [finding.container, finding.fixable])).toEqual([
      ["main", false],
      ["helper", false],
    ]);
    expect(report.summary.fixable).toBe(0);
  });
});

/** A NetworkPolicy for the namespace the manifests without metadata.namespace go to: ingress to its pods on port 8080 only. */
const NAMESPACE_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - ports:
        - port: 8080
`;

describe("scan --fix --offline", () => {
  /**
   * A Deployment whose only fixable findings are its two unpinned images (its single replica is for people to change),
   * with its namespace's NetworkPolicy, and a Dockerfile with an unpinned base image.
   */
  const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: nginx:1.25
          ports:
            - containerPort: 8080
          readinessProbe:
            tcpSocket: {port: 8080}
          livenessProbe:
            tcpSocket: {port: 8080}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
        - name: agent
          image: ghcr.io/acme/agent:latest
          ports:
            - containerPort: 9100
          readinessProbe:
            tcpSocket: {port: 9100}
          livenessProbe:
            tcpSocket: {port: 9100}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - ports:
        - port: 8080
`;
  const DOCKERFILE = "FROM node:20-alpine\nCOPY . /app\nUSER node\n";
  const offline = (image: string) => `${image}: looking up the digest needs the network, and Shipshape is offline`;
  const NOT_FIXED = [
    "Not fixed: 3.",
    `  Dockerfile:1:6  image-digest-missing  ${offline("node:20-alpine")}`,
    `  web.yaml:14:18  image-digest-missing  ${offline("nginx:1.25")}`,
    `  web.yaml:29:18  image-tag-mutable  ${offline("ghcr.io/acme/agent:latest")}`,
  ];

  function imagesRepo(): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, "web.yaml"), WEB);
    writeFileSync(join(dir, "Dockerfile"), DOCKERFILE);
    return dir;
  }

  it("asks no registry: skips every pin with the reason, writes nothing, and exits by the findings that remain", () => {
    const dir = imagesRepo();
    const before = snapshot(dir);
    const result = runCli(["scan", dir, "--fix", "--offline", "--format", "json"]);
    // No "looked up N image tags" line: nothing was asked.
    expect(result.stderr).toBe(summary("Fixed 0 findings in 0 files.", NOT_FIXED));
    expect(snapshot(dir)).toEqual(before);
    // The report is what `scan --offline` says: the pins remain, none fixable until the registry can be asked;
    // a scan that does not fix asks nothing and counts them fixable.
    expect(result.stdout).toBe(runCli(["scan", dir, "--offline", "--format", "json"]).stdout);
    const report = JSON.parse(result.stdout) as { findings: JsonFinding[]; summary: { fixable: number } };
    expect(report.findings.map((finding) => [finding.rule, finding.file, finding.line, finding.fixable])).toEqual([
      ["image-digest-missing", "Dockerfile", 1, false],
      ["replicas-too-low", "web.yaml", 6, false],
      ["image-digest-missing", "web.yaml", 14, false],
      ["image-tag-mutable", "web.yaml", 29, false],
    ]);
    expect(report.summary.fixable).toBe(0);
    expect((JSON.parse(runCli(["scan", dir, "--format", "json"]).stdout) as { summary: { fixable: number } }).summary.fixable).toBe(3);
    // The mutable tag (high) remains: exit 1.
    expect(result.status).toBe(1);
  });

  it("with --dry-run, prints no diff and the same reasons", () => {
    const dir = imagesRepo();
    const before = snapshot(dir);
    expect(runCli(["scan", dir, "--fix", "--dry-run", "--offline"])).toEqual({
      status: 1,
      stdout: "",
      stderr: summary("Would fix 0 findings in 0 files (dry run: nothing was written).", NOT_FIXED),
    });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("scan examples --fix --dry-run", () => {
  const EXAMPLES = join(PROJECT_ROOT, "examples");

  it("never writes to the bundled examples; diffs exactly ten files (five edited, five created), adding lines but for two empty values; exits by what remains", () => {
    const before = snapshot(EXAMPLES);
    const result = runCli(["scan", "examples", "--fix", "--dry-run", "--offline"], { cwd: PROJECT_ROOT });
    expect(snapshot(EXAMPLES)).toEqual(before);
    // Offline, no image is pinned: image-tag-mutable (high) remains.
    expect(result.status).toBe(1);
    const lines = result.stdout.split("\n");
    // Created: a PodDisruptionBudget beside each Deployment of more than one replica, NetworkPolicies for each namespace
    // (payments, shop, jobs) beside its first workload, the storefront's two listed in its kustomization.
    expect(lines.filter((line) => /^(---|\+\+\+) /.test(line))).toEqual([
      "--- /dev/null",
      "+++ b/apps/payments/payments-api-pdb.yaml",
      "--- /dev/null",
      "+++ b/apps/payments/payments-network-policies.yaml",
      "--- a/apps/payments/payments.yaml",
      "+++ b/apps/payments/payments.yaml",
      "--- a/apps/storefront/deployment.yaml",
      "+++ b/apps/storefront/deployment.yaml",
      "--- a/apps/storefront/kustomization.yaml",
      "+++ b/apps/storefront/kustomization.yaml",
      "--- /dev/null",
      "+++ b/apps/storefront/shop-network-policies.yaml",
      "--- /dev/null",
      "+++ b/apps/storefront/storefront-pdb.yaml",
      "--- /dev/null",
      "+++ b/apps/worker/jobs-network-policies.yaml",
      "--- a/apps/worker/statefulset.yaml",
      "+++ b/apps/worker/statefulset.yaml",
      "--- a/charts/checkout/values.yaml",
      "+++ b/charts/checkout/values.yaml",
    ]);
    expect(result.stdout).toContain("--- a/apps/storefront/kustomization.yaml\n+++ b/apps/storefront/kustomization.yaml\n@@ -4,3 +4,5 @@\n resources:\n   - deployment.yaml\n   - service.yaml\n+  - shop-network-policies.yaml\n+  - storefront-pdb.yaml\n");
    // The chart's `securityContext: {}` and `resources: {}` are filled where the values file has them.
    expect(lines.filter((line) => line.startsWith("-") && !line.startsWith("--- "))).toEqual(["-securityContext: {}", "-resources: {}"]);
    expect(lines.filter((line) => line.startsWith("+") && !line.startsWith("+++ "))).toHaveLength(169);
    const stderr = result.stderr.split("\n");
    expect(stderr[0]).toBe("Would fix 36 findings in 10 files (dry run: nothing was written).");
    // Every container finding is fixed; the image pins are not, for want of the network, nor the Argo CD revisions, which the app pins.
    const offline = (image: string) => `${image}: looking up the digest needs the network, and Shipshape is offline`;
    const argo = "the CLI reports this; the GitHub App pins it to the commit the branch points at";
    expect(stderr.slice(stderr.indexOf("Not fixed: 7."), stderr.indexOf("Check before merging:"))).toEqual([
      "Not fixed: 7.",
      `  apps/payments/payments.yaml:104:22  image-tag-mutable  ${offline("acme/reconciler:latest")}`,
      `  apps/storefront/deployment.yaml:29:18  image-tag-mutable  ${offline("ghcr.io/acme-shop/storefront-migrate:latest")}`,
      `  apps/storefront/deployment.yaml:39:18  image-digest-missing  ${offline("ghcr.io/acme-shop/storefront:2.4.1")}`,
      `  argocd/checkout.yaml:15:21  argocd-target-revision-mutable  ${argo}`,
      `  argocd/storefront-production.yaml:15:21  argocd-target-revision-mutable  ${argo}`,
      `  charts/checkout/values.yaml:10:9  image-digest-missing  ${offline("ghcr.io/acme-shop/checkout:1.4.0")}`,
      `  environments/production/storefront/kustomization.yaml:11:13  image-digest-missing  ${offline("ghcr.io/acme-shop/storefront:2.4.2")}`,
    ]);
    expect(stderr).toContain('  apps/storefront/deployment.yaml  liveness-probe-missing  Adds a livenessProbe to container "web" that checks what its readinessProbe already checks.');
    expect(stderr).toContain('  apps/worker/statefulset.yaml  liveness-probe-missing  Adds a livenessProbe to container "redis" that opens a TCP connection to port redis.');
  });

  it("exits 0 when what remains is below --fail-on, though the scan alone fails", () => {
    const before = snapshot(EXAMPLES);
    const args = ["scan", "examples", "--rule", "privilege-escalation-allowed"];
    expect(runCli(args, { cwd: PROJECT_ROOT }).status).toBe(1);
    const dry = runCli([...args, "--fix", "--dry-run"], { cwd: PROJECT_ROOT });
    expect(dry.status).toBe(0);
    expect(dry.stderr.split("\n")[0]).toBe("Would fix 4 findings in 4 files (dry run: nothing was written).");
    expect(snapshot(EXAMPLES)).toEqual(before);
  });
});
