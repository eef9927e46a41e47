import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { activeRules, type ActiveRule } from "../../src/config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, fixSettingsOf, type ConfigFile, type FixSettings } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { fixFindings } from "../../src/fixes/engine.js";
import { analyseFile, type FileState } from "../../src/fixes/file-state.js";
import type { DataChange } from "../../src/fixes/types.js";
import { verifyFix } from "../../src/fixes/verify.js";
import { loadRules } from "../../src/rules/load.js";
import type { Finding } from "../../src/scan/finding.js";
import { scanDirectory, type ScanResult } from "../../src/scan/scan.js";

const CATALOG = loadRules();
const DIGEST = "sha256:02d4a74a43b890b28bb805c1141492711fd65d46a5c63c82ff50c3dce99cd492";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

interface FixRun {
  /** The files as written for the run. */
  files: Record<string, string>;
  scanned: ScanResult;
  changeset: Changeset;
  /** The new text of each changed file, by path. */
  after: Record<string, string>;
}

/** Writes the files to a fresh folder and scans it as `shipshape scan` does. */
function scanWritten(files: Record<string, string>, config: ConfigFile = {}, only: readonly string[] = []): { scanned: ScanResult; rules: ActiveRule[]; settings: FixSettings } {
  const root = mkdtempSync(join(tmpdir(), "shipshape-fixes-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const rules = activeRules(CATALOG, config, only);
  const settings = fixSettingsOf(config);
  return { scanned: scanDirectory({ root, rules, fixSettings: settings }), rules, settings };
}

/** Writes the files to a fresh folder, scans it as `shipshape scan` does, and fixes what was found. */
function fixFiles(files: Record<string, string>, config: ConfigFile = {}, only: readonly string[] = []): FixRun {
  const { scanned, rules, settings } = scanWritten(files, config, only);
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS });
  return { files, scanned, changeset, after: Object.fromEntries(changeset.files.map((file) => [file.path, file.after])) };
}

/** Fixes the workspace again as the run left it (its fixed files and the ones it left alone), with the same config and rules. */
function refix(run: FixRun, config: ConfigFile = {}, only: readonly string[] = []): FixRun {
  return fixFiles({ ...run.files, ...run.after }, config, only);
}

/** What a new scan finds in the workspace as the run left it (its fixed files and the ones it left alone), with the same config and rules. */
function rescan(run: FixRun, config: ConfigFile = {}, only: readonly string[] = []): Finding[] {
  return scanWritten({ ...run.files, ...run.after }, config, only).scanned.findings;
}

const applied = (changeset: Changeset): [string, string, string][] => changeset.applied.map((fix) => [fix.rule, fix.file, fix.explanation]);
const skipped = (changeset: Changeset): [string, string, string | undefined, string][] =>
  changeset.skipped.map((skip) => [skip.rule, skip.file, skip.finding.container, skip.reason]);

describe("fixFindings: several fixes on one container", () => {
  const ORDERS = `# Orders API, owned by team-checkout.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: orders}
  template:
    metadata:
      labels: {app: orders}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: orders}
      containers:
        - name: api
          image: registry.example.com/orders:2.1.0@${DIGEST}
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info # quiet in production
`;
  // The Deployment's PodDisruptionBudget and NetworkPolicy, in a file of their own: the workload is covered, only its container is not.
  const GUARDS = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: orders
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: orders}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: orders
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: orders}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: storefront}
      ports:
        - port: http
`;
  const FILES = { "apps/orders.yaml": ORDERS, "apps/orders-guards.yaml": GUARDS };
  // readOnlyRootFilesystem has no fix: whether "api" can run read-only is not what these tests are about.
  const CONFIG: ConfigFile = { rules: { "read-only-root-filesystem-missing": "off" } };

  it("applies all eight in the rules' fix order: probes, requests, limits, securityContext fields", () => {
    const run = fixFiles(FILES, CONFIG);
    // The scan lists them by line, then rule id: not the order they are fixed in.
    expect(run.scanned.findings.map((finding) => [finding.rule, finding.fixable])).toEqual([
      ["capabilities-not-dropped", true],
      ["liveness-probe-missing", true],
      ["memory-limit-missing", true],
      ["privilege-escalation-allowed", true],
      ["readiness-probe-missing", true],
      ["resource-requests-missing", true],
      ["run-as-non-root-missing", true],
      ["seccomp-profile-missing", true],
    ]);
    expect(run.after).toEqual({
      "apps/orders.yaml": `${ORDERS}          livenessProbe:
            tcpSocket:
              port: http
          readinessProbe:
            tcpSocket:
              port: http
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
              type: RuntimeDefault
