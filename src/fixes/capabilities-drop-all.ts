import { droppedCapabilities } from "../checks/capabilities-dropped.js";
import { get, getMap, getPair, isScalar, seqItems } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import type { ContainerFix } from "./types.js";

interface CapabilitiesTemplate {
  explanation: string;
  keeping: string;
  risk: string;
  /** For a `drop` list that names some capabilities but not ALL. */
  appended: string;
  reasons: { privileged: string; notAList: string };
}

/**
 * Drops every capability: `securityContext.capabilities.drop: [ALL]`, next to
 * whatever `add:` list is there (which still adds its capabilities back).
 * A `drop` list that names some capabilities but not ALL gets ALL appended.
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
    const items = seqItems(get(capabilities, "drop"));
    if (dropped === undefined || dropped.length !== items.length) return { ok: false, reason: fillText(template.reasons.notAList, words) };
    const added = seqItems(get(capabilities, "add")).flatMap((item) => (isScalar(item) && item.value !== null ? [item.text] : []));
    const keeping = added.length > 0 ? fillText(template.keeping, { added: added.join(", ") }) : "";
    const path = [...container.path, "securityContext", "capabilities", "drop"];
    // A list that drops some capabilities gets ALL as its last item; what it already names stays (harmless, and the diff stays one line).
    const change = dropped.length > 0 ? { path, value: "ALL", append: true as const } : { path, value: ["ALL"] };
    const explanation = dropped.length > 0 ? fillText(template.appended, { ...words, dropped: dropped.join(", "), keeping }) : fillText(template.explanation, { ...words, keeping });
    return { ok: true, plan: { changes: [change], explanation, risk: template.risk, risky: true } };
  },
};
