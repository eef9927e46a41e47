import type { Check } from "./types.js";

/** The checks of the data rules of the production-readiness checklist (issue 10). */
export const DATA_CHECKS: readonly Check[] = [];
