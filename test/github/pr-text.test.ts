import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { ArgoDeployment } from "../../src/argocd/applications.js";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, type ConfigFile, type FixSettings, type GroupBy } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { groupFixableFindings, type FixGroup } from "../../src/github/groups.js";
import { actionOf, MAX_TABLE_ROWS, METADATA_MARKER, pullRequestText, readMetadata, type PullRequestText } from "../../src/github/pr-text.js";
import { loadRules } from "../../src/rules/load.js";
import type { Rule } from "../../src/rules/types.js";
import { scanDirectory } from "../../src/scan/scan.js";
import { base64, TestCa } from "../certs/openssl.js";

const CATALOG = loadRules();
const GOLDEN = fileURLToPath(new URL("../fixtures/github/", import.meta.url));
const DIGEST = "sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492";
const BASE_SHA = "4f2c9a1e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e";
const REPOSITORY = { owner: "acme", repo: "gitops" };

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A small GitOps repository: a storefront with a web tier and a cleanup CronJob, an API, and a debug pod at the top that already drops its capabilities. */
const REPO: Record<string, string> = {
  "apps/storefront/deployment.yaml": `# Storefront web tier, owned by team-shop.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: storefront}
  template:
    metadata:
      labels: {app: storefront}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: ghcr.io/acme/storefront:1.4.2@${DIGEST}
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet: {path: /ready, port: http}
          resources:
            requests: {cpu: 250m, memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
`,
  "apps/storefront/cleanup.yaml": `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cart-cleanup
  namespace: shop
spec:
  schedule: "17 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: cleanup
              image: ghcr.io/acme/cart-cleanup:0.9.1@${DIGEST}
              args: [--older-than, 30d]
`,
  "apps/api/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:3.0.0@${DIGEST}
          ports: [{containerPort: 9000}]
          livenessProbe: {tcpSocket: {port: 9000}}
          readinessProbe: {tcpSocket: {port: 9000}}
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
          securityContext: {runAsNonRoot: true}
`,
  "debug-pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: shell
      image: busybox:1.36@${DIGEST}
      ports: [{containerPort: 8080}]
      livenessProbe: {tcpSocket: {port: 8080}}
      readinessProbe: {tcpSocket: {port: 8080}}
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
      securityContext: {capabilities: {drop: [ALL]}}
`,
};

interface Repo {
  groups: (groupBy: GroupBy) => FixGroup[];
  /** Fixes one group the way the app does: the engine on the group's findings only. */
  fix: (group: FixGroup, settings?: FixSettings) => Changeset;
  text: (group: FixGroup, rules?: readonly Rule[], changeset?: Changeset) => PullRequestText;
}

