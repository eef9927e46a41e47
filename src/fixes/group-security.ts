import type { Fix } from "./types.js";

/** The fixes of the security rules of the production-readiness checklist (issue 10). */
export const SECURITY_FIXES: readonly Fix[] = [];