`,
    });
    expect(applied(run.changeset)).toEqual([
      ["liveness-probe-missing", "apps/orders.yaml", 'Adds a livenessProbe to container "api" that opens a TCP connection to port http.'],
      // Planned after the liveness probe was written: it copies it.
      ["readiness-probe-missing", "apps/orders.yaml", 'Adds a readinessProbe to container "api" that checks what its livenessProbe already checks.'],
      ["resource-requests-missing", "apps/orders.yaml", 'Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "api".'],
      ["memory-limit-missing", "apps/orders.yaml", 'Sets resources.limits.memory to 256Mi (2× the memory request) on container "api".'],
      ["run-as-non-root-missing", "apps/orders.yaml", 'Sets securityContext.runAsNonRoot to true on container "api".'],
      ["privilege-escalation-allowed", "apps/orders.yaml", 'Sets securityContext.allowPrivilegeEscalation to false on container "api".'],
      ["capabilities-not-dropped", "apps/orders.yaml", 'Sets securityContext.capabilities.drop to [ALL] on container "api".'],
      ["seccomp-profile-missing", "apps/orders.yaml", 'Sets securityContext.seccompProfile.type to RuntimeDefault on container "api".'],
    ]);
    expect(run.changeset.skipped).toEqual([]);
  });

  it("records each file once, with the ids of its fixes and its old text, and a new scan of the fixed workspace finds nothing", () => {
    const run = fixFiles(FILES, CONFIG);
    const [file] = run.changeset.files;
    expect(run.changeset.files).toHaveLength(1);
    expect(file?.path).toBe("apps/orders.yaml");
    expect(file?.before).toBe(ORDERS);
    expect(file?.fixes).toEqual(run.changeset.applied.map((fix) => fix.id));
    expect(new Set(file?.fixes).size).toBe(8);
    expect(file?.fixes.every((id) => /^[0-9a-f]{8,}$/.test(id))).toBe(true);
    // Each applied fix carries the finding it fixed and its risk note.
    expect(run.changeset.applied.map((fix) => [fix.finding.rule, fix.finding.container])).toEqual(run.changeset.applied.map((fix) => [fix.rule, "api"]));
    expect(run.changeset.applied[2]?.risk).toBe(
      "Requests decide where the pod is scheduled, and a container that uses more memory than its limit is killed (OOMKilled). The values written are starting points from .shipshape.yml (fixes.resources), not measurements: compare them with the container's real usage before merging.",
    );
    // A scan of the fixed workspace finds nothing (see the idempotence test below): the workspace rules see the
    // PodDisruptionBudget and NetworkPolicy in apps/orders-guards.yaml, which the fixes left alone.
    expect(rescan(run, CONFIG)).toEqual([]);
  });

  it("gives the same fix the same id on another run", () => {
    const first = fixFiles(FILES, CONFIG);
    const second = fixFiles(FILES, CONFIG);
    expect(second.changeset.applied.map((fix) => fix.id)).toEqual(first.changeset.applied.map((fix) => fix.id));
  });

  it("writes what the config says: httpGet on fixes.probes.httpPath, its requests and factor", () => {
    const config: ConfigFile = {
      ...CONFIG,
      fixes: { probes: { httpPath: "/healthz" }, resources: { requests: { cpu: "50m", memory: "64Mi" }, memoryLimitFactor: 4 } },
    };
    const run = fixFiles(FILES, config);
    expect(run.after["apps/orders.yaml"]).toBe(`${ORDERS}          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: 256Mi
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
`);
    expect(run.changeset.applied.map((fix) => fix.explanation).slice(0, 4)).toEqual([
      'Adds a livenessProbe to container "api" that sends GET /healthz to port http.',
      'Adds a readinessProbe to container "api" that sends GET /healthz to port http.',
      'Sets resources.requests.cpu: 50m, resources.requests.memory: 64Mi on container "api".',
      'Sets resources.limits.memory to 256Mi (4× the memory request) on container "api".',
    ]);
  });

  it("fixes only the rules that are on", () => {
    const run = fixFiles({ "apps/orders.yaml": ORDERS }, { rules: { "readiness-probe-missing": "off" } }, ["readiness-probe-missing", "run-as-non-root-missing"]);
    expect(run.after["apps/orders.yaml"]).toBe(`${ORDERS}          securityContext:
            runAsNonRoot: true
