import { posix } from "node:path";
import { isIngress } from "../model/ingress.js";
import { podSpecOf } from "../model/pods.js";
import type { Resource } from "../model/resource.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { get, getIn, getMap, getText, isMap, isScalar, seqItems, type YamlNode } from "../yaml/nodes.js";
import { describeObject } from "./describe.js";
import type { CertificatePlace } from "./types.js";

/** A reference to a Secret or ConfigMap by name, and how the referrer uses it. */
interface Reference {
  kind: "Secret" | "ConfigMap";
  /** undefined: the referrer's namespace is not written (Kustomize or Argo CD sets it), so any matches. */
  namespace: string | undefined;
  name: string;
  use: string;
  /** An Ingress's `spec.tls[].secretName`: the controller serves the Secret's certificate. */
  servesTls?: true;
}

/** A Kustomize generator that builds a Secret or ConfigMap from files. */
interface Generator {
  target: Omit<Reference, "use">;
  files: string[];
  use: string;
}

export interface CertificateUses {
  /** Who uses what is written at `place`, sorted: `Ingress shop/storefront (shop.example.com)`, `Deployment shop/web (volume tls)`. */
  usesOf(place: CertificatePlace): string[];
  /** The Secrets and ConfigMaps an object reads (volumes, env, TLS), to match its pins against their certificates. */
  readBy(resource: Resource): Omit<Reference, "use" | "servesTls">[];
  /**
   * The Ingresses whose `spec.tls` names the Secret object holding `place`, in file order (path, document,
   * place in the document); none for certificates elsewhere (files, ConfigMaps, Helm values).
   */
  tlsIngressesOf(place: CertificatePlace): Resource[];
}

const found = new WeakMap<ParsedWorkspace, CertificateUses>();

/** Where the workspace's Secrets, ConfigMaps and certificate files are used. Built once per workspace. */
export function certificateUses(workspace: ParsedWorkspace): CertificateUses {
  let uses = found.get(workspace);
  if (uses) return uses;
  const references = new Map<Resource, Reference[]>();
  for (const resource of workspace.resources) {
    const made = referencesOf(resource);
    if (made.length > 0) references.set(resource, made);
  }
  const all = [...references.values()].flat();
  const tlsReferrers = [...references].flatMap(([resource, made]) => made.filter((reference) => reference.servesTls).map((reference) => ({ resource, reference })));
  const generators = workspace.files.filter((file) => file.role === "kustomization").flatMap((file) => generatorsOf(file.path, file.documents[0]?.root));
  const usersOf = (target: Omit<Reference, "use">): string[] =>
    all.filter((reference) => reference.kind === target.kind && reference.name === target.name && sameNamespace(reference.namespace, target.namespace)).map((reference) => reference.use);

  uses = {
    usesOf(place) {
      const { resource } = place;
      if (resource) {
        const kind = resource.kind === "Secret" || resource.kind === "ConfigMap" ? resource.kind : undefined;
        return kind ? sortedUnique(usersOf({ kind, namespace: resource.namespace, name: resource.name })) : [];
      }
      const generated = generators.filter((generator) => generator.files.includes(place.file));
      return sortedUnique(generated.flatMap((generator) => [generator.use, ...usersOf(generator.target)]));
    },
    readBy(resource) {
      return (references.get(resource) ?? []).map(({ kind, namespace, name }) => ({ kind, namespace, name }));
    },
    tlsIngressesOf(place) {
      const secret = place.resource;
      if (secret?.kind !== "Secret" || secret.apiVersion !== "v1") return [];
      const serving = tlsReferrers
        .filter(({ reference }) => reference.name === secret.name && sameNamespace(reference.namespace, secret.namespace))
        .map(({ resource }) => resource);
      return [...new Set(serving)].sort(compareObjects);
    },
  };
  found.set(workspace, uses);
  return uses;
}

function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** File order: by path, then document, then place in the document. */
function compareObjects(a: Resource, b: Resource): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.document !== b.document) return a.document - b.document;
  // Inside a List: items in their order.
  for (let index = 0; index < Math.min(a.path.length, b.path.length); index += 1) {
    const [left, right] = [a.path[index], b.path[index]];
    if (left === right) continue;
    if (typeof left === "number" && typeof right === "number") return left - right;
    return String(left) < String(right) ? -1 : 1;
  }
  return a.path.length - b.path.length;
}

