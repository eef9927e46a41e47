import { afterAll, describe, expect, it } from "vitest";
import { activeRules } from "../../src/config/resolve.js";
import { DEFAULT_LIMITS, fixSettingsOf, type ConfigFile } from "../../src/config/types.js";
import { recheckAt } from "../../src/github/recheck.js";
import { loadRules } from "../../src/rules/load.js";
import { scanFiles } from "../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../src/workspace/load.js";
import { TestCa } from "../certs/openssl.js";

const NOW = new Date("2026-11-22T10:30:00Z");
const catalog = loadRules();
const ca = new TestCa();
afterAll(() => ca.dispose());

function recheckOf(files: Record<string, string>, config: ConfigFile = {}, only?: string[]): string | undefined {
  const rules = activeRules(catalog, config, only);
  const fixSettings = fixSettingsOf(config);
  const workspace = loadWorkspaceFromFiles(
    Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })),
    { maxFileBytes: DEFAULT_LIMITS.maxFileBytes, ignorePaths: [] },
  );
  return recheckAt(scanFiles(workspace, { rules, limits: DEFAULT_LIMITS, fixSettings, now: NOW }), rules, fixSettings);
}

const CHART = "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: ~17.3.0\n    repository: https://charts.example.com/stable\n";
const lock = (generated: string) => `dependencies:\n- name: redis\n  repository: https://charts.example.com/stable\n  version: 17.3.1\ndigest: sha256:0\ngenerated: "${generated}"\n`;

describe("when a scan of an unchanged commit may find something else", () => {
  it("never, for rules that only the files decide", () => {
    expect(recheckOf({ "deploy/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n" })).toBeUndefined();
  });

  it("the next expiry threshold of any certificate: 30 days before, 14 days before, the expiry itself", () => {
    const cert = ca.issue({ subject: "/CN=web.example.com", notBefore: "2026-01-01", notAfter: "2026-12-30T12:00:00" });
    const other = ca.issue({ subject: "/CN=api.example.com", notBefore: "2026-01-01", notAfter: "2027-06-01" });
    expect(recheckOf({ "tls/web.crt": cert.pem, "tls/api.crt": other.pem })).toBe("2026-11-30T12:00:00.000Z");
    expect(recheckOf({ "tls/web.crt": cert.pem }, { certificates: { expiringMediumDays: 20 } })).toBe("2026-12-10T12:00:00.000Z");
    expect(recheckOf({ "tls/web.crt": cert.pem }, {}, ["image-tag-mutable"])).toBeUndefined();
  });

  it("a Helm lock: the day it comes due for maintenance, then weekly; only with lockfile-maintenance on", () => {
    const on: ConfigFile = { rules: { "lockfile-maintenance": "low" } };
    expect(recheckOf({ "web/Chart.yaml": CHART, "web/Chart.lock": lock("2026-11-01T08:00:00Z") }, on)).toBe("2026-12-01T08:00:00.000Z");
    expect(recheckOf({ "web/Chart.yaml": CHART, "web/Chart.lock": lock("2026-09-01T08:00:00Z") }, on)).toBe("2026-11-29T00:00:00.000Z");
    expect(recheckOf({ "web/Chart.yaml": CHART, "web/Chart.lock": lock("2026-09-01T08:00:00Z") })).toBeUndefined();
  });

  it("pinned images, with image-digest-outdated on: the next day", () => {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: ghcr.io/acme/web:1.4@sha256:" + "a".repeat(64) + "\n";
    expect(recheckOf({ "web.yaml": pod }, { rules: { "image-digest-outdated": "low" } })).toBe("2026-11-23T00:00:00.000Z");
    expect(recheckOf({ "web.yaml": pod })).toBeUndefined();
  });
});
