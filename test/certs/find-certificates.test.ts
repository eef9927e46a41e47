import { afterAll, describe, expect, it } from "vitest";
import { findCertificates } from "../../src/certs/find-certificates.js";
import type { CertificatePlace } from "../../src/certs/types.js";
import { DEFAULT_LIMITS } from "../../src/config/types.js";
import { parseWorkspace, type ParsedWorkspace } from "../../src/scan/parse-workspace.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { tempTree, yaml, lineOf } from "./helpers.js";
import { base64, indent, TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const root = ca.issue({ subject: "/CN=Shop Root CA", ca: true, notBefore: "2024-01-01", notAfter: "2034-01-01" });
const issuing = ca.issue({ subject: "/CN=Shop Issuing CA", ca: true, notBefore: "2024-06-01", notAfter: "2025-12-31", signer: root });
const web = ca.issue({ subject: "/CN=shop.example.com", sans: "DNS:shop.example.com", notBefore: "2025-12-01", notAfter: "2026-01-10", signer: issuing });
const api = ca.issue({ subject: "/CN=api.example.com", notBefore: "2025-11-01", notAfter: "2026-01-25", signer: root });

function workspaceOf(files: Record<string, string | Uint8Array>): ParsedWorkspace {
  return parseWorkspace(loadWorkspace(tempTree(files), { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] }), DEFAULT_LIMITS);
}

/** file:line:column, where, holder, bundle position: what a place says. */
function describePlace(workspace: ParsedWorkspace, place: CertificatePlace): string {
  const file = workspace.files.find((candidate) => candidate.path === place.file)!;
  const { line, column } = file.lines.position(place.offset);
  const holder = place.resource ? `${place.resource.kind} ${place.resource.namespace ?? "-"}/${place.resource.name}` : "-";
  return `${place.file}:${line}:${column} ${place.where || "-"} ${holder}${place.bundle ? ` ${place.bundle.index}/${place.bundle.count}` : ""}`;
}

const BEGIN = "-----BEGIN CERTIFICATE-----";

describe("findCertificates: every place a certificate is written", () => {
  const bundle = `# the shop's chain\n${web.pem}${issuing.pem}${root.pem}`;
  const configMap = yaml("apiVersion: v1", "kind: ConfigMap", "metadata: {name: trust, namespace: shop}", "data:", "  ca.crt: |", indent(issuing.pem + root.pem, 4));
  const values = yaml(
    "tls:",
    "  cert: |-",
    indent(api.pem, 4),
    `  caBundle: ${JSON.stringify(root.pem)}`,
    "  chain: &chain |",
    indent(web.pem, 4),
    "  again: *chain",
  );
  const secret = yaml(
    "apiVersion: v1",
    "kind: Secret",
    "metadata: {name: web-tls, namespace: shop}",
    "type: kubernetes.io/tls",
    "data:",
    `  tls.crt: ${base64(web.pem)}`,
    `  ca.crt: >-`,
    `    ${base64(issuing.pem + root.pem)}`,
    `  password: ${base64("hunter2")}`,
  );
  const list = yaml(
    "apiVersion: v1",
    "kind: List",
    "items:",
    "  - apiVersion: v1",
    "    kind: Secret",
    "    metadata: {name: api-tls}",
    "    stringData:",
    "      tls.crt: |",
    indent(api.pem, 8),
  );
  const workspace = workspaceOf({
    "certs/bundle.pem": bundle,
    "certs/root.der": root.der,
    "apps/web/configmap.yaml": configMap,
    "charts/api/values.yaml": values,
    "apps/web/secret.yaml": secret,
    "apps/api/list.yaml": list,
  });
  const { certificates, unreadable, privateKeys } = findCertificates(workspace);
  const found = certificates.map((certificate) => `${describePlace(workspace, certificate.place)} ${certificate.facts.commonName}`);

  it("finds each one once, in file order, at its own BEGIN line (or its base64 value), with what holds it", () => {
    expect(found).toEqual([
      `apps/api/list.yaml:${lineOf(list, BEGIN)}:9 stringData.tls.crt Secret -/api-tls api.example.com`,
      `apps/web/configmap.yaml:${lineOf(configMap, BEGIN, 1)}:5 data.ca.crt ConfigMap shop/trust 1/2 Shop Issuing CA`,
      `apps/web/configmap.yaml:${lineOf(configMap, BEGIN, 2)}:5 data.ca.crt ConfigMap shop/trust 2/2 Shop Root CA`,
      "apps/web/secret.yaml:6:12 data.tls.crt Secret shop/web-tls shop.example.com",
      "apps/web/secret.yaml:8:5 data.ca.crt Secret shop/web-tls 1/2 Shop Issuing CA",
      "apps/web/secret.yaml:8:5 data.ca.crt Secret shop/web-tls 2/2 Shop Root CA",
      `certs/bundle.pem:2:1 - - 1/3 shop.example.com`,
      `certs/bundle.pem:${lineOf(bundle, BEGIN, 2)}:1 - - 2/3 Shop Issuing CA`,
      `certs/bundle.pem:${lineOf(bundle, BEGIN, 3)}:1 - - 3/3 Shop Root CA`,
      "certs/root.der:1:1 - - Shop Root CA",
      `charts/api/values.yaml:3:5 tls.cert - api.example.com`,
      // A double-quoted string with \n escapes: the BEGIN is on the value's own line, inside the quotes.
      `charts/api/values.yaml:${lineOf(values, "caBundle")}:14 tls.caBundle - Shop Root CA`,
      // Anchored once, aliased once: found once.
      `charts/api/values.yaml:${lineOf(values, BEGIN, 3)}:5 tls.chain - shop.example.com`,
    ]);
    expect(unreadable).toEqual([]);
    expect(privateKeys).toEqual([]);
  });

  it("reads the dates, fingerprint and pin of each", () => {
    const first = certificates.find((certificate) => certificate.place.file === "certs/bundle.pem")!;
    expect(first.facts).toMatchObject({ notBefore: new Date("2025-12-01T00:00:00Z"), notAfter: new Date("2026-01-10T00:00:00Z"), fingerprint256: web.fingerprint256, spkiPin: web.spkiPin });
  });

  it("reads a workspace once, however many rules ask", () => {
    expect(findCertificates(workspace)).toBe(findCertificates(workspace));
  });
});

