import { afterAll, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, type ConfigFile } from "../../src/config/types.js";
import type { Changeset } from "../../src/fixes/changeset.js";
import { fixFindings } from "../../src/fixes/engine.js";
import type { Finding } from "../../src/scan/finding.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { NOW, yaml } from "../certs/helpers.js";
import { base64, TestCa } from "../certs/openssl.js";
import { catalog } from "../rules/helpers.js";

/**
 * certificate-expiring's fix: an expiring static certificate in a Secret that
 * an Ingress serves is handed to cert-manager by annotating that Ingress with
 * the configured issuer. The finding stays (people delete the static Secret
 * once cert-manager has issued it), so the fix says it does not resolve it.
 * Certificates come from openssl with fixed dates; the scan judges at NOW.
 */
const ca = new TestCa();
afterAll(() => ca.dispose());

const web = ca.issue({ subject: "/CN=shop.example.com", sans: "DNS:shop.example.com,DNS:www.shop.example.com", notBefore: "2025-12-01", notAfter: "2026-01-10" });
const api = ca.issue({ subject: "/CN=api.example.com", sans: "DNS:api.example.com", notBefore: "2025-12-01", notAfter: "2026-01-20" });

const CLUSTER_ISSUER: ConfigFile = { certificates: { issuer: { name: "letsencrypt-prod" } } };
const ISSUER: ConfigFile = { certificates: { issuer: { kind: "Issuer", name: "shop-ca" } } };
const RULES = ["certificate-expiring"];

const tlsSecret = (name: string, certificate: { pem: string; keyPem: string }, namespace = "shop") =>
  yaml(
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    "type: kubernetes.io/tls",
    "data:",
    `  tls.crt: ${base64(certificate.pem)}`,
    `  tls.key: ${base64(certificate.keyPem)}`,
  );

/** Block style, with an annotation, comments and a blank line that must stay. */
const STOREFRONT = yaml(
  "# The shop's public entry point.",
  "apiVersion: networking.k8s.io/v1",
  "kind: Ingress",
  "metadata:",
  "  name: storefront",
  "  namespace: shop",
  "  annotations:",
  '    nginx.ingress.kubernetes.io/ssl-redirect: "true"  # HTTPS only',
  "spec:",
  "  ingressClassName: nginx",
  "",
  "  tls:",
  "    - hosts:",
  "        - shop.example.com",
  "        - www.shop.example.com",
  "      secretName: web-tls",
  "  rules:",
  "    - host: shop.example.com",
  "      http:",
  "        paths:",
  "          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}",
);

interface FixRun {
  findings: Finding[];
  changeset: Changeset;
  /** Each file's text after the fixes. */
  after: Record<string, string>;
}

/** Scans files held in memory with certificate-expiring at NOW, and fixes what was found, as `shipshape scan --fix` does. */
function fixFiles(files: Record<string, string>, config: ConfigFile): FixRun {
  const rules = activeRules(catalog, config, RULES);
  const settings = fixSettingsOf(config);
  const loaded = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  const scanned = scanFiles(loaded, { rules, fixSettings: settings, now: NOW });
  const changeset = fixFindings(scanned.workspace, scanned.findings, { rules, settings, limits: DEFAULT_LIMITS, now: NOW });
  const after = { ...files };
  for (const change of changeset.files) after[change.path] = change.after;
  return { findings: scanned.findings, changeset, after };
}

const applied = (run: FixRun) => run.changeset.applied.map((fix) => [fix.file, fix.finding.file, fix.explanation, fix.risky, fix.resolvesFinding]);
const skipped = (run: FixRun) => run.changeset.skipped.map((skip) => [skip.file, skip.reason]);
const fixability = (run: FixRun) => run.findings.map((finding) => [finding.file, finding.line, finding.fixable, finding.notFixableReason]);

const CLUSTER_RISK =
  'cert-manager replaces the certificate in the Secret once this is deployed and the ClusterIssuer "letsencrypt-prod" (which must exist in the cluster) can solve the challenge for every host the Ingress lists for it; delete the static Secret from the repository afterwards, or Argo CD will put the old certificate back.';
const NO_INGRESS = "no Ingress serves it (from a Secret its spec.tls names): renew it, or let cert-manager issue it with a Certificate";
const NO_ISSUER = "configure certificates.issuer so cert-manager can take over; until then renew the certificate by hand";

