import { certificateUses } from "../certs/certificate-uses.js";
import { describeObject } from "../certs/describe.js";
import { findCertificates } from "../certs/find-certificates.js";
import type { FoundCertificate } from "../certs/types.js";
import { CONFIG_FILE_NAMES } from "../config/load.js";
import type { Resource } from "../model/resource.js";
import { plural } from "../report/plural.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { getIn, isScalar } from "../yaml/nodes.js";
import { NO_PARAMS, type WorkspaceCheck, type WorkspaceHit } from "./types.js";

/** Annotation naming the SPKI pins (`sha256/<base64>`, comma-separated) that an object's certificates must match. */
export const SPKI_PINS_ANNOTATION = "shipshape.dev/spki-pins";

const PIN = /^sha256\/[A-Za-z0-9+/]{43}=$/;
/** Pins listed in a message before the rest are counted. */
const MAX_LISTED = 3;

/**
 * SPKI pins that match no certificate they are meant to pin: a client that
 * pins them refuses every connection once the key they named is gone. Pins
 * come from `certificates.pins` in the config (matched against every
 * certificate in the repository) and from the `shipshape.dev/spki-pins`
 * annotation (matched against the certificates in the annotated object, else
 * in the Secrets and ConfigMaps it reads, else in the repository).
 */
export const spkiPinMismatch: WorkspaceCheck = {
  name: "spki-pin-mismatch",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, { settings }) {
    const { certificates } = findCertificates(workspace);
    const hits: WorkspaceHit[] = [];
    for (const pin of settings.certificates.pins ?? []) {
      if (certificates.some((certificate) => certificate.facts.spkiPin === pin)) continue;
      const written = whereWritten(workspace, pin);
      // A pin from a config outside the repository (--config elsewhere) has no line to point at.
      if (!written) continue;
      hits.push({ ...written, message: `pin ${pin} (certificates.pins) ${matchesNone(certificates, "in the repository")}`, detail: `config pin ${pin}` });
    }
    for (const resource of workspace.resources) hits.push(...annotatedPinHits(workspace, resource, certificates));
    return hits;
  },
};

function annotatedPinHits(workspace: ParsedWorkspace, resource: Resource, certificates: readonly FoundCertificate[]): WorkspaceHit[] {
  const value = getIn(resource.node, ["metadata", "annotations", SPKI_PINS_ANNOTATION]);
  if (!isScalar(value) || value.value === null) return [];
  const file = workspace.files.find((candidate) => candidate.path === resource.file);
  const source = file?.text.slice(value.offset, value.end) ?? "";
  const { candidates, scope } = pinnedBy(workspace, resource, certificates);
  return value.text
    .split(/[\s,]+/)
    .filter(Boolean)
    .flatMap((pin) => {
      const at = source.indexOf(pin);
      const offset = at === -1 ? value.offset : value.offset + at;
      const hit = { file: resource.file, offset, resource, detail: `annotated pin ${pin}` };
      if (!PIN.test(pin)) return [{ ...hit, message: `${SPKI_PINS_ANNOTATION}: "${pin}" is not an SPKI pin (sha256/ and 44 base64 characters)` }];
      if (candidates.some((certificate) => certificate.facts.spkiPin === pin)) return [];
      return [{ ...hit, message: `pin ${pin} (${SPKI_PINS_ANNOTATION}) ${matchesNone(candidates, scope)}` }];
    });
}

/** The certificates an annotated object pins: its own, else those of what it reads, else every one in the repository. */
function pinnedBy(workspace: ParsedWorkspace, resource: Resource, certificates: readonly FoundCertificate[]): { candidates: FoundCertificate[]; scope: string } {
  const own = certificates.filter((certificate) => certificate.place.resource === resource);
  if (own.length > 0) return { candidates: own, scope: `in ${describeObject(resource)}` };
  const read = certificateUses(workspace).readBy(resource);
  const held = certificates.filter(({ place }) =>
    read.some((target) => place.resource?.kind === target.kind && place.resource.name === target.name && (target.namespace === undefined || place.resource.namespace === undefined || place.resource.namespace === target.namespace)),
  );
  if (held.length > 0) {
    const objects = [...new Set(held.map(({ place }) => describeObject(place.resource as Resource)))].sort();
    return { candidates: held, scope: `in what it reads (${objects.join(", ")})` };
  }
  return { candidates: [...certificates], scope: "in the repository" };
}

/** `matches none of the 2 certificates in Secret shop/redis-tls, whose pins are sha256/…, sha256/…`. */
function matchesNone(candidates: readonly FoundCertificate[], scope: string): string {
  if (candidates.length === 0) return `matches no certificate: there is none ${scope}`;
  const pins = [...new Set(candidates.flatMap((certificate) => (certificate.facts.spkiPin ? [certificate.facts.spkiPin] : [])))].sort();
  const listed = pins.length > MAX_LISTED ? `${pins.slice(0, MAX_LISTED).join(", ")} and ${pins.length - MAX_LISTED} more` : pins.join(", ");
  const whose = pins.length === 0 ? "whose key Node cannot read" : `whose ${plural(pins.length, "pin")} ${pins.length === 1 ? "is" : "are"} ${listed}`;
  if (candidates.length === 1) return `does not match the certificate ${scope}, ${whose}`;
  return `matches none of the ${candidates.length} certificates ${scope}, ${whose}`;
}

/** Where a configured pin is written: the config file in the repository, else any file that names it. */
function whereWritten(workspace: ParsedWorkspace, pin: string): { file: string; offset: number } | undefined {
  const files = [...workspace.files].sort((a, b) => rank(a.path) - rank(b.path));
  for (const file of files) {
    const offset = file.text.indexOf(pin);
    if (offset !== -1) return { file: file.path, offset };
  }
  return undefined;
}

function rank(path: string): number {
  const index = (CONFIG_FILE_NAMES as readonly string[]).indexOf(path);
  return index === -1 ? CONFIG_FILE_NAMES.length : index;
}
