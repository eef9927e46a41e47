import { asWritten } from "./describe.js";
import { CONFIG_NAMES_PARAMS, configValue, isIngressNginxConfig, pairText } from "./ingress-nginx-config.js";
import type { ResourceCheck } from "./types.js";

/** The ingress-nginx controller ConfigMap turning HSTS off (`hsts: "false"`; on by default). */
export const nginxHsts: ResourceCheck = {
  name: "nginx-hsts",
  scope: "resource",
  paramsSchema: CONFIG_NAMES_PARAMS,
  run(resource, params) {
    if (!isIngressNginxConfig(resource, params.names as string[] | undefined)) return [];
    const hsts = configValue(resource, "hsts");
    if (!hsts || pairText(hsts).toLowerCase() !== "false") return [];
    return [
      {
        offset: hsts.value.offset,
        message: `ingress-nginx ConfigMap "${resource.name}" sets hsts: ${asWritten(hsts)}: HTTPS responses carry no Strict-Transport-Security header`,
        detail: "hsts",
      },
    ];
  },
};
