import { isIngress } from "../model/ingress.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ResourceFix } from "./types.js";

interface SettingTexts {
  explanation: string;
  risk: string;
  risky: boolean;
}

interface IngressNginxSettingTemplate {
  settings: Record<string, SettingTexts>;
  words: { annotation: string; data: string };
  reasons: { unknownSetting: string; notNginx: string };
}

/**
 * Sets one ingress-nginx setting (`params.key` to `params.value`): on an
 * Ingress as the annotation `nginx.ingress.kubernetes.io/<key>`, on the
 * controller's ConfigMap as the `data` key. The value is always written as
 * a string, quoted where YAML would read it otherwise ("true").
 */
export const ingressNginxSettingFix: ResourceFix = {
  name: "ingress-nginx-setting",
  scope: "resource",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["key", "value"],
    properties: { key: { type: "string", minLength: 1 }, value: { type: "string", minLength: 1 } },
  },
  plan(resource, params) {
    const template = fixTemplate<IngressNginxSettingTemplate>("ingress-nginx-setting");
    const key = params.key as string;
    const value = params.value as string;
    const texts = template.settings[key];
    if (!texts) return { ok: false, reason: fillText(template.reasons.unknownSetting, { key }) };
    let path: (string | number)[];
    let where: string;
    if (isIngress(resource)) {
      const annotation = `nginx.ingress.kubernetes.io/${key}`;
      path = [...resource.path, "metadata", "annotations", annotation];
      where = fillText(template.words.annotation, { key: annotation });
    } else if (resource.kind === "ConfigMap" && resource.apiVersion === "v1") {
      path = [...resource.path, "data", key];
      where = fillText(template.words.data, { key, name: resource.name });
    } else {
      return { ok: false, reason: template.reasons.notNginx };
    }
    const words = { where, value, name: resource.name };
    return { ok: true, plan: { changes: [{ path, value }], explanation: fillText(texts.explanation, words), risk: fillText(texts.risk, words), risky: texts.risky } };
  },
};
