import { get, getMap, getText, isMap, seqItems } from "../yaml/nodes.js";
import type { Resource } from "./resource.js";

/** The API groups an Ingress has been served from: networking.k8s.io/v1, and the betas before it. */
const INGRESS_API_VERSIONS = ["networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"];

export function isIngress(resource: Pick<Resource, "apiVersion" | "kind">): boolean {
  return resource.kind === "Ingress" && INGRESS_API_VERSIONS.includes(resource.apiVersion);
}

/** The hosts an Ingress's rules name, sorted and each once; rules without a host are not among them. */
export function ingressRuleHosts(resource: Resource): string[] {
  const hosts = seqItems(get(getMap(resource.node, "spec"), "rules"))
    .filter(isMap)
    .map((rule) => getText(rule, "host"))
    .filter((host): host is string => host !== undefined && host !== "");
  return [...new Set(hosts)].sort();
}

/** "a", "a and b", "a, b and c": hosts in a sentence. */
export function listInSentence(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] as string}`;
}
