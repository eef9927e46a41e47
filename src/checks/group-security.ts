import { capabilitiesDropped } from "./capabilities-dropped.js";
import { hostNamespaces } from "./host-namespaces.js";
import { hostPathVolumes } from "./host-path-volumes.js";
import { privilegedContainer } from "./privileged-container.js";
import { readOnlyRootFilesystem } from "./read-only-root-filesystem.js";
import { seccompProfile } from "./seccomp-profile.js";
import { serviceAccountToken } from "./service-account-token.js";
import type { Check } from "./types.js";

/** The checks of the security rules of the production-readiness checklist (issue 10). */
export const SECURITY_CHECKS: readonly Check[] = [readOnlyRootFilesystem, capabilitiesDropped, seccompProfile, privilegedContainer, hostNamespaces, hostPathVolumes, serviceAccountToken];
