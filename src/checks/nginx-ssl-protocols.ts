import { listInSentence } from "../model/ingress.js";
import { embeddedWeakProtocols } from "../nginx/config-map-data.js";
import { weakProtocolsIn, weakSslProtocols } from "../nginx/ssl-protocols.js";
import { CONFIG_NAMES_PARAMS, configValue, isIngressNginxConfig, pairText } from "./ingress-nginx-config.js";
import type { WorkspaceCheck, WorkspaceHit } from "./types.js";

const ATTACKS = "clients can be made to use a protocol version with known attacks";

/**
 * TLS below 1.2 (SSLv2, SSLv3, TLSv1, TLSv1.1) allowed where nginx reads its protocols:
 *
 * - the ingress-nginx controller ConfigMap's `ssl-protocols` key (ConfigMaps named after `params.names`);
 * - every `ssl_protocols` directive of an nginx configuration file (role "nginx-config"), in any block;
 * - every `ssl_protocols` directive of nginx configuration held in any ConfigMap's `data` value (`nginx.conf: |`).
 *
 * A workspace check, since it judges files that are not Kubernetes objects; hits on a ConfigMap name it, so its
 * ignore annotation and exclusions apply.
 */
export const nginxSslProtocols: WorkspaceCheck = {
  name: "nginx-ssl-protocols",
  scope: "workspace",
  paramsSchema: CONFIG_NAMES_PARAMS,
  run(workspace, params) {
    const hits: WorkspaceHit[] = [];
    for (const file of workspace.files) {
      if (file.role !== "nginx-config") continue;
      for (const { directive, weak } of weakSslProtocols(file.text)) {
        hits.push({ file: file.path, offset: directive.offset, message: `ssl_protocols allows ${listInSentence(weak)}: ${ATTACKS}`, detail: directive.key });
      }
    }
    const texts = new Map(workspace.files.map((file) => [file.path, file.text]));
    for (const resource of workspace.resources) {
      if (resource.kind !== "ConfigMap") continue;
      if (isIngressNginxConfig(resource, params.names as string[] | undefined)) {
        const protocols = configValue(resource, "ssl-protocols");
        const weak = protocols ? weakProtocolsIn(pairText(protocols).split(/\s+/)) : [];
        if (protocols && weak.length > 0) {
          const message = `ingress-nginx ConfigMap "${resource.name}" allows ${listInSentence(weak)} in ssl-protocols: ${ATTACKS}`;
          hits.push({ file: resource.file, offset: protocols.value.offset, message, detail: "ssl-protocols", resource });
        }
      }
      for (const found of embeddedWeakProtocols(texts.get(resource.file) ?? "", resource)) {
        const message = `ssl_protocols in "${found.key}" of ConfigMap "${resource.name}" allows ${listInSentence(found.weak)}: ${ATTACKS}`;
        hits.push({ file: resource.file, offset: found.offset, message, detail: `data/${found.key}/${found.directive.key}`, resource });
      }
    }
    return hits;
  },
};
