import type { Check } from "./types.js";
import { corsWildcard } from "./cors-wildcard.js";
import { databaseTlsDisabled } from "./database-tls-disabled.js";
import { envSecretLiteral } from "./env-secret-literal.js";
import { ingressSslRedirect } from "./ingress-ssl-redirect.js";
import { networkPolicyMissing } from "./network-policy-missing.js";
import { nginxHsts } from "./nginx-hsts.js";
import { nginxSslProtocols } from "./nginx-ssl-protocols.js";
import { secretPlaintext } from "./secret-plaintext.js";

/** The checks of the data rules of the production-readiness checklist (issue 10). */
export const DATA_CHECKS: readonly Check[] = [networkPolicyMissing, ingressSslRedirect, nginxHsts, nginxSslProtocols, secretPlaintext, envSecretLiteral, corsWildcard, databaseTlsDisabled];
