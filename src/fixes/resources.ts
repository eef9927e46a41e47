import { getIn, isScalar } from "../yaml/nodes.js";
import { lookupPath } from "../checks/locate.js";
import { fillText, fixTemplate } from "./templates.js";
import { multiplyQuantity } from "./quantity.js";
import type { ContainerFix, DataChange } from "./types.js";

interface ResourcesTemplate {
  explanation: { requests: string; memoryLimit: string };
  risk: string;
}

/** Fills missing requests and memory limit from config defaults; values already present stay. */
export const resourcesFix: ContainerFix = {
  name: "resources",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["fields"],
    properties: {
      fields: { type: "array", minItems: 1, uniqueItems: true, items: { enum: ["requests.cpu", "requests.memory", "limits.memory"] } },
    },
  },
  plan(container, params, settings) {
    const template = fixTemplate<ResourcesTemplate>("resources");
    const missing = (params.fields as string[]).filter((field) => lookupPath(container.node, ["resources", ...field.split(".")]).found === undefined);
    const changes: DataChange[] = [];
    const written: string[] = [];
    let explanation = template.explanation.requests;
    const words: Record<string, string | number> = { container: container.name, factor: settings.resources.memoryLimitFactor };
    for (const field of missing) {
      let value: string | number;
      if (field === "limits.memory") {
        const request = memoryRequest(container.node) ?? settings.resources.requests.memory;
        const limit = multiplyQuantity(request, settings.resources.memoryLimitFactor);
        if (limit === undefined) return { ok: false, reason: `the memory request "${request}" of container "${container.name}" is not a quantity Shipshape can multiply` };
        value = limit;
        words.limit = limit;
        explanation = template.explanation.memoryLimit;
      } else {
        value = field === "requests.cpu" ? settings.resources.requests.cpu : settings.resources.requests.memory;
      }
      changes.push({ path: [...container.path, "resources", ...field.split(".")], value });
      written.push(`resources.${field}: ${value}`);
    }
    if (changes.length === 0) return { ok: false, reason: "nothing is missing" };
    words.values = written.join(", ");
    return { ok: true, plan: { changes, explanation: fillText(explanation, words), risk: fillText(template.risk, words) } };
  },
};

function memoryRequest(container: Parameters<typeof getIn>[0]): string | number | undefined {
  const node = getIn(container, ["resources", "requests", "memory"]);
  if (!isScalar(node) || node.value === null) return undefined;
  return typeof node.value === "number" ? node.value : node.text;
}
