import { droppedCapabilities } from "../checks/capabilities-dropped.js";
import { get, getMap, getPair, isScalar, seqItems } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ContainerFix } from "./types.js";

interface CapabilitiesTemplate {
  explanation: string;
  keeping: string;
  risk: string;
  reasons: { privileged: string; existingDrop: string; notAList: string };
}

/**
 * Drops every capability: `securityContext.capabilities.drop: [ALL]`, next to
 * whatever `add:` list is there (which still adds its capabilities back).
 * A `drop` list that exists without ALL is left to people.
 */
export const capabilitiesDropAllFix: ContainerFix = {
  name: "capabilities-drop-all",
  scope: "container",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan(container) {
    const template = fixTemplate<CapabilitiesTemplate>("capabilities-drop-all");
    const words = { container: container.name };
    const context = getMap(container.node, "securityContext");
    const privileged = getPair(context, "privileged");
    if (privileged && isScalar(privileged.value) && privileged.value.value === true) return { ok: false, reason: fillText(template.reasons.privileged, words) };
    const capabilities = getMap(context, "capabilities");
    const dropped = droppedCapabilities(getPair(capabilities, "drop"));
    if (dropped === undefined) return { ok: false, reason: fillText(template.reasons.notAList, words) };
    if (dropped.length > 0 || seqItems(get(capabilities, "drop")).length > 0) {
      return { ok: false, reason: fillText(template.reasons.existingDrop, { ...words, dropped: dropped.join(", ") }) };
    }
    const added = seqItems(get(capabilities, "add")).flatMap((item) => (isScalar(item) && item.value !== null ? [item.text] : []));
    const keeping = added.length > 0 ? fillText(template.keeping, { added: added.join(", ") }) : "";
    return {
      ok: true,
      plan: {
        changes: [{ path: [...container.path, "securityContext", "capabilities", "drop"], value: ["ALL"] }],
        explanation: fillText(template.explanation, { ...words, keeping }),
        risk: template.risk,
        risky: true,
      },
    };
  },
};
