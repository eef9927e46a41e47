import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings } from "../config/types.js";
import { findCertificates } from "../certs/find-certificates.js";
import { chartsWithDependencies } from "../lockfiles/helm-charts.js";
import type { ScanResult } from "../scan/scan.js";
import { getText, isMap } from "../yaml/nodes.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often rules that ask registries and chart repositories look again at a commit that has not changed. */
const OUTSIDE_WORLD_DAYS = { "image-digest-outdated": 1, "lockfile-maintenance": 7 } as const;

/**
 * When a scan of the same commit may find something else, so the scheduled
 * sweep scans an unchanged repository again: the next day a certificate
 * crosses an expiry threshold, the day a Helm lock comes due for
 * maintenance, and, for rules that ask registries or chart repositories
 * (which change without a commit), a day or a week on. Undefined when only
 * a new commit or config can change what is found. Days start at 00:00 UTC,
 * so the date (and the dashboard that records it) stays the same between
 * scans of one day.
 */
export function recheckAt(scanned: ScanResult, rules: readonly ActiveRule[], settings: FixSettings): string | undefined {
  const checks = new Set(rules.map((active) => active.rule.check.name));
  const now = scanned.now.getTime();
  const candidates: number[] = [];
  const dayAfter = (time: number) => Math.floor(time / DAY_MS) * DAY_MS + DAY_MS;
  if (checks.has("certificate-expired") || checks.has("certificate-expiring")) {
    const { expiringHighDays, expiringMediumDays } = settings.certificates;
    for (const { facts } of findCertificates(scanned.workspace).certificates) {
      const expiry = facts.notAfter.getTime();
      candidates.push(...[expiry - expiringMediumDays * DAY_MS, expiry - expiringHighDays * DAY_MS, expiry].filter((time) => time > now));
    }
  }
  if (checks.has("image-digest-outdated") && scanned.lookups.length > 0) candidates.push(dayAfter(now + (OUTSIDE_WORLD_DAYS["image-digest-outdated"] - 1) * DAY_MS));
  if (checks.has("lockfile-maintenance")) {
    for (const chart of chartsWithDependencies(scanned.workspace)) {
      const root = chart.lockFile?.documents[0]?.root;
      if (!isMap(root)) continue;
      const due = Date.parse(getText(root, "generated") ?? "") + settings.lockfiles.maxAgeDays * DAY_MS;
      candidates.push(due > now ? due : dayAfter(now + (OUTSIDE_WORLD_DAYS["lockfile-maintenance"] - 1) * DAY_MS));
    }
  }
  const next = candidates.filter((time) => !Number.isNaN(time)).reduce((soonest, time) => Math.min(soonest, time), Infinity);
  return next === Infinity ? undefined : new Date(next).toISOString();
}