describe("findCertificates: what looks like a certificate but cannot be read", () => {
  const truncatedBase64 = base64(web.pem).slice(0, 101);
  const secret = yaml(
    "apiVersion: v1",
    "kind: Secret",
    "metadata: {name: broken}",
    "data:",
    `  tls.crt: ${truncatedBase64}`,
    `  ca.crt: ${base64(web.pem.slice(0, 200))}`,
    `  raw.crt: |`,
    indent(web.pem, 4),
    `  other.crt: ${base64("plain text")}`,
    `  notes: ${base64("-----BEGINNING of the notes")}`,
  );
  const configMap = yaml("apiVersion: v1", "kind: ConfigMap", "metadata: {name: bad}", "data:", "  ca.crt: |", "    -----BEGIN CERTIFICATE-----", "    not base64!", "    -----END CERTIFICATE-----");
  const workspace = workspaceOf({
    "apps/secret.yaml": secret,
    "apps/configmap.yaml": configMap,
    "certs/empty.crt": "",
    "certs/notes.pem": "see the wiki\n",
    "certs/random.der": Buffer.from([0x30, 0x82, 0x01, 0x00, 0xff, 0x00]),
    "certs/licence.key": "ABCD-EFGH\n",
  });
  const { certificates, unreadable } = findCertificates(workspace);

  it("says what each is, where, and why, and finds no certificate in them", () => {
    expect(certificates).toEqual([]);
    expect(unreadable.map((item) => `${describePlace(workspace, item.place)} ${item.what}: ${item.reason}`)).toEqual([
      "apps/configmap.yaml:6:5 data.ca.crt ConfigMap -/bad certificate: its body is not valid base64",
      "apps/secret.yaml:5:12 data.tls.crt Secret -/broken Secret value: it is not valid base64 (101 characters, not a multiple of 4: truncated?)",
      "apps/secret.yaml:6:11 data.ca.crt Secret -/broken certificate: it has no -----END CERTIFICATE----- line (the copy is truncated)",
      "apps/secret.yaml:8:5 data.raw.crt Secret -/broken Secret value: it is PEM text, but Secret data values must be base64: the API server rejects it (write it under stringData, or base64-encode it)",
      `apps/secret.yaml:${lineOf(secret, "other.crt")}:14 data.other.crt Secret -/broken Secret value: it decodes to neither PEM text nor a DER certificate`,
      `apps/secret.yaml:${lineOf(secret, "notes")}:10 data.notes Secret -/broken Secret value: it decodes to text that starts like PEM but holds no BEGIN line`,
      "certs/notes.pem:1:1 - - certificate file: it holds no PEM block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
      "certs/random.der:1:1 - - certificate file: it holds binary data that starts like a DER certificate but does not parse (truncated?)",
    ]);
  });
});
