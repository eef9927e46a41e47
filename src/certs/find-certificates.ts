import type { ParsedFile } from "../model/parsed-file.js";
import { describePath } from "../model/paths.js";
import type { Resource } from "../model/resource.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import type { YamlDocument } from "../yaml/compose.js";
import type { YamlNode, YamlScalar } from "../yaml/nodes.js";
import { pemBeginOffsets } from "./pem-blocks.js";
import { readDer, readPemText } from "./read-value.js";
import { readBase64Value } from "./secret-data.js";
import type { CertificateInventory } from "./types.js";

const found = new WeakMap<ParsedWorkspace, CertificateInventory>();

/**
 * Every certificate and private key of the workspace, with where it is
 * written: certificate and key files (PEM or DER), PEM text in any YAML
 * string (ConfigMaps, Helm values, Secret `stringData`), and base64 values
 * of Secret `data` and ConfigMap `binaryData`. Read once per workspace: the
 * certificate rules share it.
 */
export function findCertificates(workspace: ParsedWorkspace): CertificateInventory {
  let inventory = found.get(workspace);
  if (!inventory) {
    inventory = { certificates: [], privateKeys: [], unreadable: [] };
    const resourcesByFile = new Map<string, Resource[]>();
    for (const resource of workspace.resources) resourcesByFile.set(resource.file, [...(resourcesByFile.get(resource.file) ?? []), resource]);
    for (const file of workspace.files) {
      if (file.role === "pem") readCertificateFile(file, inventory);
      else for (const document of file.documents) readDocument(file, document, resourcesByFile.get(file.path) ?? [], inventory);
    }
    found.set(workspace, inventory);
  }
  return inventory;
}

/** Key files are often something else (a licence key, an API key): only certificate files must hold a certificate. */
const KEY_FILE = /\.key$/i;

function readCertificateFile(file: ParsedFile, inventory: CertificateInventory): void {
  const source = { file: file.path, where: "", resource: undefined, offsetOf: (_index: number, start: number) => start };
  const place = { file: file.path, offset: 0, where: "", resource: undefined };
  if (file.binary) {
    if (!readDer(file.binary, source, inventory) && !KEY_FILE.test(file.path)) {
      const reason = file.binary[0] === 0x30 ? "it holds binary data that starts like a DER certificate but does not parse (truncated?)" : "it holds binary data that is neither PEM text nor a DER certificate";
      inventory.unreadable.push({ place, what: "certificate file", reason });
    }
    return;
  }
  if (readPemText(file.text, source, inventory) === 0 && file.text.trim() !== "" && !KEY_FILE.test(file.path)) {
    inventory.unreadable.push({ place, what: "certificate file", reason: "it holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)" });
  }
}

/**
 * Walks one YAML document. Each node is visited once, however many aliases
 * reuse it, and knows the innermost Kubernetes object it sits in.
 */
function readDocument(file: ParsedFile, document: YamlDocument, resources: readonly Resource[], inventory: CertificateInventory): void {
  if (!document.root) return;
  const objects = new Map(resources.filter((resource) => resource.document === document.index).map((resource) => [resource.node as YamlNode, resource]));
  const seen = new Set<YamlNode>();
  visit(document.root, [], undefined);

  function visit(node: YamlNode, path: readonly (string | number)[], holder: Resource | undefined): void {
    if (seen.has(node)) return;
    seen.add(node);
    const resource = objects.get(node) ?? holder;
    if (node.kind === "scalar") {
      if (typeof node.value === "string" && node.text.includes("-----BEGIN ")) {
        const where = describePath(path.slice(resource ? resource.path.length : 0));
        readPemText(node.text, yamlStringSource(file, node, where, resource), inventory);
      }
      return;
    }
    if (node.kind === "seq") {
      node.items.forEach((item, index) => visit(item, [...path, index], resource));
      return;
    }
    const base64Values = resource !== undefined && base64MapOf(resource, path.slice(resource.path.length));
    for (const [key, pair] of node.pairs) {
      if (base64Values && pair.value.kind === "scalar" && !seen.has(pair.value)) {
        seen.add(pair.value);
        const where = describePath([...path.slice((resource as Resource).path.length), key]);
        readBase64Value(pair.value, key, { file: file.path, offset: contentOffset(file, pair.value), where, resource }, inventory);
      } else {
        visit(pair.value, [...path, key], resource);
      }
    }
  }
}

/** `data` of a Secret and `binaryData` of a ConfigMap hold base64. */
function base64MapOf(resource: Resource, path: readonly (string | number)[]): boolean {
  if (path.length !== 1 || resource.apiVersion !== "v1") return false;
  return (resource.kind === "Secret" && path[0] === "data") || (resource.kind === "ConfigMap" && path[0] === "binaryData");
}

/** A block scalar starts at its first line's indentation: point at the value itself. */
function contentOffset(file: ParsedFile, node: YamlScalar): number {
  const leading = /^\s*/.exec(file.text.slice(node.offset, node.end))?.[0].length ?? 0;
  return leading === node.end - node.offset ? node.offset : node.offset + leading;
}

/**
 * A YAML string's PEM blocks are found in its decoded text; each points at
 * its own BEGIN line in the file (a block scalar keeps one line per line).
 */
function yamlStringSource(file: ParsedFile, node: YamlScalar, where: string, resource: Resource | undefined) {
  let begins: number[] | undefined;
  return {
    file: file.path,
    where,
    resource,
    offsetOf(index: number): number {
      begins ??= pemBeginOffsets(file.text.slice(node.offset, node.end));
      const begin = begins[index];
      return begin === undefined ? contentOffset(file, node) : node.offset + begin;
    },
  };
}
