import { describe, expect, it } from "vitest";
import { DEFAULT_FIX_SETTINGS, fixSettingsOf, type ConfigFile, type FixSettings } from "../../src/config/types.js";
import { probeFix } from "../../src/fixes/probe.js";
import { multiplyQuantity } from "../../src/fixes/quantity.js";
import { FIXES } from "../../src/fixes/registry.js";
import { resourcesFix } from "../../src/fixes/resources.js";
import { securityContextFix } from "../../src/fixes/security-context.js";
import type { FixPlanResult } from "../../src/fixes/types.js";
import { containersOf, CONTAINER_LISTS, podSpecOf, type ContainerRef } from "../../src/model/pods.js";
import { resourcesOf } from "../../src/model/resource.js";
import { loadRules } from "../../src/rules/load.js";
import { composeYaml } from "../../src/yaml/compose.js";

// The risk notes of templates/fixes/*.yaml, as people read them.
const LIVENESS_RISK =
  "Kubernetes restarts the container after three failed checks in a row. If the application needs more than about 30 seconds to start listening, add initialDelaySeconds or a startupProbe before merging.";
const READINESS_RISK =
  "The pod receives traffic only while the check passes, so the check must reflect readiness: a TCP check passes as soon as the port is open, which can be before the application is ready to serve. Where the application has a readiness endpoint, set fixes.probes.httpPath.";
const RESOURCES_RISK =
  "Requests decide where the pod is scheduled, and a container that uses more memory than its limit is killed (OOMKilled). The values written are starting points from .shipshape.yml (fixes.resources), not measurements: compare them with the container's real usage before merging.";
const RUN_AS_NON_ROOT_RISK =
  "The kubelet refuses to start the container if its image runs as root (UID 0). Check that the image sets a non-root USER, or add a runAsUser, before merging.";
const PRIVILEGE_ESCALATION_RISK =
  "Processes in the container can no longer gain privileges through setuid binaries or file capabilities (sudo, su). Applications rarely need that.";

/** Every container of every workload in the text, parsed as the scan parses it. */
function containersIn(text: string): ContainerRef[] {
  const composed = composeYaml(text);
  expect(composed.problems).toEqual([]);
  return resourcesOf("test.yaml", composed.documents).flatMap((resource) => {
    const pod = podSpecOf(resource);
    return pod ? containersOf(pod, CONTAINER_LISTS) : [];
  });
}

function containerIn(text: string, name: string): ContainerRef {
  const found = containersIn(text).find((container) => container.name === name);
  if (!found) throw new Error(`no container "${name}" in the text`);
  return found;
}

/**
 * A Pod whose `app` container has the given body. `container` is written at column 0
 * (`image: x` / `ports:` / `  - containerPort: 80`); `spec` lines go into the pod spec.
 */
