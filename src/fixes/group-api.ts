import { actionPinFix } from "./action-pin.js";
import { apiVersionRenameFix } from "./api-version-rename.js";
import type { Fix } from "./types.js";
import { valuesSchemaFix } from "./values-schema.js";

/** The fixes of the api rules of the production-readiness checklist (issue 10). */
export const API_FIXES: readonly Fix[] = [apiVersionRenameFix, valuesSchemaFix, actionPinFix];
