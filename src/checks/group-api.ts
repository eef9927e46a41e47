import { actionsNotPinned } from "./actions-not-pinned.js";
import { containerRunsAsRoot } from "./container-runs-as-root.js";
import { deprecatedApiVersion } from "./deprecated-api-version.js";
import { helmValuesSchemaMissing } from "./helm-values-schema-missing.js";
import type { Check } from "./types.js";

/** The checks of the api rules of the production-readiness checklist (issue 10). */
export const API_CHECKS: readonly Check[] = [deprecatedApiVersion, actionsNotPinned, helmValuesSchemaMissing, containerRunsAsRoot];
