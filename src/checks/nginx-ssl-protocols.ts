import { listInSentence } from "../model/ingress.js";
import { CONFIG_NAMES_PARAMS, configValue, isIngressNginxConfig, pairText } from "./ingress-nginx-config.js";
import type { ResourceCheck } from "./types.js";

/** Protocol versions with known attacks (POODLE, BEAST) and no modern cipher suites; deprecated by RFC 8996. */
const WEAK_PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

/** The ingress-nginx controller ConfigMap's `ssl-protocols` allowing SSLv2/SSLv3, TLSv1 or TLSv1.1. */
export const nginxSslProtocols: ResourceCheck = {
  name: "nginx-ssl-protocols",
  scope: "resource",
  paramsSchema: CONFIG_NAMES_PARAMS,
  run(resource, params) {
    if (!isIngressNginxConfig(resource, params.names as string[] | undefined)) return [];
    const protocols = configValue(resource, "ssl-protocols");
    if (!protocols) return [];
    const written = pairText(protocols).split(/\s+/).filter((word) => word !== "");
    const weak = WEAK_PROTOCOLS.filter((protocol) => written.some((word) => word.toLowerCase() === protocol.toLowerCase()));
    if (weak.length === 0) return [];
    return [
      {
        offset: protocols.value.offset,
        message: `ingress-nginx ConfigMap "${resource.name}" allows ${listInSentence(weak)} in ssl-protocols: clients can be made to use a protocol version with known attacks`,
        detail: "ssl-protocols",
      },
    ];
  },
};