function pod(container: string, spec = ""): string {
  const body = container
    .trimEnd()
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
  const specLines = spec === "" ? "" : `${spec.trimEnd().split("\n").map((line) => `  ${line}`).join("\n")}\n`;
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n${specLines}  containers:\n    - name: app\n${body}\n`;
}

const APP = ["spec", "containers", 0] as const;

const settings = (fixes: ConfigFile["fixes"] = {}): FixSettings => fixSettingsOf({ fixes });

function liveness(text: string, fixSettings: FixSettings = DEFAULT_FIX_SETTINGS): FixPlanResult {
  return probeFix.plan(containerIn(text, "app"), { probe: "livenessProbe" }, fixSettings);
}

function readiness(text: string, fixSettings: FixSettings = DEFAULT_FIX_SETTINGS): FixPlanResult {
  return probeFix.plan(containerIn(text, "app"), { probe: "readinessProbe" }, fixSettings);
}

/** The value a successful single-change plan writes. */
function written(result: FixPlanResult): unknown {
  if (!result.ok) throw new Error(`not fixable: ${result.reason}`);
  expect(result.plan.changes).toHaveLength(1);
  return result.plan.changes[0]?.value;
}

describe("the catalog's fixes", () => {
  it("registers exactly the built-in fixes, each once", () => {
    expect([...FIXES.keys()]).toEqual(["probe", "resources", "security-context", "image-pin", "certificate-duration", "certificate-renew-before", "ingress-tls", "cert-manager-takeover", "lockfile-refresh", "argocd-revision-pin", "pdb-create", "capabilities-drop-all", "seccomp-profile", "service-account-token", "topology-spread", "ingress-nginx-setting", "network-policy", "tls-protocols", "api-version-rename", "values-schema", "action-pin"]);
    expect(FIXES.get("probe")).toBe(probeFix);
    expect(FIXES.get("resources")).toBe(resourcesFix);
    expect(FIXES.get("security-context")).toBe(securityContextFix);
  });

  it("gives twenty-eight rules a fix, each with its order and parameters", () => {
    const fixes = loadRules()
      .filter((rule) => rule.fix !== undefined)
      .map((rule) => [rule.id, rule.fix]);
    expect(fixes).toEqual([
      ["actions-not-pinned", {name: "action-pin", params: {}}],
      ["argocd-target-revision-mutable", {name: "argocd-revision-pin", params: {}}],
      ["capabilities-not-dropped", {name: "capabilities-drop-all", order: 32, params: {}}],
      ["certificate-expiring", {name: "cert-manager-takeover", params: {}}],
      ["certificate-lifetime-too-long", {name: "certificate-duration", params: {}}],
      ["certificate-renewal-window", {name: "certificate-renew-before", params: {}}],
      ["deprecated-api-version", {name: "api-version-rename", params: {}}],
      ["helm-values-schema-missing", {name: "values-schema", params: {}}],
      ["hsts-missing", {name: "ingress-nginx-setting", params: {key: "hsts", value: "true"}}],
      ["image-digest-missing", {name: "image-pin", params: {}}],
      ["image-digest-outdated", {name: "image-pin", params: {}}],
      ["image-tag-mutable", {name: "image-pin", params: {}}],
      ["ingress-ssl-redirect-missing", {name: "ingress-nginx-setting", params: {key: "ssl-redirect", value: "true"}}],
      ["ingress-tls-missing", {name: "ingress-tls", params: {}}],
      ["liveness-probe-missing", {name: "probe", order: 10, params: {probe: "livenessProbe"}}],
      ["lockfile-maintenance", {name: "lockfile-refresh", params: {}}],
      ["lockfile-stale", {name: "lockfile-refresh", params: {}}],
      ["memory-limit-missing", {name: "resources", order: 21, params: {fields: ["limits.memory"]}}],
      ["network-policy-missing", {name: "network-policy", params: {}}],
      ["pdb-missing", {name: "pdb-create", params: {}}],
      ["privilege-escalation-allowed", {name: "security-context", order: 31, params: {field: "allowPrivilegeEscalation", value: false}}],
      ["readiness-probe-missing", {name: "probe", order: 11, params: {probe: "readinessProbe"}}],
      ["resource-requests-missing", {name: "resources", order: 20, params: {fields: ["requests.cpu", "requests.memory"]}}],
      ["run-as-non-root-missing", {name: "security-context", order: 30, params: {field: "runAsNonRoot", value: true}}],
      ["seccomp-profile-missing", {name: "seccomp-profile", order: 33, params: {}}],
      ["service-account-token-automounted", {name: "service-account-token", params: {}}],
      ["tls-protocol-weak", {name: "tls-protocols", params: {value: "TLSv1.2 TLSv1.3"}}],
      ["topology-spread-missing", {name: "topology-spread", params: {}}],
    ]);
  });
});

describe("probe fix: how the probe is derived", () => {
  const withPorts = pod(`image: example/app:1.0
ports:
  - name: metrics
    containerPort: 9090
  - name: http
    containerPort: 8080
readinessProbe:
  exec:
    command: [/bin/ready]`);

  it("1. fixes.probes.httpPath and a port: httpGet on that path and port, before copying the other probe", () => {
    expect(liveness(withPorts, settings({ probes: { httpPath: "/healthz" } }))).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "livenessProbe"], value: { httpGet: { path: "/healthz", port: "http" } } }],
        explanation: 'Adds a livenessProbe to container "app" that sends GET /healthz to port http.',
        risk: LIVENESS_RISK,
        risky: false,
      },
    });
  });

  it("httpGet on an unnamed port uses its number, as a number", () => {
    const text = pod(`image: example/app:1.0
ports:
  - containerPort: 8080`);
    const result = readiness(text, settings({ probes: { httpPath: "/ready" } }));
    expect(result).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "readinessProbe"], value: { httpGet: { path: "/ready", port: 8080 } } }],
        explanation: 'Adds a readinessProbe to container "app" that sends GET /ready to port 8080.',
        risk: READINESS_RISK,
        risky: false,
      },
    });
  });

  it("2. without httpPath: copies the other probe's handler only (not its timings), whatever ports there are", () => {
    const text = pod(`image: example/app:1.0
ports:
  - name: http
    containerPort: 8080
readinessProbe:
  httpGet:
    path: /readyz
    port: http
    httpHeaders:
      - name: X-Probe
        value: kubelet
  initialDelaySeconds: 5
  periodSeconds: 10`);
    expect(liveness(text)).toEqual({
      ok: true,
      plan: {
        changes: [
          {
            path: [...APP, "livenessProbe"],
            value: { httpGet: { path: "/readyz", port: "http", httpHeaders: [{ name: "X-Probe", value: "kubelet" }] } },
          },
        ],
        explanation: 'Adds a livenessProbe to container "app" that checks what its readinessProbe already checks.',
        risk: LIVENESS_RISK,
        risky: true,
      },
    });
    expect(liveness(withPorts)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "livenessProbe"], value: { exec: { command: ["/bin/ready"] } } }],
        explanation: 'Adds a livenessProbe to container "app" that checks what its readinessProbe already checks.',
        risk: LIVENESS_RISK,
        risky: true,
      },
    });
  });

  it("httpPath without any TCP port falls back to copying the other probe", () => {
    const text = pod(`image: example/app:1.0
livenessProbe:
  tcpSocket: {port: 5432}`);
    expect(readiness(text, settings({ probes: { httpPath: "/healthz" } }))).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "readinessProbe"], value: { tcpSocket: { port: 5432 } } }],
        explanation: 'Adds a readinessProbe to container "app" that checks what its livenessProbe already checks.',
        risk: READINESS_RISK,
        risky: true,
      },
    });
  });

  it.for([
    ["httpGet", "httpGet: {path: /live, port: 8081, scheme: HTTPS}", { httpGet: { path: "/live", port: 8081, scheme: "HTTPS" } }],
    ["tcpSocket", "tcpSocket: {port: db}", { tcpSocket: { port: "db" } }],
    ["grpc", "grpc: {port: 9090, service: health}", { grpc: { port: 9090, service: "health" } }],
    ["exec", "exec:\n    command: [pg_isready, -U, postgres]", { exec: { command: ["pg_isready", "-U", "postgres"] } }],
  ] as const)("copies a %s handler", ([, handler, expected]) => {
    const text = pod(`image: example/app:1.0
livenessProbe:
  ${handler}
  failureThreshold: 5`);
    expect(written(readiness(text))).toEqual(expected);
  });

  it("takes the first handler in the order httpGet, tcpSocket, grpc, exec", () => {
    const text = pod(`image: example/app:1.0
readinessProbe:
  exec: {command: [/bin/true]}
  grpc: {port: 9090}
  tcpSocket: {port: 7000}`);
    expect(written(liveness(text))).toEqual({ tcpSocket: { port: 7000 } });
  });

  it("3. a probe without a handler is not copied: a TCP check on the port instead", () => {
    const text = pod(`image: example/app:1.0
ports:
  - containerPort: 8080
readinessProbe:
  periodSeconds: 5`);
    expect(liveness(text)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "livenessProbe"], value: { tcpSocket: { port: 8080 } } }],
        explanation: 'Adds a livenessProbe to container "app" that opens a TCP connection to port 8080.',
        risk: LIVENESS_RISK,
        risky: true,
      },
    });
  });

  it("tcpSocket on the port named http even when it is not the first", () => {
    expect(readiness(pod(`image: example/app:1.0
ports:
  - name: metrics
    containerPort: 9090
  - name: http
    containerPort: 8080`))).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "readinessProbe"], value: { tcpSocket: { port: "http" } } }],
        explanation: 'Adds a readinessProbe to container "app" that opens a TCP connection to port http.',
        risk: READINESS_RISK,
        risky: true,
      },
    });
  });

  it.for([
    ["the first TCP port, by name when named", "- name: grpc\n    containerPort: 9000\n  - name: admin\n    containerPort: 9001", "grpc"],
    ["the first TCP port, by number when unnamed", "- containerPort: 5432\n  - name: admin\n    containerPort: 9001", 5432],
    ["UDP ports are skipped", "- name: dns\n    containerPort: 53\n    protocol: UDP\n  - containerPort: 8053\n    protocol: TCP", 8053],
    ["a UDP port named http is skipped too", "- name: http\n    containerPort: 80\n    protocol: UDP\n  - name: web\n    containerPort: 8080", "web"],
    ["a port entry without containerPort is skipped", "- name: http\n  - containerPort: 3000", 3000],
  ] as const)("tcpSocket on %s", ([, ports, port]) => {
    const text = pod(`image: example/app:1.0
ports:
  ${ports}`);
    expect(written(liveness(text))).toEqual({ tcpSocket: { port } });
  });

  it("4. no port and no other probe: not fixable, with the reason", () => {
    const text = pod("image: example/worker:1.0\nargs: [--queue, default]");
    expect(liveness(text)).toEqual({
      ok: false,
      reason:
        'container "app" declares no containerPort and has no readinessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)',
    });
    expect(readiness(text)).toEqual({
      ok: false,
      reason:
        'container "app" declares no containerPort and has no livenessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)',
    });
    // httpPath alone does not help: there is no port to send it to.
    expect(liveness(text, settings({ probes: { httpPath: "/healthz" } })).ok).toBe(false);
  });

  it("only UDP ports count as no port", () => {
    const text = pod(`image: example/dns:1.0
ports:
  - name: dns
    containerPort: 53
    protocol: UDP`);
    expect(readiness(text)).toEqual({
      ok: false,
      reason:
        'container "app" declares no containerPort and has no livenessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)',
    });
  });

  it("names the container and its own path in a multi-container Deployment", () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: example/web:1.0
          ports: [{containerPort: 80}]
        - name: sidecar
          image: example/sidecar:1.0
`;
    const sidecar = containerIn(text, "sidecar");
    expect(probeFix.plan(sidecar, { probe: "livenessProbe" }, DEFAULT_FIX_SETTINGS)).toEqual({
      ok: false,
      reason:
        'container "sidecar" declares no containerPort and has no readinessProbe to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)',
    });
    const web = containerIn(text, "web");
    expect(probeFix.plan(web, { probe: "livenessProbe" }, DEFAULT_FIX_SETTINGS)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: ["spec", "template", "spec", "containers", 0, "livenessProbe"], value: { tcpSocket: { port: 80 } } }],
        explanation: 'Adds a livenessProbe to container "web" that opens a TCP connection to port 80.',
        risk: LIVENESS_RISK,
        risky: true,
      },
    });
  });
});

