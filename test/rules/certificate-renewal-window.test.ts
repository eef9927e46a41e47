import { describe, expect, it } from "vitest";
import { rows, scan, tempTree, yaml } from "./helpers.js";

const RULE = "certificate-renewal-window";
const only = { rules: [RULE] };

/** A cert-manager Certificate whose spec holds `fields` (each `key: value`), after secretName. */
function certificate(name: string, fields: string[], apiVersion = "cert-manager.io/v1"): string {
  return yaml(`apiVersion: ${apiVersion}`, "kind: Certificate", "metadata:", `  name: ${name}`, "spec:", `  secretName: ${name}-tls`, ...fields.map((field) => `  ${field}`), "  issuerRef: {name: letsencrypt, kind: ClusterIssuer}");
}

function findingsFor(fields: string[], apiVersion?: string) {
  return scan(tempTree({ "certificate.yaml": certificate("web", fields, apiVersion) }), only);
}

function messagesFor(fields: string[], apiVersion?: string): string[] {
  return findingsFor(fields, apiVersion).map((f) => f.message);
}

const REJECTED = "cert-manager rejects the Certificate, so it is never issued or renewed";

describe(RULE, () => {
  it("reports a renewBefore that is not shorter than the duration, at the renewBefore value, as medium", () => {
    const findings = findingsFor(["duration: 2160h", "renewBefore: 2400h"]);
    expect(rows(findings)).toEqual([[RULE, "certificate.yaml", 8, 16, `renewBefore 2400h (100 days) is not shorter than duration 2160h (90 days): ${REJECTED}`]]);
    expect(findings.map((f) => [f.severity, f.resource?.kind, f.resource?.name, f.fixable])).toEqual([["medium", "Certificate", "web", true]]);
    expect(messagesFor(["duration: 720h", "renewBefore: 720h"])).toEqual([`renewBefore 720h (30 days) is not shorter than duration 720h (30 days): ${REJECTED}`]);
  });

  it("judges renewBefore against cert-manager's default duration of 90 days when none is written", () => {
    expect(messagesFor(["renewBefore: 2160h"])).toEqual([`renewBefore 2160h (90 days) is not shorter than the default duration of 2160h (90 days): ${REJECTED}`]);
    expect(messagesFor(["renewBefore: 720h"])).toEqual([]);
  });

  it("reports a renewBefore under 72h, or under a third of a duration too short for 72h", () => {
    expect(messagesFor(["duration: 2160h", "renewBefore: 1h"])).toEqual([
      "renewBefore 1h (1 hour) of duration 2160h (90 days) leaves a failed renewal less than 3 days to be retried and noticed before the certificate expires",
    ]);
    expect(messagesFor(["duration: 2160h", "renewBefore: 71h59m"])).toHaveLength(1);
    expect(messagesFor(["duration: 2160h", "renewBefore: 72h"])).toEqual([]);
    // A day-long certificate: a third of it (7.9 hours at 33%) is the bar.
    expect(messagesFor(["duration: 24h", "renewBefore: 6h"])).toEqual([
      "renewBefore 6h (6 hours) of duration 24h (1 day) leaves a failed renewal less than 7.9 hours to be retried and noticed before the certificate expires",
    ]);
    expect(messagesFor(["duration: 24h", "renewBefore: 8h"])).toEqual([]);
    expect(messagesFor(["duration: 1h", "renewBefore: 20m"])).toEqual([]);
  });

  it("accepts a Certificate that leaves renewal to cert-manager's default, or writes a good window in any Go spelling", () => {
    expect(messagesFor([])).toEqual([]);
    expect(messagesFor(["duration: 2160h"])).toEqual([]);
    expect(messagesFor(["duration: 8760h", "renewBefore: 720h"])).toEqual([]);
    expect(messagesFor(['duration: "2160h0m0s"', "renewBefore: 360h0m0s"])).toEqual([]);
    expect(messagesFor(["duration: 1.5h", "renewBefore: 30m"])).toEqual([]);
    // A null renewBefore is not set.
    expect(messagesFor(["duration: 2160h", "renewBefore:"])).toEqual([]);
  });

  it("reports a duration or renewBefore that is not a Go duration; a bad duration cannot be fixed", () => {
    const badDuration = findingsFor(["duration: 90d", "renewBefore: 720h"]);
    expect(rows(badDuration)).toEqual([
      [RULE, "certificate.yaml", 7, 13, 'duration "90d" is not a Go duration (such as 2160h or 90m; there is no day unit): cert-manager rejects the Certificate'],
    ]);
    expect(badDuration.map((f) => [f.fixable, f.notFixableReason])).toEqual([
      [false, 'spec.duration "90d" is not a Go duration: write it in hours (2160h for 90 days), then the renewal window can be set'],
    ]);
    const badRenewBefore = findingsFor(["duration: 2160h", "renewBefore: 30 days"]);
    expect(badRenewBefore.map((f) => [f.message, f.fixable])).toEqual([
      ['renewBefore "30 days" is not a Go duration (such as 2160h or 90m; there is no day unit): cert-manager rejects the Certificate', true],
    ]);
  });

  it("judges renewBeforePercentage as that share of the duration", () => {
    expect(messagesFor(["duration: 2160h", "renewBeforePercentage: 10"])).toEqual([]);
    expect(messagesFor(["duration: 2160h", "renewBeforePercentage: 2"])).toEqual([
      "renewBeforePercentage 2 (1.8 days) of duration 2160h (90 days) leaves a failed renewal less than 3 days to be retried and noticed before the certificate expires",
    ]);
    expect(messagesFor(["renewBeforePercentage: 100"])).toEqual(["renewBeforePercentage 100 is not between 0 and 100: cert-manager rejects the Certificate"]);
    const both = findingsFor(["renewBefore: 720h", "renewBeforePercentage: 33"]);
    expect(both.map((f) => [f.message, f.fixable, f.notFixableReason])).toEqual([
      [
        "renewBefore and renewBeforePercentage are both set: cert-manager rejects a Certificate with both",
        false,
        "renewBefore and renewBeforePercentage exclude each other: remove one by hand",
      ],
    ]);
  });

  it("reads cert-manager's older API groups, and leaves other kinds named Certificate alone", () => {
    expect(messagesFor(["duration: 24h", "renewBefore: 48h"], "cert-manager.io/v1alpha2")).toHaveLength(1);
    expect(messagesFor(["duration: 24h", "renewBefore: 48h"], "certmanager.k8s.io/v1alpha1")).toHaveLength(1);
    expect(messagesFor(["duration: 24h", "renewBefore: 48h"], "acm.services.k8s.aws/v1alpha1")).toEqual([]);
  });

  it("reports at most once per Certificate, and honours shipshape.dev/ignore", () => {
    expect(messagesFor(["duration: 90d", "renewBefore: 30d"])).toHaveLength(1);
    const ignored = yaml(
      "apiVersion: cert-manager.io/v1",
      "kind: Certificate",
      "metadata: {name: web, annotations: {shipshape.dev/ignore: certificate-renewal-window}}",
      "spec: {secretName: web-tls, duration: 24h, renewBefore: 48h}",
    );
    expect(scan(tempTree({ "certificate.yaml": ignored }), only)).toEqual([]);
  });
});