function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every Secret and ConfigMap an object names: Ingress TLS, Gateway listeners, pod volumes and environment. */
function referencesOf(resource: Resource): Reference[] {
  const object = describeObject(resource);
  const namespace = resource.namespace;
  const references: Reference[] = [];
  const add = (kind: Reference["kind"], name: string | undefined, use: string, inNamespace = namespace, servesTls = false) => {
    if (name) references.push({ kind, namespace: inNamespace, name, use, ...(servesTls ? { servesTls: true as const } : {}) });
  };
  if (isIngress(resource)) {
    for (const tls of seqItems(getIn(resource.node, ["spec", "tls"])).filter(isMap)) {
      const hosts = seqItems(get(tls, "hosts")).flatMap((host) => (isScalar(host) && host.value !== null ? [host.text] : []));
      add("Secret", getText(tls, "secretName"), hosts.length > 0 ? `${object} (${hosts.join(", ")})` : object, namespace, true);
    }
    // ingress-nginx client-certificate authentication: "namespace/name" of the Secret with ca.crt.
    const clientCa = getText(getMap(getMap(resource.node, "metadata"), "annotations"), "nginx.ingress.kubernetes.io/auth-tls-secret");
    if (clientCa) {
      const [first, second] = clientCa.split("/");
      add("Secret", second ?? first, `${object} (client CA)`, second === undefined ? namespace : first);
    }
  }
  if (resource.kind === "Gateway" && resource.apiVersion.startsWith("gateway.networking.k8s.io/")) {
    for (const listener of seqItems(getIn(resource.node, ["spec", "listeners"])).filter(isMap)) {
      const label = [getText(listener, "name"), getText(listener, "hostname")].filter(Boolean).join(", ");
      for (const ref of seqItems(getIn(listener, ["tls", "certificateRefs"])).filter(isMap)) {
        if ((getText(ref, "kind") ?? "Secret") !== "Secret" || (getText(ref, "group") ?? "") !== "") continue;
        add("Secret", getText(ref, "name"), label ? `${object} (listener ${label})` : object, getText(ref, "namespace") ?? namespace);
      }
    }
  }
  const pod = podSpecOf(resource);
  if (pod) {
    for (const volume of seqItems(get(pod.spec, "volumes")).filter(isMap)) {
      const use = `${object} (volume ${getText(volume, "name") ?? "?"})`;
      add("Secret", getText(getMap(volume, "secret"), "secretName"), use);
      add("ConfigMap", getText(getMap(volume, "configMap"), "name"), use);
      for (const source of seqItems(getIn(volume, ["projected", "sources"]))) {
        add("Secret", getText(getMap(source, "secret"), "name"), use);
        add("ConfigMap", getText(getMap(source, "configMap"), "name"), use);
      }
    }
    for (const list of ["initContainers", "containers"]) {
      for (const container of seqItems(get(pod.spec, list)).filter(isMap)) {
        const use = `${object} (environment of container ${getText(container, "name") ?? "?"})`;
        for (const env of seqItems(get(container, "env"))) {
          add("Secret", getText(getIn(env, ["valueFrom", "secretKeyRef"]), "name"), use);
          add("ConfigMap", getText(getIn(env, ["valueFrom", "configMapKeyRef"]), "name"), use);
        }
        for (const from of seqItems(get(container, "envFrom"))) {
          add("Secret", getText(getMap(from, "secretRef"), "name"), use);
          add("ConfigMap", getText(getMap(from, "configMapRef"), "name"), use);
        }
      }
    }
  }
  return references;
}

/** `secretGenerator` / `configMapGenerator` entries and the files they read (`tls.crt=certs/tls.crt` or `certs/tls.crt`). */
function generatorsOf(kustomizationPath: string, root: YamlNode | undefined): Generator[] {
  if (!isMap(root)) return [];
  const dir = posix.dirname(kustomizationPath);
  const namespace = getText(root, "namespace");
  const generators: Generator[] = [];
  for (const [field, kind] of [["secretGenerator", "Secret"], ["configMapGenerator", "ConfigMap"]] as const) {
    for (const entry of seqItems(get(root, field)).filter(isMap)) {
      const name = getText(entry, "name");
      if (!name) continue;
      const files = seqItems(get(entry, "files")).flatMap((item) => {
        if (!isScalar(item) || item.value === null) return [];
        const path = item.text.slice(item.text.indexOf("=") + 1);
        return [posix.normalize(dir === "." ? path : `${dir}/${path}`)];
      });
      generators.push({ target: { kind, namespace: getText(entry, "namespace") ?? namespace, name }, files, use: `${field} ${name} in ${kustomizationPath}` });
    }
  }
  return generators;
}
