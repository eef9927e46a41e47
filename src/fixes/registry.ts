import { argocdRevisionPinFix } from "./argocd-revision-pin.js";
import { certManagerTakeoverFix } from "./cert-manager-takeover.js";
import { certificateDurationFix } from "./certificate-duration.js";
import { certificateRenewBeforeFix } from "./certificate-renew-before.js";
import { ingressTlsFix } from "./ingress-tls.js";
import { probeFix } from "./probe.js";
import { resourcesFix } from "./resources.js";
import { securityContextFix } from "./security-context.js";
import type { Fix, ImageFix, LockfileFix } from "./types.js";
import { API_FIXES } from "./group-api.js";
import { pdbCreateFix } from "./pdb-create.js";
import { DATA_FIXES } from "./group-data.js";
import { RELIABILITY_FIXES } from "./group-reliability.js";
import { SECURITY_FIXES } from "./group-security.js";

/** Pins images by digest wherever they are written; the edit is planned in src/pins. */
export const imagePinFix: ImageFix = { name: "image-pin", scope: "image", paramsSchema: { type: "object", additionalProperties: false, properties: {} } };

/** Rewrites a lockfile as `helm dependency update` or `npm install --package-lock-only` would; see lockfile-refresh.ts. */
export const lockfileRefreshFix: LockfileFix = { name: "lockfile-refresh", scope: "lockfile", paramsSchema: { type: "object", additionalProperties: false, properties: {} } };

/** Every built-in fix, by the name rules use in `fix.name`. */
export const FIXES: ReadonlyMap<string, Fix> = new Map([probeFix, resourcesFix, securityContextFix, imagePinFix, certificateDurationFix, certificateRenewBeforeFix, ingressTlsFix, certManagerTakeoverFix, lockfileRefreshFix, argocdRevisionPinFix, pdbCreateFix, ...SECURITY_FIXES, ...RELIABILITY_FIXES, ...DATA_FIXES, ...API_FIXES].map((fix) => [fix.name, fix]));
