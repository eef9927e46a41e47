import type { Fix } from "./types.js";
import { ingressNginxSettingFix } from "./ingress-nginx-setting.js";
import { networkPolicyFix } from "./network-policy.js";
import { tlsProtocolsFix } from "./tls-protocols.js";

/** The fixes of the data rules of the production-readiness checklist (issue 10). */
export const DATA_FIXES: readonly Fix[] = [ingressNginxSettingFix, networkPolicyFix, tlsProtocolsFix];