`);
    expect(applied(run.changeset).map(([rule]) => rule)).toEqual(["run-as-non-root-missing"]);
  });

  it("is idempotent: fixing the fixed file again changes nothing", () => {
    const run = fixFiles(FILES, CONFIG);
    const again = refix(run, CONFIG);
    expect(again.scanned.findings).toEqual([]);
    expect(again.changeset).toEqual({ files: [], applied: [], skipped: [] });
  });
});

describe("fixFindings: what is not fixed, and why", () => {
  const SHOP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: example/web:3.2.1@${DIGEST}
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: 200m, memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
        - name: worker
          image: example/worker:latest
          args: [--queue, orders]
          resources:
            requests: {cpu: 100m, memory: 1e3Mi}
            limits: {memory: 512Mi}
          securityContext:
            privileged: true
            readOnlyRootFilesystem: true
`;
  // shop.yaml is a Deployment on its own: its replica count and NetworkPolicy are not what these skips are about.
  const SHOP_CONFIG: ConfigFile = { rules: { "replicas-too-low": "off", "network-policy-missing": "off" } };

  // A privileged container runs Unconfined whatever seccompProfile it sets ("Privileged containers always run as
  // Unconfined"): like capabilities-not-dropped, its seccomp finding is left to people, with the privilege as reason.
  it("skips a probe for a container with no port and no probe, a privileged container, an unreadable request; fixes the rest", () => {
    const run = fixFiles({ "shop.yaml": SHOP }, SHOP_CONFIG);
    expect(run.after["shop.yaml"]).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: example/web:3.2.1@${DIGEST}
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: 200m, memory: 256Mi}
            limits:
              memory: 512Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
          livenessProbe:
            tcpSocket:
              port: 8080
          readinessProbe:
            tcpSocket:
              port: 8080
        - name: worker
          image: example/worker:latest
          args: [--queue, orders]
          resources:
            requests: {cpu: 100m, memory: 1e3Mi}
            limits: {memory: 512Mi}
          securityContext:
            privileged: true
            readOnlyRootFilesystem: true
`);
    expect(applied(run.changeset)).toEqual([
      ["liveness-probe-missing", "shop.yaml", 'Adds a livenessProbe to container "web" that opens a TCP connection to port 8080.'],
      ["readiness-probe-missing", "shop.yaml", 'Adds a readinessProbe to container "web" that checks what its livenessProbe already checks.'],
      ["memory-limit-missing", "shop.yaml", 'Sets resources.limits.memory to 512Mi (2× the memory request) on container "web".'],
      ["capabilities-not-dropped", "shop.yaml", 'Sets securityContext.capabilities.drop to [ALL] on container "web".'],
      ["seccomp-profile-missing", "shop.yaml", 'Sets securityContext.seccompProfile.type to RuntimeDefault on container "web".'],
    ]);
    const noPort = (other: string) =>
      `container "worker" declares no containerPort and has no ${other} to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)`;
    // In the order the findings are written.
    expect(skipped(run.changeset)).toEqual([
      ["liveness-probe-missing", "shop.yaml", "worker", noPort("readinessProbe")],
      ["readiness-probe-missing", "shop.yaml", "worker", noPort("livenessProbe")],
      // The mutable tag can be pinned, but no digests were passed in: nothing was looked up.
      ["image-tag-mutable", "shop.yaml", "worker", "the digest was not looked up"],
      [
        "capabilities-not-dropped",
        "shop.yaml",
        "worker",
        'container "worker" is privileged, so it keeps every capability whatever it drops; Shipshape does not take privileges away that may be needed, decide by hand',
      ],
      ["seccomp-profile-missing", "shop.yaml", "worker", expect.stringContaining('container "worker" is privileged')],
      ["privilege-escalation-allowed", "shop.yaml", "worker", 'container "worker" is privileged; Shipshape does not take privileges away that may be needed, decide by hand'],
    ]);
    // What was skipped stays a finding; the pin stays fixable (with a digest it could be written).
    expect(rescan(run, SHOP_CONFIG).map((finding) => [finding.rule, finding.container, finding.fixable])).toEqual([
      ["liveness-probe-missing", "worker", false],
      ["readiness-probe-missing", "worker", false],
      ["image-tag-mutable", "worker", true],
      ["capabilities-not-dropped", "worker", false],
      ["seccomp-profile-missing", "worker", false],
      ["privilege-escalation-allowed", "worker", false],
      // Found, never fixed: no rule has a fix for it.
      ["privileged-container", "worker", false],
    ]);
  });

  it("the skipped findings carry the reason the scan gave them", () => {
    const run = fixFiles({ "shop.yaml": SHOP }, SHOP_CONFIG);
    // The scan found the pin fixable: it is skipped for want of a digest, a reason only the fix step knows.
    const pin = run.changeset.skipped.find((skip) => skip.rule === "image-tag-mutable");
    const rest = run.changeset.skipped.filter((skip) => skip !== pin);
    expect([pin?.finding.fixable, pin?.finding.notFixableReason, pin?.reason]).toEqual([true, undefined, "the digest was not looked up"]);
    // The seccomp profile of the privileged worker: see above.
    expect(rest.map((skip) => skip.rule)).toEqual([
      "liveness-probe-missing",
      "readiness-probe-missing",
      "capabilities-not-dropped",
      "seccomp-profile-missing",
      "privilege-escalation-allowed",
    ]);
    for (const skip of rest) {
      expect(skip.finding.fixable).toBe(false);
      expect(skip.reason).toBe(skip.finding.notFixableReason);
    }
  });

  it("an unreadable memory request makes the limit unfixable", () => {
    const run = fixFiles(
      {
        "pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: odd
spec:
  containers:
    - name: odd
      image: example/odd:1.0
      resources:
        requests: {cpu: 100m, memory: 1e3Mi}
`,
      },
      {},
      ["memory-limit-missing"],
    );
    expect(run.changeset).toEqual({
      files: [],
      applied: [],
      skipped: [expect.objectContaining({ rule: "memory-limit-missing", file: "pod.yaml", reason: 'the memory request "1e3Mi" of container "odd" is not a quantity Shipshape can multiply' })],
    });
  });

  const PAIR = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pair
