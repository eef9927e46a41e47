import type { PlainValue } from "../edit/render.js";
import { podSpecOf } from "../model/pods.js";
import { labelsOf, matchLabelsOf } from "../model/selectors.js";
import { get, getMap } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ResourceFix } from "./types.js";

interface TopologySpreadTemplate {
  constraint: { [key: string]: PlainValue };
  explanation: string;
  risk: string;
  reasons: { notWorkload: string; noLabels: string; written: string };
}

/**
 * Adds `topologySpreadConstraints` to a workload's pod spec: spread across
 * nodes (kubernetes.io/hostname) with maxSkew 1 and ScheduleAnyway, counting
 * the pods by the workload's `selector.matchLabels` (which every pod of the
 * workload carries, whatever its version) or, without them, its pod
 * template's labels. ScheduleAnyway never leaves a pod Pending: not risky.
 */
export const topologySpreadFix: ResourceFix = {
  name: "topology-spread",
  scope: "resource",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(resource) {
    const template = fixTemplate<TopologySpreadTemplate>("topology-spread");
    const workload = `${resource.kind} "${resource.name}"`;
    const pod = podSpecOf(resource);
    if (!pod) return { ok: false, reason: template.reasons.notWorkload };
    if (get(pod.spec, "topologySpreadConstraints") !== undefined) return { ok: false, reason: fillText(template.reasons.written, { workload }) };
    const selected = matchLabelsOf(get(getMap(resource.node, "spec"), "selector"));
    const labels = selected.size > 0 ? selected : labelsOf(getMap(pod.templateMetadata, "labels"));
    if (labels.size === 0) return { ok: false, reason: fillText(template.reasons.noLabels, { workload }) };
    const matchLabels = Object.fromEntries(labels);
    const constraint = { ...template.constraint, labelSelector: { matchLabels } };
    const words = { workload, labels: [...labels].map(([key, value]) => `${key}=${value}`).join(", ") };
    return {
      ok: true,
      plan: {
        changes: [{ path: [...pod.path, "topologySpreadConstraints"], value: [constraint] }],
        explanation: fillText(template.explanation, words),
        risk: fillText(template.risk, words),
        risky: false,
      },
    };
  },
};
