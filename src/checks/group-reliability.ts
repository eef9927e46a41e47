import type { Check } from "./types.js";

/** The checks of the reliability rules of the production-readiness checklist (issue 10). */
export const RELIABILITY_CHECKS: readonly Check[] = [];