spec:
  template:
    spec:
      containers:
        - name: main
          image: example/main:1.0
          securityContext: &restricted
            runAsNonRoot: true
            readOnlyRootFilesystem: true
        - name: helper
          image: example/helper:1.0
          securityContext: *restricted
`;

  it("does not edit a securityContext that comes from an alias, nor the anchor it shares; other fixes on those containers go ahead", () => {
    const run = fixFiles({ "pair.yaml": PAIR }, {}, ["privilege-escalation-allowed", "resource-requests-missing"]);
    // The scan sees through the alias: both containers lack allowPrivilegeEscalation, and neither is fixable.
    expect(run.scanned.findings.filter((finding) => finding.rule === "privilege-escalation-allowed").map((finding) => [finding.container, finding.fixable])).toEqual([
      ["main", false],
      ["helper", false],
    ]);
    const shared = (index: number) =>
      `spec.template.spec.containers[${index}].securityContext.allowPrivilegeEscalation is shared through the YAML anchor &restricted; Shipshape does not edit shared values`;
    expect(skipped(run.changeset)).toEqual([
      ["privilege-escalation-allowed", "pair.yaml", "main", shared(0)],
      ["privilege-escalation-allowed", "pair.yaml", "helper", shared(1)],
    ]);
    expect(applied(run.changeset).map(([rule, , explanation]) => [rule, explanation])).toEqual([
      ["resource-requests-missing", 'Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "main".'],
      ["resource-requests-missing", 'Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "helper".'],
    ]);
    expect(run.after["pair.yaml"]).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: pair
spec:
  template:
    spec:
      containers:
        - name: main
          image: example/main:1.0
          securityContext: &restricted
            runAsNonRoot: true
            readOnlyRootFilesystem: true
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
        - name: helper
          image: example/helper:1.0
          securityContext: *restricted
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
`);
  });

  it("with only alias-blocked fixes, the file is not changed at all", () => {
    const run = fixFiles({ "pair.yaml": PAIR }, {}, ["privilege-escalation-allowed"]);
    expect(run.changeset.files).toEqual([]);
    expect(run.changeset.applied).toEqual([]);
    expect(run.changeset.skipped.map((skip) => skip.finding.container)).toEqual(["main", "helper"]);
  });

  // Guards a fixed bug: the scan numbers the fingerprints of an object written twice in one file (…, then …#1).
  // Once the first copy is fixed, the second copy's finding takes over the first fingerprint, so
  // the first fix "still has the finding" and is dropped; only the second copy is fixed, and a
  // second --fix run changes the file again.
  it("fixes both copies of an object written twice in one file", () => {
    const copy = `apiVersion: v1
kind: Pod
metadata:
  name: twin
spec:
  containers:
    - name: app
      image: example/app:1.0
      securityContext:
        runAsNonRoot: true
`;
    const run = fixFiles({ "twins.yaml": `${copy}---\n${copy}` }, {}, ["privilege-escalation-allowed"]);
    const fixed = `${copy}        allowPrivilegeEscalation: false\n`;
    expect(skipped(run.changeset)).toEqual([]);
    expect(run.after["twins.yaml"]).toBe(`${fixed}---\n${fixed}`);
  });

  // Guards a fixed bug: the editor wrote the string "yes" unquoted; the scan (like Kubernetes' YAML 1.1 reader)
  // reads `yes` as the boolean true, so verification drops a correct fix instead of it being quoted.
  it("copies a probe whose command has a YAML 1.1 boolean word as a string", () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: example/app:1.0
      readinessProbe:
        exec:
          command: [/bin/check, --strict, "yes"]
`;
    const run = fixFiles({ "p.yaml": text }, {}, ["liveness-probe-missing"]);
    expect(skipped(run.changeset)).toEqual([]);
    expect(applied(run.changeset)).toEqual([
      ["liveness-probe-missing", "p.yaml", 'Adds a livenessProbe to container "app" that checks what its readinessProbe already checks.'],
    ]);
    const state = analyseFile("p.yaml", "yaml", run.after["p.yaml"] ?? "", { rules: [], settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS, context: {} });
    expect(state.data[0]).toMatchObject({ spec: { containers: [{ livenessProbe: { exec: { command: ["/bin/check", "--strict", "yes"] } } }] } });
  });

  it("a fix the editor refuses is skipped with the editor's reason; the other fixes in the file go ahead", () => {
    // `resources: ""` is a string: the scan finds no requests, the editor has no mapping to add them to.
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: solo
spec:
  containers:
    - name: app
      image: example/app:1.0@${DIGEST}
      resources: ""
`;
    const run = fixFiles({ "pod.yaml": text }, {}, ["run-as-non-root-missing", "resource-requests-missing"]);
    expect(skipped(run.changeset)).toEqual([["resource-requests-missing", "pod.yaml", "app", "spec.containers[0].resources is not a mapping"]]);
    expect(run.after["pod.yaml"]).toBe(`${text}      securityContext:\n        runAsNonRoot: true\n`);
  });
});