describe("resources fix", () => {
  const REQUESTS = { fields: ["requests.cpu", "requests.memory"] };
  const LIMIT = { fields: ["limits.memory"] };
  const requests = (text: string, fixSettings: FixSettings = DEFAULT_FIX_SETTINGS) => resourcesFix.plan(containerIn(text, "app"), REQUESTS, fixSettings);
  const limit = (text: string, fixSettings: FixSettings = DEFAULT_FIX_SETTINGS) => resourcesFix.plan(containerIn(text, "app"), LIMIT, fixSettings);

  it("fills both missing requests from the defaults (100m, 128Mi)", () => {
    expect(requests(pod("image: example/app:1.0"))).toEqual({
      ok: true,
      plan: {
        changes: [
          { path: [...APP, "resources", "requests", "cpu"], value: "100m" },
          { path: [...APP, "resources", "requests", "memory"], value: "128Mi" },
        ],
        explanation: 'Sets resources.requests.cpu: 100m, resources.requests.memory: 128Mi on container "app".',
        risk: RESOURCES_RISK,
        risky: false,
      },
    });
  });

  it("takes the defaults from fixes.resources.requests; a CPU number stays a number", () => {
    expect(requests(pod("image: example/app:1.0"), settings({ resources: { requests: { cpu: 0.5, memory: "256Mi" } } }))).toEqual({
      ok: true,
      plan: {
        changes: [
          { path: [...APP, "resources", "requests", "cpu"], value: 0.5 },
          { path: [...APP, "resources", "requests", "memory"], value: "256Mi" },
        ],
        explanation: 'Sets resources.requests.cpu: 0.5, resources.requests.memory: 256Mi on container "app".',
        risk: RESOURCES_RISK,
        risky: false,
      },
    });
  });

  it("overriding one default keeps the other", () => {
    const plan = requests(pod("image: example/app:1.0"), settings({ resources: { requests: { cpu: "250m" } } }));
    expect(plan.ok && plan.plan.changes.map((change) => change.value)).toEqual(["250m", "128Mi"]);
  });

  it("keeps a value that is there: only the missing field becomes a change", () => {
    const text = pod(`image: example/app:1.0
resources:
  requests:
    cpu: 500m`);
    expect(requests(text, settings({ resources: { requests: { cpu: "1", memory: "1Gi" } } }))).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "resources", "requests", "memory"], value: "1Gi" }],
        explanation: 'Sets resources.requests.memory: 1Gi on container "app".',
        risk: RESOURCES_RISK,
        risky: false,
      },
    });
    const memoryOnly = pod(`image: example/app:1.0
resources:
  requests: {memory: 64Mi}`);
    expect(requests(memoryOnly)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "resources", "requests", "cpu"], value: "100m" }],
        explanation: 'Sets resources.requests.cpu: 100m on container "app".',
        risk: RESOURCES_RISK,
        risky: false,
      },
    });
  });

  it("counts an empty (null) value as missing", () => {
    const text = pod(`image: example/app:1.0
resources:
  requests:
    cpu: ~
    memory: 64Mi`);
    expect(requests(text)).toMatchObject({ ok: true, plan: { changes: [{ path: [...APP, "resources", "requests", "cpu"], value: "100m" }] } });
  });

  it("with nothing missing there is nothing to plan", () => {
    const text = pod(`image: example/app:1.0
resources:
  requests: {cpu: 1, memory: 1Gi}
  limits: {memory: 2Gi}`);
    expect(requests(text)).toEqual({ ok: false, reason: "nothing is missing" });
    expect(limit(text)).toEqual({ ok: false, reason: "nothing is missing" });
  });

  it("memory limit: memoryLimitFactor × the memory request, with explanation and risk", () => {
    const text = pod(`image: example/app:1.0
resources:
  requests: {cpu: 100m, memory: 128Mi}`);
    expect(limit(text)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "resources", "limits", "memory"], value: "256Mi" }],
        explanation: 'Sets resources.limits.memory to 256Mi (2× the memory request) on container "app".',
        risk: RESOURCES_RISK,
        risky: true,
      },
    });
  });

  it.for([
    ["128Mi", "256Mi"],
    ["1Gi", "2Gi"],
    ["1.5Gi", "3Gi"],
    ["500M", "1000M"],
    ['"512Mi"', "1024Mi"],
    ["0.25Gi", "0.5Gi"],
    ["1073741824", 2147483648],
    ['"1073741824"', "2147483648"],
  ] as const)("memory request %s → limit %s", ([request, expected]) => {
    const text = pod(`image: example/app:1.0
resources:
  requests:
    memory: ${request}`);
    expect(written(limit(text))).toBe(expected);
  });

  it("uses the configured factor, in the explanation too", () => {
    const text = pod(`image: example/app:1.0
resources:
  requests: {memory: 100Mi}`);
    expect(limit(text, settings({ resources: { memoryLimitFactor: 1.5 } }))).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "resources", "limits", "memory"], value: "150Mi" }],
        explanation: 'Sets resources.limits.memory to 150Mi (1.5× the memory request) on container "app".',
        risk: RESOURCES_RISK,
        risky: true,
      },
    });
  });

  it("without a memory request: the factor × the configured default request", () => {
    expect(written(limit(pod("image: example/app:1.0")))).toBe("256Mi");
    expect(written(limit(pod("image: example/app:1.0"), settings({ resources: { requests: { memory: "1Gi" }, memoryLimitFactor: 3 } })))).toBe("3Gi");
  });

  it("an unreadable memory request is not fixable, with the reason", () => {
    const text = pod(`image: example/app:1.0
resources:
  requests:
    memory: 1e3Mi`);
    expect(limit(text)).toEqual({ ok: false, reason: 'the memory request "1e3Mi" of container "app" is not a quantity Shipshape can multiply' });
    expect(limit(pod("image: example/app:1.0\nresources:\n  requests: {memory: 128MB}"))).toEqual({
      ok: false,
      reason: 'the memory request "128MB" of container "app" is not a quantity Shipshape can multiply',
    });
  });

  it("an unreadable configured default is not fixable either", () => {
    expect(limit(pod("image: example/app:1.0"), settings({ resources: { requests: { memory: "lots" } } }))).toEqual({
      ok: false,
      reason: 'the memory request "lots" of container "app" is not a quantity Shipshape can multiply',
    });
  });

  it("names an init container's own path", () => {
    const text = pod("image: example/app:1.0", "initContainers:\n  - name: init\n    image: example/init:1.0");
    const init = containerIn(text, "init");
    expect(resourcesFix.plan(init, LIMIT, DEFAULT_FIX_SETTINGS)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: ["spec", "initContainers", 0, "resources", "limits", "memory"], value: "256Mi" }],
        explanation: 'Sets resources.limits.memory to 256Mi (2× the memory request) on container "init".',
        risk: RESOURCES_RISK,
        risky: true,
      },
    });
  });

  // Guards a fixed bug: the defaults are written even when they exceed the container's own limits, which the
  // API server rejects ("must be less than or equal to cpu limit" / "... memory limit").
  it("never writes a request above the limit the container already has", () => {
    const text = pod(`image: example/app:1.0
resources:
  limits:
    cpu: 50m
    memory: 64Mi`);
    const result = requests(text);
    const toNumber = (quantity: unknown): number => {
      const match = /^([0-9.]+)(m|Mi)?$/.exec(String(quantity));
      if (!match) throw new Error(`unexpected quantity ${String(quantity)}`);
      const value = Number(match[1]);
      return match[2] === "m" ? value / 1000 : match[2] === "Mi" ? value * 2 ** 20 : value;
    };
    const limits: Record<string, number> = { cpu: toNumber("50m"), memory: toNumber("64Mi") };
    const tooHigh = result.ok
      ? result.plan.changes
          .filter((change) => toNumber(change.value) > (limits[String(change.path.at(-1))] ?? Infinity))
          .map((change) => `${change.path.slice(-3).join(".")}: ${String(change.value)}`)
      : [];
    expect(tooHigh).toEqual([]);
  });
});

