import { afterAll, describe, expect, it } from "vitest";
import { certificateRows, scanCertificates, tempTree, yaml } from "./helpers.js";
import { base64, indent, TestCa } from "./openssl.js";

const ca = new TestCa();
afterAll(() => ca.dispose());

const RULE = "spki-pin-mismatch";
const root = ca.issue({ subject: "/CN=Shop Root CA", ca: true, notBefore: "2024-01-01", notAfter: "2034-01-01" });
const redis = ca.issue({ subject: "/CN=redis.shop.svc", notBefore: "2025-12-01", notAfter: "2026-03-01", signer: root });
const web = ca.issue({ subject: "/CN=shop.example.com", notBefore: "2025-12-01", notAfter: "2026-03-01", signer: root });
/** A pin of a key that is in no certificate here: what a rotation leaves behind. */
const STALE = `sha256/${"A".repeat(43)}=`;

describe(RULE, () => {
  const secret = yaml(
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    "  name: redis-tls",
    "  namespace: shop",
    "  annotations:",
    `    shipshape.dev/spki-pins: "${redis.spkiPin}, ${STALE}"`,
    "data:",
    `  tls.crt: ${base64(redis.pem)}`,
    `  ca.crt: ${base64(root.pem)}`,
  );
  const statefulSet = yaml(
    "apiVersion: apps/v1",
    "kind: StatefulSet",
    "metadata:",
    "  name: redis-client",
    "  namespace: shop",
    "  annotations:",
    `    shipshape.dev/spki-pins: ${web.spkiPin},${redis.spkiPin}`,
    "spec:",
    "  template:",
    "    spec:",
    "      containers: [{name: client, image: client:1}]",
    "      volumes: [{name: tls, secret: {secretName: redis-tls}}]",
  );
  const elsewhere = yaml("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: client-pins", "  annotations:", `    shipshape.dev/spki-pins: "sha256/short=,${web.spkiPin},${STALE}"`);
  const config = yaml("certificates:", "  pins:", `    - ${root.spkiPin}`, `    - "${STALE}"`);
  const folder = tempTree({
    ".shipshape.yml": config,
    "apps/redis/secret.yaml": secret,
    "apps/redis/client.yaml": statefulSet,
    "apps/client/pins.yaml": elsewhere,
    "apps/web/values.yaml": yaml("tls:", "  crt: |", indent(web.pem, 4)),
  });
  const findings = scanCertificates(folder, { rules: [RULE], config: { certificates: { pins: [root.spkiPin, STALE] } } });
  const pinsOf = (...certificates: (typeof root)[]) => certificates.map((certificate) => certificate.spkiPin).sort().join(", ");

  it("reports each pin that matches no certificate it is meant to pin, at the pin, listing the pins there are", () => {
    expect(certificateRows(findings)).toEqual([
      [RULE, ".shipshape.yml", 4, 8, "high", `pin ${STALE} (certificates.pins) matches none of the 3 certificates in the repository, whose pins are ${pinsOf(root, redis, web)}`],
      [RULE, "apps/client/pins.yaml", 6, 31, "high", 'shipshape.dev/spki-pins: "sha256/short=" is not an SPKI pin (sha256/ and 44 base64 characters)'],
      [RULE, "apps/client/pins.yaml", 6, 31 + "sha256/short=,".length + web.spkiPin.length + 1, "high", `pin ${STALE} (shipshape.dev/spki-pins) matches none of the 3 certificates in the repository, whose pins are ${pinsOf(root, redis, web)}`],
      // The StatefulSet reads redis-tls: its web pin is matched against redis-tls's certificates only.
      [RULE, "apps/redis/client.yaml", 7, 30, "high", `pin ${web.spkiPin} (shipshape.dev/spki-pins) matches none of the 2 certificates in what it reads (Secret shop/redis-tls), whose pins are ${pinsOf(root, redis)}`],
      [RULE, "apps/redis/secret.yaml", 7, 31 + redis.spkiPin.length + 2, "high", `pin ${STALE} (shipshape.dev/spki-pins) matches none of the 2 certificates in Secret shop/redis-tls, whose pins are ${pinsOf(root, redis)}`],
    ]);
  });

  it("puts annotation findings on the annotated object, and configured pins on no object", () => {
    expect(findings.map((finding) => finding.resource?.name ?? "-")).toEqual(["-", "client-pins", "client-pins", "redis-client", "redis-tls"]);
  });

  it("says so when there is no certificate to match", () => {
    const empty = tempTree({ "pins.yaml": yaml("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: pins", "  annotations:", `    shipshape.dev/spki-pins: ${STALE}`) });
    expect(certificateRows(scanCertificates(empty, { rules: [RULE] }))).toEqual([
      [RULE, "pins.yaml", 6, 30, "high", `pin ${STALE} (shipshape.dev/spki-pins) matches no certificate: there is none in the repository`],
    ]);
  });

  it("names the single certificate when there is one", () => {
    const one = tempTree({ "web.pem": web.pem, ".shipshape.yml": config });
    expect(certificateRows(scanCertificates(one, { rules: [RULE], config: { certificates: { pins: [STALE] } } }))).toEqual([
      [RULE, ".shipshape.yml", 4, 8, "high", `pin ${STALE} (certificates.pins) does not match the certificate in the repository, whose pin is ${web.spkiPin}`],
    ]);
  });
});
