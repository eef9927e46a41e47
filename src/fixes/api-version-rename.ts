import { DEFAULT_KUBERNETES_SETTINGS } from "../config/types.js";
import { parseMinorVersion, removedApiOf, replacementFor } from "../model/deprecated-apis.js";
import { getMap, isMap } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ResourceFix } from "./types.js";

interface RenameTemplate {
  explanation: string;
  risk: { none: string; changed: string };
  reasons: { notDeprecated: string; notRename: string; noReplacement: string };
}

/**
 * Renames the apiVersion of an object whose deprecated version the replacement reads the same way
 * (src/model/deprecated-apis.ts `rename`): policy/v1beta1 → policy/v1 PodDisruptionBudget, batch/v1beta1 →
 * batch/v1 CronJob, autoscaling/v2beta2 → autoscaling/v2, the RBAC, scheduling, coordination, storage and
 * node v1beta1 versions… Versions whose fields changed (Ingress, apps, CRDs, webhooks) are not fixable: the
 * reason names the fields. A PodDisruptionBudget with an empty selector opens as a draft: in policy/v1 it
 * selects every pod of its namespace.
 */
export const apiVersionRenameFix: ResourceFix = {
  name: "api-version-rename",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource, _params, settings) {
    const template = fixTemplate<RenameTemplate>("api-version-rename");
    const configured = settings.kubernetes?.version ?? DEFAULT_KUBERNETES_SETTINGS.version;
    const target = parseMinorVersion(configured) ? configured : DEFAULT_KUBERNETES_SETTINGS.version;
    const entry = removedApiOf(resource.apiVersion, resource.kind);
    const words = { kind: resource.kind, name: resource.name, from: resource.apiVersion.trim() };
    if (!entry) return { ok: false, reason: fillText(template.reasons.notDeprecated, words) };
    const to = replacementFor(entry, resource.kind, target);
    if (to === undefined) return { ok: false, reason: fillText(template.reasons.noReplacement, { ...words, changes: entry.changes ?? "" }) };
    if (!entry.rename || to !== entry.replacements[0]?.apiVersion) {
      return { ok: false, reason: fillText(template.reasons.notRename, { ...words, to, changes: entry.changes ?? "" }) };
    }
    const filled = { ...words, to, removedIn: entry.removedIn };
    const risk = entry.rename.risk === undefined ? fillText(template.risk.none, filled) : fillText(template.risk.changed, { ...filled, change: entry.rename.risk });
    // policy/v1: an empty selector selects every pod of the namespace, where policy/v1beta1 selected none.
    const selector = getMap(getMap(resource.node, "spec"), "selector");
    const risky = resource.kind === "PodDisruptionBudget" && isMap(selector) && selector.pairs.size === 0;
    return {
      ok: true,
      plan: { changes: [{ path: [...resource.path, "apiVersion"], value: to }], explanation: fillText(template.explanation, filled), risk, risky },
    };
  },
};
