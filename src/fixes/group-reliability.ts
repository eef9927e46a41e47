import { topologySpreadFix } from "./topology-spread.js";
import type { Fix } from "./types.js";

/** The fixes of the reliability rules of the production-readiness checklist (issue 10). */
export const RELIABILITY_FIXES: readonly Fix[] = [topologySpreadFix];
