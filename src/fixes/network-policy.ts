import { posix } from "node:path";
import { stringify } from "yaml";
import type { PlainValue } from "../edit/render.js";
import { workspaceKustomizeOwners } from "../images/kustomize-owners.js";
import { kustomizePatchFiles } from "../kustomize/patch-files.js";
import { dirOf } from "../lockfiles/helm-charts.js";
import { isIngress } from "../model/ingress.js";
import { podSpecOf } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import { get, getIn, getMap, getText, isMap, seqItems } from "../yaml/nodes.js";
import { toPlain } from "../yaml/plain.js";
import { fillText, fixTemplate } from "./templates.js";
import type { NewFileFix } from "./types.js";

interface NetworkPolicyTexts {
  explanation: string;
  denyPolicy: string;
  servicePolicy: string;
  fromIngress: string;
  allPorts: string;
  listed: string;
  openQuestions: string;
  risk: string;
  words: { namespace: string; noNamespace: string };
  reasons: { noObject: string; exists: string; nameTaken: string };
  /** What `egress: restrict` adds, and the texts it says instead. */
  restrict: {
    denyPolicy: string;
    dnsPolicy: string;
    sameNamespacePolicy: string;
    service: string;
    openQuestions: string;
    risk: string;
  };
}

/** One file per namespace, so that two namespaces whose workloads share a folder each get theirs. */
const fileName = (namespace: string | undefined) => (namespace === undefined ? "network-policies.yaml" : `${namespace}-network-policies.yaml`);
const DEFAULT_INGRESS_NAMESPACE = "ingress-nginx";
/** Where cluster DNS runs: CoreDNS keeps kube-dns's `k8s-app` label, in kube-system. */
const DEFAULT_DNS_NAMESPACE = "kube-system";
const DEFAULT_DNS_POD_LABELS: Record<string, string> = { "k8s-app": "kube-dns" };
/** The names `egress: restrict` gives its policies; a Service's `allow-<service>` must not take one. */
const EGRESS_POLICIES = { deny: "default-deny-egress", dns: "allow-dns-egress", sameNamespace: "allow-same-namespace-egress" };

type PlainMap = { [key: string]: PlainValue };
/** A Service that gets a policy: its pod selector and the ports the policy opens. */
interface AllowedService {
  name: string;
  selector: PlainMap;
  ports: { port: PlainValue; protocol?: string }[];
}

/**
 * NetworkPolicies for the namespace of the workload a finding is on, in a new
 * file beside it (`<namespace>-network-policies.yaml`): a default deny of ingress, then
 * for each Service of the namespace with a selector, a policy that lets pods
 * of the same namespace reach its target ports, and the ingress controller's
 * namespace (`params.ingressNamespace`) too when an Ingress of the namespace
 * routes to it. Egress stays open unless `params.egress` is `restrict`: then
 * a default deny of egress follows, with DNS allowed to `params.dnsNamespace`'s
 * pods labelled `params.dnsPodLabels` (kube-system's kube-dns unless set), and
 * each Service's target ports allowed from every pod of the namespace, so that
 * the ingress policies keep working inside it. Listed in the kustomization that
 * lists the workload's file; opened as a draft, since it refuses traffic
 * nothing shows.
 */
