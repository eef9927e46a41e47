import type { Check } from "./types.js";

/** The checks of the api rules of the production-readiness checklist (issue 10). */
export const API_CHECKS: readonly Check[] = [];
