import { containerFieldRequired } from "./container-field-required.js";
import { imageDigestMissing } from "./image-digest-missing.js";
import { imageDigestOutdated } from "./image-digest-outdated.js";
import { imageReferenceInvalid } from "./image-reference-invalid.js";
import { imageTagMutable } from "./image-tag-mutable.js";
import { parseError } from "./parse-error.js";
import { privilegeEscalation } from "./privilege-escalation.js";
import { runAsNonRoot } from "./run-as-non-root.js";
import type { Check } from "./types.js";

/** Every built-in check, by the name rules use in `check.name`. */
export const CHECKS: ReadonlyMap<string, Check> = new Map(
  [containerFieldRequired, imageTagMutable, imageDigestMissing, imageDigestOutdated, imageReferenceInvalid, runAsNonRoot, privilegeEscalation, parseError].map((check) => [check.name, check]),
);