describe("security-context fix", () => {
  const NON_ROOT = { field: "runAsNonRoot", value: true };
  const NO_ESCALATION = { field: "allowPrivilegeEscalation", value: false };
  const plan = (text: string, params: Record<string, unknown>, name = "app") => securityContextFix.plan(containerIn(text, name), params, DEFAULT_FIX_SETTINGS);

  it("sets runAsNonRoot: true on the container, with explanation and risk", () => {
    expect(plan(pod("image: example/app:1.0"), NON_ROOT)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "securityContext", "runAsNonRoot"], value: true }],
        explanation: 'Sets securityContext.runAsNonRoot to true on container "app".',
        risk: RUN_AS_NON_ROOT_RISK,
        risky: true,
      },
    });
  });

  it("sets allowPrivilegeEscalation: false, also where the block already has other fields", () => {
    const text = pod(`image: example/app:1.0
securityContext:
  readOnlyRootFilesystem: true
  privileged: false`);
    expect(plan(text, NO_ESCALATION)).toEqual({
      ok: true,
      plan: {
        changes: [{ path: [...APP, "securityContext", "allowPrivilegeEscalation"], value: false }],
        explanation: 'Sets securityContext.allowPrivilegeEscalation to false on container "app".',
        risk: PRIVILEGE_ESCALATION_RISK,
        risky: false,
      },
    });
  });

  it("runAsNonRoot is not fixable when the container sets runAsUser: 0", () => {
    const text = pod("image: example/app:1.0\nsecurityContext:\n  runAsUser: 0");
    expect(plan(text, NON_ROOT)).toEqual({ ok: false, reason: 'container "app" sets runAsUser: 0 on purpose; choose a non-root UID by hand' });
  });

  it("runAsNonRoot is not fixable when the pod sets runAsUser: 0 and the container does not override it", () => {
    const text = pod("image: example/app:1.0", "securityContext:\n  runAsUser: 0");
    expect(plan(text, NON_ROOT)).toEqual({ ok: false, reason: 'container "app" sets runAsUser: 0 on purpose; choose a non-root UID by hand' });
  });

  it("the container's own non-zero runAsUser wins over the pod's 0", () => {
    const text = pod("image: example/app:1.0\nsecurityContext:\n  runAsUser: 1000", "securityContext:\n  runAsUser: 0");
    expect(plan(text, NON_ROOT).ok).toBe(true);
  });

  // Guards a fixed bug: an empty `runAsUser:` on the container does not override the pod's runAsUser: 0 (the check
  // reads it as unset and reports "sets runAsUser: 0"), yet the fix treats it as overriding: it plans
  // runAsNonRoot: true, which leaves the finding in place, so the engine drops it after the scan said fixable.
  it("an empty runAsUser on the container does not hide the pod's runAsUser: 0", () => {
    const text = pod("image: example/app:1.0\nsecurityContext:\n  runAsUser:", "securityContext:\n  runAsUser: 0");
    expect(plan(text, NON_ROOT)).toEqual({ ok: false, reason: 'container "app" sets runAsUser: 0 on purpose; choose a non-root UID by hand' });
  });

  it("allowPrivilegeEscalation is not fixable on a privileged container", () => {
    const text = pod("image: example/app:1.0\nsecurityContext:\n  privileged: true");
    expect(plan(text, NO_ESCALATION)).toEqual({
      ok: false,
      reason: 'container "app" is privileged; Shipshape does not take privileges away that may be needed, decide by hand',
    });
    // Being privileged does not stop runAsNonRoot.
    expect(plan(text, NON_ROOT)).toMatchObject({ ok: true, plan: { changes: [{ path: [...APP, "securityContext", "runAsNonRoot"], value: true }] } });
  });

  it("runAsUser: 0 does not stop allowPrivilegeEscalation", () => {
    const text = pod("image: example/app:1.0\nsecurityContext:\n  runAsUser: 0");
    expect(plan(text, NO_ESCALATION)).toMatchObject({ ok: true, plan: { changes: [{ value: false }] } });
  });

  it("names an init container's path", () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: fetch
              image: example/fetch:1.0
          containers:
            - name: app
              image: example/app:1.0
`;
    expect(plan(text, NO_ESCALATION, "fetch")).toEqual({
      ok: true,
      plan: {
        changes: [
          {
            path: ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "securityContext", "allowPrivilegeEscalation"],
            value: false,
          },
        ],
        explanation: 'Sets securityContext.allowPrivilegeEscalation to false on container "fetch".',
        risk: PRIVILEGE_ESCALATION_RISK,
        risky: false,
      },
    });
  });
});

describe("multiplyQuantity", () => {
  it.for([
    ["128Mi", 2, "256Mi"],
    ["1Gi", 2, "2Gi"],
    ["1.5Gi", 2, "3Gi"],
    ["500M", 2, "1000M"],
    ["64Ki", 4, "256Ki"],
    ["1Ti", 2, "2Ti"],
    ["2k", 2, "4k"],
    ["100Mi", 1.5, "150Mi"],
    ["1Mi", 1.1, "1.1Mi"],
    ["1Gi", 1 / 3, "0.334Gi"], // rounded up: a limit never comes out below its request
    ["128Mi", 1, "128Mi"],
    ["1000", 2, "2000"],
    [" 128Mi ", 2, "256Mi"],
  ] as const)("%s × %d = %s", ([quantity, factor, expected]) => {
    expect(multiplyQuantity(quantity, factor)).toBe(expected);
  });

  it("multiplies plain numbers (bytes) and rounds to whole bytes", () => {
    expect(multiplyQuantity(1073741824, 2)).toBe(2147483648);
    expect(multiplyQuantity(100, 1.5)).toBe(150);
    expect(multiplyQuantity(3, 1.5)).toBe(5);
  });

  it.for(["1e3Mi", "128MB", "128mi", "-128Mi", "Mi", "", "lots", "1.Gi", "0x10Mi", "12 Mi"])("cannot read %j", (quantity) => {
    expect(multiplyQuantity(quantity, 2)).toBeUndefined();
  });

  it("cannot multiply infinite or NaN numbers", () => {
    expect(multiplyQuantity(Number.POSITIVE_INFINITY, 2)).toBeUndefined();
    expect(multiplyQuantity(Number.NaN, 2)).toBeUndefined();
  });
});
