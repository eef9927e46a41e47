import { hpaPdbConflict } from "./hpa-pdb-conflict.js";
import { pdbMissing } from "./pdb-missing.js";
import { replicasTooLow } from "./replicas-too-low.js";
import { rollingUpdateUnsafe } from "./rolling-update-unsafe.js";
import { startupProbeAdvised } from "./startup-probe-advised.js";
import { topologySpreadMissing } from "./topology-spread-missing.js";
import type { Check } from "./types.js";

/** The checks of the reliability rules of the production-readiness checklist (issue 10). */
export const RELIABILITY_CHECKS: readonly Check[] = [replicasTooLow, pdbMissing, rollingUpdateUnsafe, topologySpreadMissing, startupProbeAdvised, hpaPdbConflict];
