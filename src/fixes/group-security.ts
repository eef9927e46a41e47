import { capabilitiesDropAllFix } from "./capabilities-drop-all.js";
import { seccompProfileFix } from "./seccomp-profile.js";
import { serviceAccountTokenFix } from "./service-account-token.js";
import type { Fix } from "./types.js";

/** The fixes of the security rules of the production-readiness checklist (issue 10). */
export const SECURITY_FIXES: readonly Fix[] = [capabilitiesDropAllFix, seccompProfileFix, serviceAccountTokenFix];
