import { DAY_MS } from "../config/go-duration.js";
import { plural } from "../report/plural.js";
import type { ResourceIdentity } from "../model/resource.js";
import type { CertificatePlace, FoundCertificate } from "./types.js";

/** SANs named in a message before the rest are counted. */
const MAX_SANS = 5;

/**
 * A certificate for people: `certificate CN=shop.example.com (SANs:
 * shop.example.com, www.shop.example.com)`, with its place in a bundle.
 */
export function describeCertificate({ facts, place }: FoundCertificate): string {
  const label = facts.isCA ? "CA certificate" : "certificate";
  const subject = facts.commonName !== undefined ? `CN=${facts.commonName}` : facts.subject !== "" ? facts.subject : "with an empty subject";
  const notes = [
    ...(place.bundle ? [`certificate ${place.bundle.index} of ${place.bundle.count} in the bundle`] : []),
    ...(facts.sans.length > 0 ? [`SANs: ${listSans(facts.sans)}`] : []),
  ];
  return `${label} ${subject}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}

/** `expired on 2025-12-02 (30 days ago)` or `expires on 2026-01-10 (9 days left)`. */
export function describeExpiry(notAfter: Date, now: Date): string {
  const date = formatDate(notAfter);
  if (notAfter.getTime() < now.getTime()) {
    const ago = wholeDays(now.getTime() - notAfter.getTime());
    return `expired on ${date} (${ago === 0 ? "less than a day ago" : `${ago} ${plural(ago, "day")} ago`})`;
  }
  const left = daysLeft(notAfter, now);
  return `expires on ${date} (${left === 0 ? "less than a day left" : `${left} ${plural(left, "day")} left`})`;
}

/** Whole days from `now` until `notAfter`: 9.9 days left is 9. */
export function daysLeft(notAfter: Date, now: Date): number {
  return wholeDays(notAfter.getTime() - now.getTime());
}

/** `; used by Ingress shop/web (shop.example.com); also in certs/web.crt`: every other place the certificate is. */
export function describeUses(uses: readonly string[], copies: readonly CertificatePlace[]): string {
  const elsewhere = [...new Set(copies.map(describePlace))].sort();
  return `${uses.length > 0 ? `; used by ${uses.join(", ")}` : ""}${elsewhere.length > 0 ? `; also in ${elsewhere.join(", ")}` : ""}`;
}

/** `Secret shop/web-tls (apps/web/secret.yaml)`, or the file alone. */
export function describePlace(place: CertificatePlace): string {
  return place.resource ? `${describeObject(place.resource)} (${place.file})` : place.file;
}

/** `Secret shop/web-tls`. */
export function describeObject(resource: ResourceIdentity): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ""}${resource.name}`;
}

/** The UTC date: certificates are dated in UTC. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function wholeDays(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `DNS:a` is written `a`, `IP Address:10.0.0.1` as `IP 10.0.0.1`; other kinds keep their prefix. */
function listSans(sans: readonly string[]): string {
  const shown = sans.slice(0, MAX_SANS).map((san) => san.replace(/^DNS:/, "").replace(/^IP Address:/, "IP "));
  return sans.length > MAX_SANS ? `${shown.join(", ")} and ${sans.length - MAX_SANS} more` : shown.join(", ");
}
