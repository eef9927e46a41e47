import { argocdTargetRevisionMutable } from "./argocd-target-revision-mutable.js";
import { certificateExpired } from "./certificate-expired.js";
import { certificateExpiring } from "./certificate-expiring.js";
import { certificateInvalid } from "./certificate-invalid.js";
import { certificateLifetimeTooLong } from "./certificate-lifetime-too-long.js";
import { certificateRenewalWindow } from "./certificate-renewal-window.js";
import { containerFieldRequired } from "./container-field-required.js";
import { imageDigestMissing } from "./image-digest-missing.js";
import { imageDigestOutdated } from "./image-digest-outdated.js";
import { imageReferenceInvalid } from "./image-reference-invalid.js";
import { imageTagMutable } from "./image-tag-mutable.js";
import { ingressTls } from "./ingress-tls.js";
import { lockfileHashesMissing } from "./lockfile-hashes-missing.js";
import { lockfileMaintenance } from "./lockfile-maintenance.js";
import { lockfileStale } from "./lockfile-stale.js";
import { parseError } from "./parse-error.js";
import { privateKeyCommitted } from "./private-key-committed.js";
import { privilegeEscalation } from "./privilege-escalation.js";
import { runAsNonRoot } from "./run-as-non-root.js";
import { spkiPinMismatch } from "./spki-pin-mismatch.js";
import type { Check } from "./types.js";
import { API_CHECKS } from "./group-api.js";
import { DATA_CHECKS } from "./group-data.js";
import { RELIABILITY_CHECKS } from "./group-reliability.js";
import { SECURITY_CHECKS } from "./group-security.js";

/** Every built-in check, by the name rules use in `check.name`. */
export const CHECKS: ReadonlyMap<string, Check> = new Map(
  [containerFieldRequired, imageTagMutable, imageDigestMissing, imageDigestOutdated, imageReferenceInvalid, runAsNonRoot, privilegeEscalation, parseError, ingressTls, certificateRenewalWindow, certificateExpired, certificateExpiring, certificateInvalid, certificateLifetimeTooLong, privateKeyCommitted, spkiPinMismatch, lockfileHashesMissing, lockfileStale, lockfileMaintenance, argocdTargetRevisionMutable, ...SECURITY_CHECKS, ...RELIABILITY_CHECKS, ...DATA_CHECKS, ...API_CHECKS].map((check) => [check.name, check]),
);