describe("cert-manager takes over an expiring static TLS Secret", () => {
  it("Secret and Ingress in two files: the Ingress gets the ClusterIssuer's annotation after its own, byte for byte, and the finding stays", () => {
    const secret = tlsSecret("web-tls", web);
    const run = fixFiles({ "apps/web/secret.yaml": secret, "apps/web/ingress.yaml": STOREFRONT }, CLUSTER_ISSUER);
    expect(fixability(run)).toEqual([["apps/web/secret.yaml", 8, true, undefined]]);
    expect(run.findings[0]).toMatchObject({ target: { document: 0, path: [] }, targetFile: "apps/web/ingress.yaml" });
    expect(run.changeset.files.map((file) => file.path)).toEqual(["apps/web/ingress.yaml"]);
    expect(run.after["apps/web/ingress.yaml"]).toBe(
      STOREFRONT.replace('# HTTPS only\n', '# HTTPS only\n    cert-manager.io/cluster-issuer: letsencrypt-prod\n'),
    );
    expect(run.after["apps/web/secret.yaml"]).toBe(secret);
    expect(applied(run)).toEqual([
      [
        "apps/web/ingress.yaml",
        "apps/web/secret.yaml",
        'Lets cert-manager issue Secret "web-tls" for Ingress shop/storefront (ClusterIssuer "letsencrypt-prod", through the annotation cert-manager.io/cluster-issuer): the static certificate in apps/web/secret.yaml can then be deleted.',
        false,
        false,
      ],
    ]);
    expect(run.changeset.applied[0]?.risk).toBe(CLUSTER_RISK);
    expect(skipped(run)).toEqual([]);

    // Run again on the fixed files: the finding is still there, now with the reason people must act on.
    const again = fixFiles(run.after, CLUSTER_ISSUER);
    expect(again.changeset.files).toEqual([]);
    expect(again.changeset.applied).toEqual([]);
    expect(skipped(again)).toEqual([
      [
        "apps/web/secret.yaml",
        'cert-manager already manages Secret "web-tls" through the cert-manager.io/cluster-issuer annotation of Ingress shop/storefront: once that is deployed it reissues the certificate; delete the static Secret from the repository (apps/web/secret.yaml)',
      ],
    ]);
  });

  it("Secret and Ingress in one file: the Ingress after it gets the namespaced Issuer's annotation in its flow mapping", () => {
    const secret = tlsSecret("web-tls", web);
    const ingress = yaml(
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata: {name: storefront, namespace: shop}",
      "spec:",
      "  tls: [{hosts: [shop.example.com], secretName: web-tls}]",
    );
    const text = `${secret}---\n${ingress}`;
    const run = fixFiles({ "apps/shop.yaml": text }, ISSUER);
    expect(run.findings[0]).toMatchObject({ fixable: true, target: { document: 1, path: [] }, targetFile: "apps/shop.yaml" });
    expect(run.after["apps/shop.yaml"]).toBe(
      `${secret}---\n${ingress.replace("namespace: shop}", "namespace: shop, annotations: {cert-manager.io/issuer: shop-ca}}")}`,
    );
    expect(applied(run)).toEqual([
      [
        "apps/shop.yaml",
        "apps/shop.yaml",
        'Lets cert-manager issue Secret "web-tls" for Ingress shop/storefront (Issuer "shop-ca", through the annotation cert-manager.io/issuer): the static certificate in apps/shop.yaml can then be deleted.',
        false,
        false,
      ],
    ]);
    expect(run.changeset.applied[0]?.risk).toBe(
      'cert-manager replaces the certificate in the Secret once this is deployed and the Issuer "shop-ca" (which must exist in the cluster in the Ingress\'s namespace) can solve the challenge for every host the Ingress lists for it; delete the static Secret from the repository afterwards, or Argo CD will put the old certificate back.',
    );
    expect(skipped(run)).toEqual([]);
    // A new scan of the fixed file finds it where it now is: no longer fixable, and why.
    const again = fixFiles(run.after, ISSUER);
    expect(again.findings.map((finding) => [finding.rule, finding.line, finding.fixable, finding.notFixableReason])).toEqual([
      [
        "certificate-expiring",
        8,
        false,
        'cert-manager already manages Secret "web-tls" through the cert-manager.io/issuer annotation of Ingress shop/storefront: once that is deployed it reissues the certificate; delete the static Secret from the repository (apps/shop.yaml)',
      ],
    ]);
    expect(again.changeset.files).toEqual([]);
    expect(skipped(again)).toEqual([["apps/shop.yaml", again.findings[0]?.notFixableReason]]);
  });

  it("leaves an Ingress that already has a cert-manager annotation alone, and says to delete the static Secret", () => {
    const annotated = (annotation: string) => STOREFRONT.replace("# HTTPS only\n", `# HTTPS only\n    ${annotation}\n`);
    const cases: [string, string][] = [
      ["cert-manager.io/cluster-issuer: letsencrypt-staging", "cert-manager.io/cluster-issuer"],
      ["cert-manager.io/issuer: shop-ca", "cert-manager.io/issuer"],
      ['kubernetes.io/tls-acme: "true"', "kubernetes.io/tls-acme"],
    ];
    for (const [annotation, key] of cases) {
      const run = fixFiles({ "secret.yaml": tlsSecret("web-tls", web), "ingress.yaml": annotated(annotation) }, CLUSTER_ISSUER);
      const reason = `cert-manager already manages Secret "web-tls" through the ${key} annotation of Ingress shop/storefront: once that is deployed it reissues the certificate; delete the static Secret from the repository (secret.yaml)`;
      expect(fixability(run)).toEqual([["secret.yaml", 8, false, reason]]);
      expect(run.changeset.files).toEqual([]);
      expect(skipped(run)).toEqual([["secret.yaml", reason]]);
    }
    // tls-acme "false" asks for nothing: the configured issuer is added.
    const off = fixFiles({ "secret.yaml": tlsSecret("web-tls", web), "ingress.yaml": annotated('kubernetes.io/tls-acme: "false"') }, CLUSTER_ISSUER);
    expect(off.changeset.applied).toHaveLength(1);
    expect(off.after["ingress.yaml"]).toContain('kubernetes.io/tls-acme: "false"\n    cert-manager.io/cluster-issuer: letsencrypt-prod\n');
  });

  it("without an issuer configured, says to configure one and renew by hand until then", () => {
    const run = fixFiles({ "secret.yaml": tlsSecret("web-tls", web), "ingress.yaml": STOREFRONT }, {});
    expect(fixability(run)).toEqual([["secret.yaml", 8, false, NO_ISSUER]]);
    expect(run.changeset.files).toEqual([]);
    expect(run.changeset.applied).toEqual([]);
    expect(skipped(run)).toEqual([["secret.yaml", NO_ISSUER]]);
  });

  it("cannot hand over a certificate that no Ingress serves from a Secret: a Secret only a Deployment reads, a client CA, a certificate file", () => {
    const deployment = yaml(
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web, namespace: shop}",
      "spec:",
      "  template:",
      "    spec:",
      "      containers: [{name: web, image: web:1}]",
      "      volumes: [{name: certs, secret: {secretName: web-tls}}]",
    );
    const clientCa = yaml(
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      "  name: admin",
      "  namespace: shop",
      "  annotations: {nginx.ingress.kubernetes.io/auth-tls-secret: shop/api-ca}",
      "spec:",
      "  tls: [{hosts: [admin.example.com], secretName: admin-tls}]",
    );
    const run = fixFiles(
      {
        "apps/web/secret.yaml": tlsSecret("web-tls", web),
        "apps/web/deployment.yaml": deployment,
        "apps/admin/ca.yaml": yaml("apiVersion: v1", "kind: Secret", "metadata: {name: api-ca, namespace: shop}", "data:", `  ca.crt: ${base64(api.pem)}`),
        "apps/admin/ingress.yaml": clientCa,
        "certs/web.crt": web.pem,
      },
      CLUSTER_ISSUER,
    );
    expect(fixability(run)).toEqual([
      ["apps/admin/ca.yaml", 5, false, NO_INGRESS],
      ["apps/web/secret.yaml", 8, false, NO_INGRESS],
      ["certs/web.crt", 1, false, NO_INGRESS],
    ]);
    expect(run.findings.every((finding) => finding.targetFile === undefined)).toBe(true);
    expect(run.changeset.files).toEqual([]);
    expect(skipped(run)).toEqual([
      ["apps/admin/ca.yaml", NO_INGRESS],
      ["apps/web/secret.yaml", NO_INGRESS],
      ["certs/web.crt", NO_INGRESS],
    ]);
  });

  it("needs hosts in the tls entry, since cert-manager issues a certificate for them", () => {
    const ingress = yaml("apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata: {name: storefront, namespace: shop}", "spec: {tls: [{secretName: web-tls}]}");
    const run = fixFiles({ "secret.yaml": tlsSecret("web-tls", web), "ingress.yaml": ingress }, CLUSTER_ISSUER);
    const reason =
      'the tls entry of Ingress shop/storefront for Secret "web-tls" lists no hosts, and cert-manager issues a certificate for the hosts listed there: add them, then let cert-manager issue it';
    expect(fixability(run)).toEqual([["secret.yaml", 8, false, reason]]);
    expect(skipped(run)).toEqual([["secret.yaml", reason]]);
  });

  it("annotates an Ingress once for every expiring certificate it serves, and names the other Secrets it hands over", () => {
    const ingress = yaml(
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      "  name: edge",
      "  namespace: shop",
      "spec:",
      "  tls:",
      "    - {hosts: [shop.example.com], secretName: web-tls}",
      "    - {hosts: [api.example.com], secretName: api-tls}",
    );
    // web-tls also carries an expiring certificate in ca.crt: a second finding on the same Secret.
    const webSecret = tlsSecret("web-tls", web).concat(`  ca.crt: ${base64(api.pem)}\n`);
    const run = fixFiles({ "a/web-secret.yaml": webSecret, "b/api-secret.yaml": tlsSecret("api-tls", api), "c/ingress.yaml": ingress }, CLUSTER_ISSUER);
    expect(fixability(run)).toEqual([
      ["a/web-secret.yaml", 8, true, undefined],
      ["a/web-secret.yaml", 10, true, undefined],
      ["b/api-secret.yaml", 8, true, undefined],
    ]);
    expect(run.after["c/ingress.yaml"]).toBe(ingress.replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt-prod\n"));
    expect(applied(run)).toEqual([
      [
        "c/ingress.yaml",
        "a/web-secret.yaml",
        'Lets cert-manager issue Secret "web-tls" (and Secret "api-tls", which its other tls entries name) for Ingress shop/edge (ClusterIssuer "letsencrypt-prod", through the annotation cert-manager.io/cluster-issuer): the static certificate in a/web-secret.yaml can then be deleted.',
        false,
        false,
      ],
    ]);
    // The other two needed the very same edit: nothing is left to do for them, and nothing to report.
    expect(skipped(run)).toEqual([]);
  });

  it("annotates the first Ingress (by file) of several that serve the Secret", () => {
    const ingress = (name: string, host: string) =>
      yaml("apiVersion: networking.k8s.io/v1", "kind: Ingress", `metadata: {name: ${name}}`, `spec: {tls: [{hosts: [${host}], secretName: web-tls}]}`);
    const files = {
      "secret.yaml": tlsSecret("web-tls", web),
      "ingress/shop.yaml": ingress("shop", "shop.example.com"),
      "ingress/www.yaml": ingress("www", "www.shop.example.com"),
    };
    const run = fixFiles(files, CLUSTER_ISSUER);
    expect(run.findings[0]?.message).toContain("used by Ingress shop (shop.example.com), Ingress www (www.shop.example.com)");
    expect(run.changeset.files.map((file) => file.path)).toEqual(["ingress/shop.yaml"]);
    expect(run.after["ingress/shop.yaml"]).toBe(files["ingress/shop.yaml"].replace("{name: shop}", "{name: shop, annotations: {cert-manager.io/cluster-issuer: letsencrypt-prod}}"));
    expect(applied(run).map((row) => row[2])).toEqual([
      'Lets cert-manager issue Secret "web-tls" for Ingress shop (ClusterIssuer "letsencrypt-prod", through the annotation cert-manager.io/cluster-issuer): the static certificate in secret.yaml can then be deleted.',
    ]);
  });

  it("does not hand over a Secret of another namespace", () => {
    const ingress = yaml("apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata: {name: blog, namespace: blog}", "spec: {tls: [{hosts: [blog.example.com], secretName: web-tls}]}");
    const run = fixFiles({ "secret.yaml": tlsSecret("web-tls", web), "ingress.yaml": ingress }, CLUSTER_ISSUER);
    expect(fixability(run)).toEqual([["secret.yaml", 8, false, NO_INGRESS]]);
  });
});