describe("fixFindings: files of every shape", () => {
  it("keeps CRLF line endings: every added line ends in CRLF", () => {
    const lines = [
      "apiVersion: batch/v1",
      "kind: Job",
      "metadata:",
      "  name: migrate",
      "spec:",
      "  template:",
      "    spec:",
      "      restartPolicy: Never",
      "      containers:",
      "        - name: migrate",
      "          image: example/migrate:4.0.0",
      "          resources:",
      "            requests:",
      "              cpu: 200m",
      "",
    ];
    const run = fixFiles({ "job.yaml": lines.join("\r\n") }, {}, ["resource-requests-missing", "memory-limit-missing", "run-as-non-root-missing"]);
    expect(run.after["job.yaml"]).toBe(
      [
        ...lines.slice(0, -1),
        "              memory: 128Mi",
        "            limits:",
        "              memory: 256Mi",
        "          securityContext:",
        "            runAsNonRoot: true",
        "",
      ].join("\r\n"),
    );
    expect(run.after["job.yaml"]).not.toMatch(/[^\r]\n/);
  });

  it("keeps a missing final newline", () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: last
spec:
  containers:
    - name: app
      image: example/app:1.0
      securityContext:
        runAsNonRoot: true`;
    const run = fixFiles({ "last.yaml": text }, {}, ["privilege-escalation-allowed", "memory-limit-missing"]);
    expect(run.after["last.yaml"]).toBe(`${text}
        allowPrivilegeEscalation: false
      resources:
        limits:
          memory: 256Mi`);
  });

  it("fixes the good documents of a file whose other document has a syntax error; the error stays", () => {
    const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: app
      image: example/app:1.0
      securityContext:
        runAsNonRoot: true
`;
    const broken = `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  key: [unclosed
`;
    const run = fixFiles({ "mixed.yaml": `${pod("first")}---\n${broken}---\n${pod("second")}` }, {}, ["privilege-escalation-allowed", "parse-error"]);
    const fixed = (name: string) => `${pod(name)}        allowPrivilegeEscalation: false\n`;
    expect(run.after["mixed.yaml"]).toBe(`${fixed("first")}---\n${broken}---\n${fixed("second")}`);
    expect(run.changeset.applied.map((fix) => fix.finding.resource?.name)).toEqual(["first", "second"]);
    expect(run.changeset.skipped).toEqual([]);
    // One line was added above the broken document: its error moves from line 17 to 18.
    expect(run.scanned.findings.filter((finding) => finding.rule === "parse-error").map((finding) => finding.line)).toEqual([17]);
    expect(rescan(run, {}, ["privilege-escalation-allowed", "parse-error"]).map((finding) => [finding.rule, finding.line, finding.message])).toEqual([
      ["parse-error", 18, "YAML syntax error: deficient indentation"],
    ]);
  });

  it("fixes a container of an item of `kind: List`", () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    data: {mode: fast}
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: agent
    spec:
      template:
        spec:
          containers:
            - name: agent
              image: example/agent:0.9
              ports:
                - {name: metrics, containerPort: 9100}
              readinessProbe:
                httpGet: {path: /ready, port: metrics}
`;
    const run = fixFiles({ "list.yaml": text }, {}, ["liveness-probe-missing", "privilege-escalation-allowed"]);
    expect(run.scanned.findings.map((finding) => finding.target)).toEqual([
      { document: 0, path: ["items", 1, "spec", "template", "spec", "containers", 0] },
      { document: 0, path: ["items", 1, "spec", "template", "spec", "containers", 0] },
    ]);
    expect(run.after["list.yaml"]).toBe(`${text}              livenessProbe:
                httpGet:
                  path: /ready
                  port: metrics
              securityContext:
                allowPrivilegeEscalation: false
`);
  });

  it("fixes init containers' resources and securityContext, never their probes", () => {
    const text = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      initContainers:
        - name: init-perms
          image: busybox:1.36
          command: [sh, -c, "chown -R 999 /data"]
      containers:
        - name: db
          image: example/db:16.1
          ports:
            - {name: pg, containerPort: 5432}
          readinessProbe:
            exec: {command: [pg_isready]}
          livenessProbe:
            tcpSocket: {port: pg}
          resources:
            requests: {cpu: 500m, memory: 1Gi}
            limits: {memory: 2Gi}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
            seccompProfile: {type: RuntimeDefault}
`;
    // One database replica and no NetworkPolicy; whether init-perms can run read-only: not what this is about.
    const config: ConfigFile = { rules: { "replicas-too-low": "off", "network-policy-missing": "off", "read-only-root-filesystem-missing": "off" } };
    const run = fixFiles({ "db.yaml": text }, config);
    expect(run.scanned.findings.map((finding) => [finding.rule, finding.container])).toEqual([
      ["capabilities-not-dropped", "init-perms"],
      ["memory-limit-missing", "init-perms"],
      ["privilege-escalation-allowed", "init-perms"],
      ["resource-requests-missing", "init-perms"],
      ["run-as-non-root-missing", "init-perms"],
      ["seccomp-profile-missing", "init-perms"],
      ["image-digest-missing", "init-perms"],
      ["image-digest-missing", "db"],
    ]);
    expect(run.after["db.yaml"]).toBe(`apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      initContainers:
        - name: init-perms
          image: busybox:1.36
          command: [sh, -c, "chown -R 999 /data"]
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
              type: RuntimeDefault
      containers:
        - name: db
          image: example/db:16.1
          ports:
            - {name: pg, containerPort: 5432}
          readinessProbe:
            exec: {command: [pg_isready]}
          livenessProbe:
            tcpSocket: {port: pg}
          resources:
            requests: {cpu: 500m, memory: 1Gi}
            limits: {memory: 2Gi}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
            seccompProfile: {type: RuntimeDefault}
`);
    expect(applied(run.changeset).map(([rule]) => rule)).toEqual([
      "resource-requests-missing",
      "memory-limit-missing",
      "run-as-non-root-missing",
      "privilege-escalation-allowed",
      "capabilities-not-dropped",
      "seccomp-profile-missing",
    ]);
    expect(rescan(run, config).map((finding) => [finding.rule, finding.container])).toEqual([
      ["image-digest-missing", "init-perms"],
      ["image-digest-missing", "db"],
    ]);
  });

  it("fixes several files, each on its own, and leaves clean files out", () => {
    const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: ${name}
      image: example/${name}:1.0
`;
    const clean = `apiVersion: v1
kind: Pod
metadata:
  name: clean
spec:
  containers:
    - name: clean
      image: example/clean:1.0
      securityContext: {allowPrivilegeEscalation: false}
`;
    const run = fixFiles({ "b/two.yaml": pod("two"), "a/one.yaml": pod("one"), "clean.yaml": clean }, {}, ["privilege-escalation-allowed"]);
    expect(run.changeset.files.map((file) => file.path)).toEqual(["a/one.yaml", "b/two.yaml"]);
    expect(run.after).toEqual({
      "a/one.yaml": `${pod("one")}      securityContext:\n        allowPrivilegeEscalation: false\n`,
      "b/two.yaml": `${pod("two")}      securityContext:\n        allowPrivilegeEscalation: false\n`,
    });
    expect(run.changeset.files.map((file) => file.fixes.length)).toEqual([1, 1]);
    expect(refix(run, {}, ["privilege-escalation-allowed"]).changeset).toEqual({ files: [], applied: [], skipped: [] });
  });

  it("running again on fixed files changes nothing, and skips what it skipped before", () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: batch
spec:
  containers:
    - name: batch
      image: example/batch:1.0
      args: [run]
`;
    const run = fixFiles({ "batch.yaml": text });
    // The pin is skipped too: no digests are passed in.
    expect(skipped(run.changeset).map(([rule, , , reason]) => [rule, reason])).toEqual([
      ["liveness-probe-missing", 'container "batch" declares no containerPort and has no readinessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)'],
      ["readiness-probe-missing", 'container "batch" declares no containerPort and has no livenessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)'],
      ["image-digest-missing", "the digest was not looked up"],
    ]);
    const again = refix(run);
    expect(again.changeset.files).toEqual([]);
    expect(again.changeset.applied).toEqual([]);
    expect(skipped(again.changeset)).toEqual(skipped(run.changeset));
  });
});

