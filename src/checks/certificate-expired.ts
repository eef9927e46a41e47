import { describeCertificate, describeExpiry } from "../certs/describe.js";
import { findCertificates } from "../certs/find-certificates.js";
import { whereUsed } from "../certs/where-used.js";
import { certificateHit } from "./certificate-hit.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/** Certificates past their notAfter at the scan's time (`--now`): every client that checks dates rejects them. */
export const certificateExpired: WorkspaceCheck = {
  name: "certificate-expired",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace, _params, { now }) {
    return findCertificates(workspace)
      .certificates.filter((certificate) => certificate.facts.notAfter.getTime() < now.getTime())
      .map((certificate) =>
        certificateHit(
          certificate.place,
          `${describeCertificate(certificate)} ${describeExpiry(certificate.facts.notAfter, now)}${whereUsed(workspace, certificate)}`,
          certificate.facts.fingerprint256,
        ),
      );
  },
};