/** Writes the files to a fresh folder, scans them as the app does, and fixes and describes groups of findings. */
function repository(files: Record<string, string>, config: ConfigFile = {}, only: readonly string[] = []): Repo {
  const root = mkdtempSync(join(tmpdir(), "shipshape-pr-text-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const rules = activeRules(CATALOG, config, only);
  const settings = fixSettingsOf(config);
  const scanned = scanDirectory({ root, rules, fixSettings: settings });
  const fix = (group: FixGroup, fixSettings = settings) => fixFindings(scanned.workspace, group.findings, { rules, settings: fixSettings, limits: DEFAULT_LIMITS });
  return {
    groups: (groupBy) => groupFixableFindings(scanned.findings, groupBy),
    fix,
    text: (group, catalog = CATALOG, changeset = fix(group)) =>
      pullRequestText({ group, changeset, rules: catalog, repository: REPOSITORY, baseSha: BASE_SHA, defaultBranch: "main" }),
  };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

const groupOf = (repo: Repo, groupBy: GroupBy, key: string): FixGroup => only(repo.groups(groupBy).filter((group) => group.key === key));
/** Compares a body with its golden file; SHIPSHAPE_UPDATE_GOLDENS=1 writes the body of this run instead: review the diff before committing. */
function expectGolden(body: string, name: string): void {
  const golden = join(GOLDEN, name);
  if (process.env["SHIPSHAPE_UPDATE_GOLDENS"] === "1") writeFileSync(golden, `${body}\n`);
  expect(body).toBe(readFileSync(golden, "utf8").replace(/\n$/, ""));
}

const tableRows = (body: string) => body.split("\n").filter((line) => line.startsWith("| [") || line.startsWith("| …"));

describe("pullRequestText: the body", () => {
  const repo = repository(REPO);

  it("matches the golden body for a directory group with every kind of fix", () => {
    const text = repo.text(groupOf(repo, "directory", "apps/storefront"));
    expectGolden(text.body, "pr-body-storefront.md");
  });

  it("matches the golden body for a single-rule group that is not a draft", () => {
    const text = repo.text(groupOf(repo, "rule", "privilege-escalation-allowed"));
    expectGolden(text.body, "pr-body-privilege-escalation.md");
  });

  it("links every row to the file and line at the base commit, with resource and container", () => {
    const text = repo.text(groupOf(repo, "rule", "run-as-non-root-missing"));
    expect(tableRows(text.body)).toEqual([
      `| [apps/storefront/cleanup.yaml:14](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/storefront/cleanup.yaml#L14) | CronJob shop/cart-cleanup | cleanup | Sets securityContext.runAsNonRoot to true on container "cleanup". |`,
    ]);
    // Where the finding points: the container's securityContext when it has one; a new file's row points at the workload it is for.
    const api = repo.text(groupOf(repo, "directory", "apps/api"));
    expect(tableRows(api.body)).toEqual([
      `| [apps/api/deployment.yaml:1](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/api/deployment.yaml#L1) | Deployment api | — | Adds apps/api/network-policies.yaml with NetworkPolicies for the namespace the manifests without metadata.namespace are applied to: "default-deny-ingress" (no pod accepts connections unless a policy below allows them). What else may need opening: egress stays open, because denying it would also need DNS (UDP and TCP port 53 to kube-system) and every service the applications call, which this repository does not show; connections from other namespaces, from monitoring scrapers such as Prometheus, and from admission webhooks are now refused unless a policy allows them. |`,
      `| [apps/api/deployment.yaml:15](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/api/deployment.yaml#L15) | Deployment api | api | Sets securityContext.capabilities.drop to \\[ALL\\] on container "api". |`,
      `| [apps/api/deployment.yaml:15](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/api/deployment.yaml#L15) | Deployment api | api | Sets securityContext.allowPrivilegeEscalation to false on container "api". |`,
      `| [apps/api/deployment.yaml:15](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/api/deployment.yaml#L15) | Deployment api | api | Sets securityContext.seccompProfile.type to RuntimeDefault on container "api". |`,
    ]);
  });

  it("is byte-for-byte the same for the same input, whatever order the fixes and rules come in", () => {
    const group = groupOf(repo, "all", "all");
    const changeset = repo.fix(group);
    const first = repo.text(group, CATALOG, changeset);
    expect(repo.text(group, CATALOG, repo.fix(group))).toEqual(first);
    const shuffled: Changeset = { ...changeset, applied: [...changeset.applied].reverse() };
    expect(changeset.applied.length).toBeGreaterThan(2);
    expect(repo.text(group, [...CATALOG].reverse(), shuffled)).toEqual(first);
  });

  it("has a rollback section and a footer that says who maintains the branch", () => {
    const text = repo.text(groupOf(repo, "rule", "liveness-probe-missing"));
    expect(text.body).toContain(
      "## How to roll back\n\nRevert the merge commit of this pull request (the **Revert** button on this page opens a pull request that does it). Once that is merged, Argo CD or Flux syncs the previous state from `main` to the cluster; nothing needs to be undone by hand.",
    );
    expect(text.body).toContain(
      "<sub>This pull request is maintained by Shipshape: it is updated or closed automatically as `main` changes. Pushing a commit to `shipshape/liveness-probe-missing` stops Shipshape from touching it.</sub>",
    );
  });

  it("lists each distinct risk once, with the rules it concerns", () => {
    const text = repo.text(groupOf(repo, "directory", "apps/storefront"));
    const risks = text.body.split("## Before merging\n\n")[1]?.split("\n\n## ")[0]?.split("\n") ?? [];
    // In the order of the table: the CronJob's fixes come first, the NetworkPolicy for its namespace (reported at its first workload) before them.
    expect(risks.map((line) => line.slice(0, line.indexOf(":")))).toEqual([
      "- `network-policy-missing`",
      "- `capabilities-not-dropped`",
      "- `memory-limit-missing`, `resource-requests-missing`",
      "- `privilege-escalation-allowed`",
      "- `run-as-non-root-missing`",
      "- `seccomp-profile-missing`",
      "- `pdb-missing`",
      "- `topology-spread-missing`",
      "- `liveness-probe-missing`",
    ]);
  });

  it("names the Argo CD applications that sync the changed files, the files the fixes add included", () => {
    const app = (name: string, folder: string): ArgoDeployment => ({
      application: { kind: "Application", name, namespace: "argocd", destination: { name: "prod", namespace: "shop" }, sources: [], file: `argocd/${name}.yaml`, document: 0 },
      folders: [folder],
      valueFiles: [],
    });
    const group = groupOf(repo, "directory", "apps/storefront");
    const changeset = repo.fix(group);
    const body = pullRequestText({ group, changeset, rules: CATALOG, repository: REPOSITORY, baseSha: BASE_SHA, defaultBranch: "main", argoCd: [app("storefront", "apps/storefront"), app("api", "apps/api")] }).body;
    expect(body).toContain(
      [
        "## Argo CD applications that sync this change",
        "",
        "Once this is merged, Argo CD deploys the changed files through 1 application:",
        "",
        "| Application | Defined in | Cluster | Namespace | Changed files it deploys |",
        "| --- | --- | --- | --- | --- |",
        "| storefront | argocd/storefront.yaml | prod | shop | apps/storefront/cleanup.yaml, apps/storefront/deployment.yaml, apps/storefront/shop-network-policies.yaml, apps/storefront/storefront-pdb.yaml |",
        "",
        "## Before merging",
      ].join("\n"),
    );
  });

  it("says so when no change carries a risk", () => {
    const group = groupOf(repo, "rule", "privilege-escalation-allowed");
    const changeset = repo.fix(group);
    const riskless: Changeset = { ...changeset, applied: changeset.applied.map((fix) => ({ ...fix, risk: "" })) };
    const text = repo.text(group, CATALOG, riskless);
    expect(text.body).toContain("## Before merging\n\nNone of these changes is expected to affect how the workloads run; review the diff as usual.\n\n## How to roll back");
  });

  it("lists what the engine could not fix, with its reason", () => {
    const files = {
      "apps/cache/redis.yaml": `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis, namespace: cache}
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.2.4@${DIGEST}
          resources: {requests: {cpu: 100m, memory: 1Gi}}
        - name: exporter
          image: oliver006/redis_exporter:v1.58.0@${DIGEST}
`,
    };
    const limited = repository(files, {}, ["memory-limit-missing"]);
    const group = groupOf(limited, "rule", "memory-limit-missing");
    expect(group.findings.map((finding) => finding.container)).toEqual(["redis", "exporter"]);
    // The exporter has no memory request, and the one configured here cannot be multiplied: the engine skips it.
    const settings = fixSettingsOf({ fixes: { resources: { requests: { memory: "plenty" } } } });
    const changeset = limited.fix(group, settings);
    expect(changeset.skipped).toHaveLength(1);
    const text = limited.text(group, CATALOG, changeset);
    expect(text.body).toContain(
      [
        "## Not fixed here",
        "",
        "Shipshape could not fix 1 finding of this group automatically:",
        "",
        "| File | Resource | Container | Why not |",
        "| --- | --- | --- | --- |",
        `| [apps/cache/redis.yaml:11](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/cache/redis.yaml#L11) | StatefulSet cache/redis | exporter | the memory request "plenty" of container "exporter" is not a quantity Shipshape can multiply |`,
        "",
        "## Before merging",
      ].join("\n"),
    );
    expect(text.body).toContain("This pull request fixes 1 finding of rule `memory-limit-missing`, in 1 file,");
    expect(readMetadata(text.body)?.fingerprints).toEqual([group.findings[0]?.fingerprint]);
  });

  it(`shows at most ${MAX_TABLE_ROWS} rows and counts the rest`, () => {
    const containers = Array.from({ length: 103 }, (_, index) => `        - name: c${String(index).padStart(3, "0")}\n          image: app:1@${DIGEST}\n`).join("");
    const big = repository(
      { "big.yaml": `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  template:\n    spec:\n      containers:\n${containers}` },
      {},
      ["privilege-escalation-allowed"],
    );
    const group = groupOf(big, "all", "all");
    const text = big.text(group);
    const rows = tableRows(text.body);
    expect(rows).toHaveLength(MAX_TABLE_ROWS + 1);
    expect(rows[MAX_TABLE_ROWS - 1]).toContain("| c099 |");
    expect(rows[MAX_TABLE_ROWS]).toBe("| … | 3 more, in the diff | | |");
    expect(text.title).toBe("Shipshape: fix 103 findings");
    expect(readMetadata(text.body)?.fingerprints).toHaveLength(103);
  });
});

describe("pullRequestText: titles", () => {
  const repo = repository(REPO);

  it("names what the fix does for each rule group", () => {
    expect(repo.groups("rule").map((group) => [group.branch, repo.text(group).title])).toEqual([
      ["shipshape/capabilities-not-dropped", "Disallow default Linux capabilities (capabilities-not-dropped)"],
      ["shipshape/liveness-probe-missing", "Add liveness probes (liveness-probe-missing)"],
      ["shipshape/memory-limit-missing", "Add memory limits (memory-limit-missing)"],
      ["shipshape/network-policy-missing", "Add NetworkPolicies (network-policy-missing)"],
      ["shipshape/pdb-missing", "Add PodDisruptionBudgets (pdb-missing)"],
      ["shipshape/privilege-escalation-allowed", "Disallow privilege escalation (privilege-escalation-allowed)"],
      ["shipshape/resource-requests-missing", "Add CPU or memory requests (resource-requests-missing)"],
      ["shipshape/run-as-non-root-missing", "Ensure containers do not run as root (run-as-non-root-missing)"],
      ["shipshape/seccomp-profile-missing", "Add seccomp profiles (seccomp-profile-missing)"],
      ["shipshape/topology-spread-missing", "Add topology spread constraints (topology-spread-missing)"],
    ]);
  });

  it("counts findings and names the folder for directory groups", () => {
    expect(repo.groups("directory").map((group) => [group.key, repo.text(group).title])).toEqual([
      ["apps/api", "Shipshape: fix 4 findings in apps/api"],
      ["apps/storefront", "Shipshape: fix 13 findings in apps/storefront"],
      ["root", "Shipshape: fix 2 findings in the root folder"],
    ]);
  });

  it("counts every finding for the all group", () => {
    expect(repo.groups("all").map((group) => [group.branch, repo.text(group).title])).toEqual([["shipshape/all", "Shipshape: fix 19 findings"]]);
  });

  it("derives an action from every catalog rule title, and falls back for titles it cannot read", () => {
    expect(CATALOG.map((rule) => [rule.id, actionOf(rule.title)])).toEqual([
      // Only rules with a fix open pull requests: the others' fallbacks ("Fix: …") are never a title.
      ["actions-not-pinned", "Ensure actions are pinned to a commit SHA"],
      ["argocd-target-revision-mutable", "Replace mutable revisions"],
      ["capabilities-not-dropped", "Disallow default Linux capabilities"],
      ["certificate-expired", "Fix: certificate has expired"],
      ["certificate-expiring", "Fix: certificate expires soon"],
      ["certificate-invalid", "Fix: certificate cannot be read"],
      ["certificate-lifetime-too-long", "Ensure certificates are short-lived"],
      ["certificate-renewal-window", "Ensure certificates are renewed in time"],
      ["container-runs-as-root", "Add non-root users"],
      ["cors-wildcard", "Disallow CORS from any origin"],
      ["database-tls-disabled", "Replace unencrypted database connections"],
      ["deprecated-api-version", "Replace removed API versions"],
      ["env-secret-literal", "Replace literal secrets"],
      ["helm-values-schema-missing", "Add values schemas"],
      ["host-namespace-shared", "Fix: pod shares a host namespace"],
      ["host-path-mounted", "Replace hostPath volumes"],
      ["hpa-pdb-conflict", "Fix: podDisruptionBudget blocks every eviction"],
      ["hsts-missing", "Add HSTS"],
      ["image-digest-missing", "Ensure images are pinned by digest"],
      ["image-digest-outdated", "Replace outdated digests"],
      ["image-reference-invalid", "Fix: image reference is not valid"],
      ["image-tag-mutable", "Replace mutable tags"],
      ["ingress-ssl-redirect-missing", "Add HTTPS redirects"],
      ["ingress-tls-missing", "Add TLS"],
      ["liveness-probe-missing", "Add liveness probes"],
      ["lockfile-hashes-missing", "Fix: lockfile pins lack hashes"],
      ["lockfile-maintenance", "Ensure lockfiles are refreshed regularly"],
      ["lockfile-stale", "Ensure lockfiles are up to date"],
      ["memory-limit-missing", "Add memory limits"],
      ["network-policy-missing", "Add NetworkPolicies"],
      ["parse-error", "Fix: file cannot be read as configuration"],
      ["pdb-missing", "Add PodDisruptionBudgets"],
      ["private-key-committed", "Fix: private key is committed unencrypted"],
      ["privilege-escalation-allowed", "Disallow privilege escalation"],
      ["privileged-container", "Fix: container is privileged"],
      ["read-only-root-filesystem-missing", "Add read-only root filesystems"],
      ["readiness-probe-missing", "Add readiness probes"],
      ["replicas-too-low", "Ensure workloads are replicated"],
      ["resource-requests-missing", "Add CPU or memory requests"],
      ["rolling-update-unsafe", "Disallow downtime during updates"],
      ["run-as-non-root-missing", "Ensure containers do not run as root"],
      ["seccomp-profile-missing", "Add seccomp profiles"],
      ["secret-plaintext", "Ensure secrets are encrypted"],
      ["service-account-token-automounted", "Disallow service account token automount"],
      ["spki-pin-mismatch", "Fix: SPKI pin matches no certificate"],
      ["startup-probe-advised", "Add startup probes"],
      ["tls-protocol-weak", "Disallow TLS below 1.2"],
      ["topology-spread-missing", "Add topology spread constraints"],
    ]);
    expect(actionOf("Namespace has no network policy")).toBe("Add network policies");
    expect(actionOf("Pod lacks resource limits.")).toBe("Add resource limits");
    expect(actionOf("CPU throttling is too aggressive")).toBe("Fix: CPU throttling is too aggressive");
  });

  it("keeps titles to 72 characters", () => {
    const group = groupOf(repo, "rule", "liveness-probe-missing");
    const longTitle = CATALOG.map((rule) =>
      rule.id === "liveness-probe-missing" ? { ...rule, title: "Container has no liveness probe that Kubernetes can use to restart it" } : rule,
    );
    // Too long with the rule id: the id goes (it is in the body and the branch).
    expect(repo.text(group, longTitle).title).toBe("Add a liveness probe that Kubernetes can use to restart it");
    const longerTitle = CATALOG.map((rule) =>
      rule.id === "liveness-probe-missing" ? { ...rule, title: `Container has no ${"very ".repeat(20)}long probe` } : rule,
    );
    const shortened = repo.text(group, longerTitle).title;
    expect(shortened).toBe(`Add a ${"very ".repeat(12)}very…`);
    expect(shortened.length).toBeLessThanOrEqual(72);

    const deep = "clusters/production/eu-west-1/namespaces/storefront/overlays/blue-green/canary";
    const files = { [`${deep}/deployment.yaml`]: REPO["apps/api/deployment.yaml"] as string };
    // The folder is the subject: these rules would add findings of their own to the API's one, and so to the count in the title.
    const oneFinding: ConfigFile = { rules: { "capabilities-not-dropped": "off", "seccomp-profile-missing": "off", "network-policy-missing": "off" } };
    const deepRepo = repository(files, oneFinding);
    const title = deepRepo.text(groupOf(deepRepo, "directory", deep)).title;
    expect(title).toBe("Shipshape: fix 1 finding in …/storefront/overlays/blue-green/canary");
    // A folder name with no "/" in the part that fits is cut where it must be.
    const oneLong = `apps/${"x".repeat(80)}`;
    const longRepo = repository({ [`${oneLong}/deployment.yaml`]: REPO["apps/api/deployment.yaml"] as string }, oneFinding);
    const cut = longRepo.text(groupOf(longRepo, "directory", oneLong)).title;
    expect(cut).toBe(`Shipshape: fix 1 finding in …${"x".repeat(43)}`);
    expect(cut).toHaveLength(72);
  });
});

describe("pullRequestText: draft and labels", () => {
  const repo = repository(REPO);

  it("is a draft exactly when a change could break a running workload", () => {
    expect(repo.groups("rule").map((group) => [group.key, repo.text(group).draft])).toEqual([
      ["capabilities-not-dropped", true], // the application may need a capability it loses
      ["liveness-probe-missing", true], // a copied probe
      ["memory-limit-missing", true], // a limit can get the container OOMKilled
      ["network-policy-missing", true], // a default deny refuses connections no policy allows
      ["pdb-missing", false], // a new file that only slows down drains
      ["privilege-escalation-allowed", false],
      ["resource-requests-missing", false],
      ["run-as-non-root-missing", true], // the image may run as root
      ["seccomp-profile-missing", false],
      ["topology-spread-missing", false], // ScheduleAnyway: a preference, no pod stays Pending
    ]);
    expect(repo.groups("directory").map((group) => [group.key, repo.text(group).draft])).toEqual([
      ["apps/api", true], // capabilities and a NetworkPolicy
      ["apps/storefront", true],
      ["root", false], // the debug pod already drops its capabilities
    ]);
  });

  it("explains the draft in the first paragraph, and only for drafts", () => {
    const draftNote = 'It is a draft because at least one change could stop a workload from starting or serving: read "Before merging", then mark it ready for review.';
    expect(repo.text(groupOf(repo, "rule", "liveness-probe-missing")).body.split("\n")[0]).toContain(draftNote);
    expect(repo.text(groupOf(repo, "rule", "resource-requests-missing")).body).not.toContain("draft");
  });

  it("labels pull requests shipshape plus the categories of the rules they fix, sorted", () => {
    expect(repo.groups("rule").map((group) => [group.key, repo.text(group).labels])).toEqual([
      ["capabilities-not-dropped", ["shipshape", "security"]],
      ["liveness-probe-missing", ["shipshape", "reliability"]],
      ["memory-limit-missing", ["shipshape", "resources"]],
      ["network-policy-missing", ["shipshape", "network"]],
      ["pdb-missing", ["shipshape", "reliability"]],
      ["privilege-escalation-allowed", ["shipshape", "security"]],
      ["resource-requests-missing", ["shipshape", "resources"]],
      ["run-as-non-root-missing", ["shipshape", "security"]],
      ["seccomp-profile-missing", ["shipshape", "security"]],
      ["topology-spread-missing", ["shipshape", "reliability"]],
    ]);
    expect(repo.text(groupOf(repo, "directory", "apps/api")).labels).toEqual(["shipshape", "network", "security"]);
    expect(repo.text(groupOf(repo, "all", "all")).labels).toEqual(["shipshape", "network", "reliability", "resources", "security"]);
  });
});

describe("metadata", () => {
  const repo = repository(REPO);

  it("round-trips: rules and the fixed findings' fingerprints, sorted, and the base commit", () => {
    const group = groupOf(repo, "directory", "apps/storefront");
    const text = repo.text(group);
    expect(readMetadata(text.body)).toEqual({
      version: 1,
      group: "apps/storefront",
      rules: [
        "capabilities-not-dropped",
        "liveness-probe-missing",
        "memory-limit-missing",
        "network-policy-missing",
        "pdb-missing",
        "privilege-escalation-allowed",
        "resource-requests-missing",
        "run-as-non-root-missing",
        "seccomp-profile-missing",
        "topology-spread-missing",
      ],
      fingerprints: group.findings.map((finding) => finding.fingerprint).sort(),
      baseSha: BASE_SHA,
    });
    expect(group.findings).toHaveLength(13);
    expect(text.body.endsWith(" -->")).toBe(true);
    expect(text.body.split("\n").at(-1)).toMatch(new RegExp(`^<!-- ${METADATA_MARKER}:\\{"version":1,"group":"apps/storefront","rules":\\[`));
  });

  it("reads the last well-formed block, skipping other comments people or tools added", () => {
    const text = repo.text(groupOf(repo, "rule", "liveness-probe-missing"));
    const edited = `<!-- shipshape:{"version":1,"group":"old","rules":[],"fingerprints":[],"baseSha":"0"} -->\n${text.body}\n<!-- shipshape:hands-off -->\nThanks!`;
    expect(readMetadata(edited)?.group).toBe("liveness-probe-missing");
    expect(readMetadata(edited.replace(/\n/g, "\r\n"))?.group).toBe("liveness-probe-missing");
  });

  it("returns undefined for missing or malformed blocks, and never throws", () => {
    const garbage: (string | null | undefined)[] = [
      undefined,
      null,
      "",
      "Just a pull request.",
      "<!-- shipshape: -->",
      "<!-- shipshape:{ -->",
      "<!-- shipshape:{\"version\":1 -->",
      "<!-- shipshape:[] -->",
      "<!-- shipshape:null -->",
      "<!-- shipshape:\"text\" -->",
      '<!-- shipshape:{"version":2,"group":"g","rules":[],"fingerprints":[],"baseSha":"a"} -->',
      '<!-- shipshape:{"version":"1","group":"g","rules":[],"fingerprints":[],"baseSha":"a"} -->',
      '<!-- shipshape:{"version":1,"rules":[],"fingerprints":[],"baseSha":"a"} -->',
      '<!-- shipshape:{"version":1,"group":"g","rules":"a","fingerprints":[],"baseSha":"a"} -->',
      '<!-- shipshape:{"version":1,"group":"g","rules":[],"fingerprints":[1],"baseSha":"a"} -->',
      '<!-- shipshape:{"version":1,"group":"g","rules":[],"fingerprints":[]} -->',
      '<!-- renovate:{"version":1,"group":"g","rules":[],"fingerprints":[],"baseSha":"a"} -->',
      '<!-- shipshape:{"version":1,"group":"g","rules":[],"fingerprints":[],"baseSha":"a"}',
    ];
    for (const body of garbage) expect([body, readMetadata(body)]).toEqual([body, undefined]);
    expect(readMetadata('<!-- shipshape:{"version":1,"group":"g","rules":[],"fingerprints":[],"baseSha":"a","extra":true} -->')).toEqual({
      version: 1,
      group: "g",
      rules: [],
      fingerprints: [],
      baseSha: "a",
    });
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, inside) => {
        expect(() => readMetadata(`${before}<!-- shipshape:${inside} -->`)).not.toThrow();
        expect(() => readMetadata(before)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("escaping", () => {
  const odd = "apps/we|rd`-->";
  const repo = repository({
    [`${odd}/de|ploy*.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata: {name: "x|y", namespace: "<!--"}
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
        - name: "a|b\`-->c"
          image: app:1@${DIGEST}
          ports: [{containerPort: 80}]
          livenessProbe: {tcpSocket: {port: 80}}
          readinessProbe: {tcpSocket: {port: 80}}
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}
`,
  });
  const group = groupOf(repo, "directory", odd);
  const text = repo.text(group);

  it("escapes pipes, backticks and markup in table cells, and encodes the link", () => {
    const link = (line: number) => `[apps/we\\|rd\\\`--\\>/de\\|ploy\\*.yaml:${line}](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/we%7Crd%60--%3E/de%7Cploy%2A.yaml#L${line})`;
    const container = "a\\|b\\\`--\\>c";
    expect(tableRows(text.body)).toEqual([
      // The NetworkPolicy goes to a new file named after the namespace, "<!--".
      `| ${link(1)} | Deployment \\<!--/x\\|y | — | Adds apps/we\\|rd\\\`--\\>/\\<!---network-policies.yaml with NetworkPolicies for the namespace "\\<!--": "default-deny-ingress" (no pod accepts connections unless a policy below allows them). What else may need opening: egress stays open, because denying it would also need DNS (UDP and TCP port 53 to kube-system) and every service the applications call, which this repository does not show; connections from other namespaces, from monitoring scrapers such as Prometheus, and from admission webhooks are now refused unless a policy allows them. |`,
      `| ${link(9)} | Deployment \\<!--/x\\|y | ${container} | Sets securityContext.capabilities.drop to \\[ALL\\] on container "${container}". |`,
      `| ${link(9)} | Deployment \\<!--/x\\|y | ${container} | Sets securityContext.allowPrivilegeEscalation to false on container "${container}". |`,
      `| ${link(9)} | Deployment \\<!--/x\\|y | ${container} | Sets securityContext.seccompProfile.type to RuntimeDefault on container "${container}". |`,
    ]);
    expect(text.body).toContain("This pull request fixes 4 findings in apps/we\\|rd\\`--\\>/, in 2 files,");
  });

  it("keeps the metadata inside its comment: the only comment in the body is the metadata block", () => {
    // What Markdown reads as markup once backslash escapes are taken out.
    const markup = text.body.replace(/\\[\s\S]/g, "");
    expect(markup.indexOf("<!--")).toBe(markup.lastIndexOf("<!--"));
    expect(markup.indexOf("-->")).toBe(markup.length - 3);
    expect(text.body.indexOf("-->")).toBe(text.body.length - 3);
    expect(text.body.split("\n").at(-1)).toContain('"group":"apps/we|rd`--\\u003e"');
    expect(readMetadata(text.body)?.group).toBe(odd);
  });

  it("keeps a group name that looks like markup or a comment end intact through the metadata", () => {
    const fingerprints = group.findings.map((finding) => finding.fingerprint).sort();
    const rules = ["capabilities-not-dropped", "network-policy-missing", "privilege-escalation-allowed", "seccomp-profile-missing"];
    for (const key of ["--><script>alert(1)</script>", "a --!> b", "&amp; <!-- x", "\u2028\u2029"]) {
      const renamed: FixGroup = { ...group, key, groupBy: "all" };
      const body = repo.text(renamed).body;
      expect(body.indexOf("-->")).toBe(body.length - 3);
      expect(readMetadata(body)).toEqual({ version: 1, group: key, rules, fingerprints, baseSha: BASE_SHA });
    }
  });
});

describe("pullRequestText: cert-manager taking over expiring static Secrets", () => {
  const ca = new TestCa();
  afterAll(() => ca.dispose());
  const web = ca.issue({ subject: "/CN=shop.example.com", sans: "DNS:shop.example.com", notBefore: "2025-12-01", notAfter: "2026-01-10" });
  const api = ca.issue({ subject: "/CN=api.example.com", sans: "DNS:api.example.com", notBefore: "2025-12-01", notAfter: "2026-01-20" });
  const secret = (name: string, pem: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: shop}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${base64(pem)}\n`;
  const ingress = (name: string, host: string, secretName: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}, namespace: shop}\nspec: {tls: [{hosts: [${host}], secretName: ${secretName}}]}\n`;
  const root = mkdtempSync(join(tmpdir(), "shipshape-pr-text-"));
  roots.push(root);
  const files: Record<string, string> = {
    "apps/web/secret.yaml": secret("web-tls", web.pem),
    "apps/web/ingress.yaml": ingress("storefront", "shop.example.com", "web-tls"),
    "apps/api/secret.yaml": secret("api-tls", api.pem),
    "apps/api/ingress.yaml": ingress("api", "api.example.com", "api-tls"),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const config: ConfigFile = { certificates: { issuer: { name: "letsencrypt-prod" } } };
  const rules = activeRules(CATALOG, config, ["certificate-expiring"]);
  const settings = fixSettingsOf(config);
  const now = new Date("2026-01-01T00:00:00Z");
  const scanned = scanDirectory({ root, rules, fixSettings: settings, now });
  const group = only(groupFixableFindings(scanned.findings, "rule"));
  const changeset = fixFindings(scanned.workspace, group.findings, { rules, settings, limits: DEFAULT_LIMITS, now });
  const text = pullRequestText({ group, changeset, rules: CATALOG, repository: REPOSITORY, baseSha: BASE_SHA, defaultBranch: "main" });

  it("edits the Ingresses, lists the findings where they are, and says they stay until people act", () => {
    expect(changeset.files.map((file) => file.path)).toEqual(["apps/api/ingress.yaml", "apps/web/ingress.yaml"]);
    expect(text.draft).toBe(false);
    expect(text.body.split("\n")[0]).toBe(
      'This pull request fixes 2 findings of rule `certificate-expiring`, in 2 files, based on `main` at 4f2c9a1. Each change was checked before it was proposed: the file was parsed and scanned again, the finding is gone, nothing new appeared, and the rest of the data is unchanged. 2 changes do not remove their findings by themselves: they stay until people do what "Before merging" says.',
    );
    expect(tableRows(text.body)).toEqual([
      `| [apps/api/secret.yaml:6](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/api/secret.yaml#L6) | Secret shop/api-tls | — | Lets cert-manager issue Secret "api-tls" for Ingress shop/api (ClusterIssuer "letsencrypt-prod", through the annotation cert-manager.io/cluster-issuer): the static certificate in apps/api/secret.yaml can then be deleted. |`,
      `| [apps/web/secret.yaml:6](https://github.com/acme/gitops/blob/${BASE_SHA}/apps/web/secret.yaml#L6) | Secret shop/web-tls | — | Lets cert-manager issue Secret "web-tls" for Ingress shop/storefront (ClusterIssuer "letsencrypt-prod", through the annotation cert-manager.io/cluster-issuer): the static certificate in apps/web/secret.yaml can then be deleted. |`,
    ]);
  });

  it("says once, before merging, that the static Secrets are to be deleted once cert-manager has issued them", () => {
    expect(text.body).toContain(
      '## Before merging\n\n- `certificate-expiring`: cert-manager replaces the certificate in the Secret once this is deployed and the ClusterIssuer "letsencrypt-prod" (which must exist in the cluster) can solve the challenge for every host the Ingress lists for it; delete the static Secret from the repository afterwards, or Argo CD will put the old certificate back.\n\n## How to roll back',
    );
  });

  it("says it for one change in the singular", () => {
    const one: Changeset = { ...changeset, applied: changeset.applied.slice(0, 1) };
    const single = pullRequestText({ group, changeset: one, rules: CATALOG, repository: REPOSITORY, baseSha: BASE_SHA, defaultBranch: "main" });
    expect(single.body.split("\n")[0]).toMatch(/unchanged\. One change does not remove its finding by itself: it stays until people do what "Before merging" says\.$/);
  });
});