describe("verifyFix: a fix is kept only if the edited file checks out", () => {
  const rules = activeRules(CATALOG, {});
  const state = (text: string): FileState => analyseFile("pod.yaml", "yaml", text, { rules, settings: DEFAULT_FIX_SETTINGS, limits: DEFAULT_LIMITS, context: {} });
  const IMAGE = `example/app:1.0@${DIGEST}`;
  const BEFORE = `apiVersion: v1
kind: Pod
metadata:
  name: solo
spec:
  containers:
    - name: app
      image: ${IMAGE}
      securityContext:
        allowPrivilegeEscalation: false
`;
  const FIXED = `${BEFORE}        runAsNonRoot: true\n`;
  const NON_ROOT: DataChange = { path: ["spec", "containers", 0, "securityContext", "runAsNonRoot"], value: true };
  const before = state(BEFORE);
  const finding = before.findings.find((candidate) => candidate.rule === "run-as-non-root-missing") as Finding;

  it("accepts the intended change", () => {
    expect(finding.message).toBe('container "app" may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser');
    expect(verifyFix(before, state(FIXED), 0, [NON_ROOT], finding)).toEqual({ ok: true });
  });

  it("drops an edit that holds more data than the change", () => {
    const after = state(FIXED.replace("  name: solo\n", "  name: solo\n  labels: {team: shop}\n"));
    expect(verifyFix(before, after, 0, [NON_ROOT], finding)).toEqual({ ok: false, reason: "the edited file holds other data than the intended change" });
  });

  it("drops an edit that holds other data than the change", () => {
    expect(verifyFix(before, state(FIXED.replace("runAsNonRoot: true", "runAsNonRoot: false")), 0, [NON_ROOT], finding)).toEqual({
      ok: false,
      reason: "the edited file holds other data than the intended change",
    });
  });

  it("drops an edit after which the finding is still there", () => {
    const after = state(FIXED.replace("runAsNonRoot: true", "runAsNonRoot: false"));
    expect(verifyFix(before, after, 0, [{ ...NON_ROOT, value: false }], finding)).toEqual({ ok: false, reason: "the finding is still there after the edit" });
  });

  it("drops an edit that adds a finding", () => {
    const image: DataChange = { path: ["spec", "containers", 0, "image"], value: "example/app:latest" };
    expect(verifyFix(before, state(FIXED.replace(IMAGE, "example/app:latest")), 0, [NON_ROOT, image], finding)).toEqual({
      ok: false,
      reason: 'the edit would add a finding: image-tag-mutable: container "app" image "example/app:latest" uses the mutable tag :latest and no digest',
    });
  });

  it("drops an edit after which the file no longer parses cleanly", () => {
    expect(verifyFix(before, state(`${FIXED}      ports: [unclosed\n`), 0, [NON_ROOT], finding)).toEqual({
      ok: false,
      reason: "the edited file does not parse cleanly: YAML syntax error: deficient indentation",
    });
  });

  it("drops an edit that changes the number of documents", () => {
    expect(verifyFix(before, state(`${FIXED}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n`), 0, [NON_ROOT], finding)).toEqual({
      ok: false,
      reason: "the edit changed the number of documents",
    });
  });

  it("checks the change against the document it names", () => {
    expect(verifyFix(before, state(FIXED), 1, [NON_ROOT], finding)).toEqual({ ok: false, reason: "the edited file holds other data than the intended change" });
  });

  it("does not hold a problem the file already had against the fix, even when its line moves", () => {
    const broken = "---\napiVersion: v1\nkind: ConfigMap\ndata:\n  key: [unclosed\n";
    const brokenBefore = state(`${BEFORE}${broken}`);
    const brokenAfter = state(`${FIXED}${broken}`);
    expect(brokenBefore.problems).toHaveLength(1);
    expect(brokenAfter.problems).toEqual(brokenBefore.problems);
    const brokenFinding = brokenBefore.findings.find((candidate) => candidate.rule === "run-as-non-root-missing") as Finding;
    expect(verifyFix(brokenBefore, brokenAfter, 0, [NON_ROOT], brokenFinding)).toEqual({ ok: true });
  });

  it("spares a fix that does not resolve its finding only the check that the finding is gone", () => {
    const unresolved = { resolvesFinding: false };
    const after = state(FIXED.replace("runAsNonRoot: true", "runAsNonRoot: false"));
    const stillThere = [{ ...NON_ROOT, value: false }];
    expect(verifyFix(before, after, 0, stillThere, finding, unresolved)).toEqual({ ok: true });
    expect(verifyFix(before, after, 0, [NON_ROOT], finding, unresolved)).toEqual({ ok: false, reason: "the edited file holds other data than the intended change" });
    const image: DataChange = { path: ["spec", "containers", 0, "image"], value: "example/app:latest" };
    expect(verifyFix(before, state(after.text.replace(IMAGE, "example/app:latest")), 0, [...stillThere, image], finding, unresolved)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("the edit would add a finding: image-tag-mutable"),
    });
    expect(verifyFix(before, state(`${after.text}      ports: [unclosed\n`), 0, stillThere, finding, unresolved)).toMatchObject({ ok: false });
  });
});
