import type { Check } from "./types.js";

/** The checks of the security rules of the production-readiness checklist (issue 10). */
export const SECURITY_CHECKS: readonly Check[] = [];