export const networkPolicyFix: NewFileFix = {
  name: "network-policy",
  scope: "new-file",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      ingressNamespace: { type: "string", minLength: 1 },
      egress: { enum: ["open", "restrict"] },
      dnsNamespace: { type: "string", minLength: 1 },
      dnsPodLabels: { type: "object", minProperties: 1, additionalProperties: { type: "string" } },
    },
  },
  plan({ workspace, resource }, params) {
    const texts = fixTemplate<NetworkPolicyTexts>("network-policy");
    if (!resource || !podSpecOf(resource)) return { ok: false, reason: texts.reasons.noObject };
    const namespace = namespaceOf(resource);
    const dir = dirOf(resource.file);
    const path = dir === "" ? fileName(namespace) : `${dir}/${fileName(namespace)}`;
    if (workspace.files.some((file) => file.path === path)) return { ok: false, reason: fillText(texts.reasons.exists, { file: path }) };
    const ingressNamespace = typeof params.ingressNamespace === "string" ? params.ingressNamespace : DEFAULT_INGRESS_NAMESPACE;
    const patches = kustomizePatchFiles(workspace.files);
    const inNamespace = workspace.resources.filter((candidate) => !patches.has(candidate.file) && namespaceOf(candidate) === namespace);
    const routed = new Set(inNamespace.filter(isIngress).flatMap(backendServices));

    const metadata = (name: string): PlainMap => ({ name, ...(namespace !== undefined ? { namespace } : {}) });
    const policy = (name: string, spec: PlainMap): PlainMap => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: metadata(name), spec });
    const documents: PlainMap[] = [policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] })];
    const described = [texts.denyPolicy.trim()];
    const services: AllowedService[] = [];
    for (const service of inNamespace) {
      if (service.kind !== "Service" || service.apiVersion !== "v1" || services.some((written) => written.name === service.name)) continue;
      const selector = toPlain(getMap(service.node, "spec")?.pairs.get("selector")?.value);
      if (!isPlainMap(selector) || Object.keys(selector).length === 0) continue;
      const ports = servicePorts(service);
      services.push({ name: service.name, selector, ports });
      const fromIngress = routed.has(service.name);
      const from: PlainValue[] = [{ podSelector: {} }, ...(fromIngress ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ingressNamespace } } }] : [])];
      const rule: PlainMap = { from, ...(ports.length > 0 ? { ports } : {}) };
      documents.push(policy(`allow-${service.name}`, { podSelector: { matchLabels: selector }, policyTypes: ["Ingress"], ingress: [rule] }));
      described.push(
        fillText(texts.servicePolicy.trim(), {
          service: service.name,
          ports: portWords(ports, texts.allPorts),
          fromIngress: fromIngress ? fillText(texts.fromIngress, { ingressNamespace }) : "",
        }),
      );
    }

    const restrict = params.egress === "restrict";
    if (restrict) {
      const taken = services.find((service) => Object.values(EGRESS_POLICIES).includes(`allow-${service.name}`));
      if (taken) return { ok: false, reason: fillText(texts.reasons.nameTaken, { service: taken.name, policy: `allow-${taken.name}` }) };
      const dnsNamespace = typeof params.dnsNamespace === "string" ? params.dnsNamespace : DEFAULT_DNS_NAMESPACE;
      const dnsPodLabels = isStringMap(params.dnsPodLabels) ? params.dnsPodLabels : DEFAULT_DNS_POD_LABELS;
      documents.push(
        policy(EGRESS_POLICIES.deny, { podSelector: {}, policyTypes: ["Egress"] }),
        policy(EGRESS_POLICIES.dns, {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dnsNamespace } }, podSelector: { matchLabels: dnsPodLabels } }],
              ports: [
                { port: 53, protocol: "UDP" },
                { port: 53, protocol: "TCP" },
              ],
            },
          ],
        }),
      );
      described.push(
        texts.restrict.denyPolicy.trim(),
        fillText(texts.restrict.dnsPolicy.trim(), {
          dnsNamespace,
          dnsPodLabels: Object.entries(dnsPodLabels)
            .map(([key, value]) => `${key}=${value}`)
            .join(", "),
        }),
      );
      if (services.length > 0) {
        const egress = services.map(({ selector, ports }): PlainMap => ({ to: [{ podSelector: { matchLabels: selector } }], ...(ports.length > 0 ? { ports } : {}) }));
        documents.push(policy(EGRESS_POLICIES.sameNamespace, { podSelector: {}, policyTypes: ["Egress"], egress }));
        const each = services.map((service) => fillText(texts.restrict.service.trim(), { service: service.name, ports: portWords(service.ports, texts.allPorts) }));
        described.push(fillText(texts.restrict.sameNamespacePolicy.trim(), { services: each.join("; ") }));
      }
    }

    const owner = workspaceKustomizeOwners(workspace).get(resource.file);
    const listIn = owner ? [{ kustomization: owner.file, entry: relative(dirOf(owner.file), path) }] : [];
    const where = namespace !== undefined ? fillText(texts.words.namespace, { namespace }) : texts.words.noNamespace;
    const explanation = [
      fillText(texts.explanation, { file: path, where, policies: described.join(", ") }),
      ...(owner ? [fillText(texts.listed, { kustomization: owner.file })] : []),
      restrict ? texts.restrict.openQuestions : texts.openQuestions,
    ]
      .map((text) => text.trim())
      .join(" ");
    return {
      ok: true,
      plan: {
        files: [{ path, render: () => documents.map((document) => stringify(document, { aliasDuplicateObjects: false })).join("---\n") }],
        listIn,
        explanation,
        // The same for every namespace: the CLI's summary and a pull request list each distinct risk once.
        risk: (restrict ? texts.restrict.risk : texts.risk).trim(),
        risky: true,
      },
    };
  },
};

/** The namespace as written, undefined for none (as network-policy-missing groups them). */
function namespaceOf(resource: Resource): string | undefined {
  return resource.namespace === undefined || resource.namespace === "" ? undefined : resource.namespace;
}

function isPlainMap(value: PlainValue): value is PlainMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((item) => typeof item === "string");
}

/** The ports as the explanation names them: `http/TCP, 9090/TCP`, or `every port` for none. */
function portWords(ports: readonly { port: PlainValue; protocol?: string }[], allPorts: string): string {
  return ports.length > 0 ? ports.map((port) => `${String(port.port)}/${String(port.protocol ?? "TCP")}`).join(", ") : allPorts;
}

/** The ports a policy opens for a Service: each port's targetPort (a number or a name), else its port; the protocol as written. */
function servicePorts(service: Resource): { port: PlainValue; protocol?: string }[] {
  const ports: { port: PlainValue; protocol?: string }[] = [];
  const seen = new Set<string>();
  for (const item of seqItems(get(getMap(service.node, "spec"), "ports"))) {
    if (!isMap(item)) continue;
    const target = toPlain(get(item, "targetPort"));
    const port = typeof target === "number" || (typeof target === "string" && target !== "") ? target : toPlain(get(item, "port"));
    if (typeof port !== "number" && typeof port !== "string") continue;
    const protocol = getText(item, "protocol");
    const key = `${protocol ?? ""}/${String(port)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ports.push({ port, ...(protocol !== undefined ? { protocol } : {}) });
  }
  return ports;
}

/** The Services an Ingress routes to: its default backend and every path's (networking.k8s.io/v1 and the betas). */
function backendServices(ingress: Resource): string[] {
  const spec = getMap(ingress.node, "spec");
  const backends = [get(spec, "defaultBackend"), get(spec, "backend")];
  for (const rule of seqItems(get(spec, "rules"))) {
    for (const path of seqItems(getIn(rule, ["http", "paths"]))) backends.push(get(path, "backend"));
  }
  return backends.flatMap((backend) => {
    const name = getText(getMap(backend, "service"), "name") ?? getText(backend, "serviceName");
    return name !== undefined && name !== "" ? [name] : [];
  });
}

/** `path` relative to `dir` (both repository paths). */
function relative(dir: string, path: string): string {
  return dir === "" ? path : posix.relative(dir, path);
}
