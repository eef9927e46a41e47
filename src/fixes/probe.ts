import { get, getMap, getText, isMap, seqItems, type YamlNode } from "../yaml/nodes.js";
import { toPlain } from "../yaml/plain.js";
import type { PlainValue } from "../edit/render.js";
import type { ContainerRef } from "../model/pods.js";
import { fillSnippet, fillText, fixTemplate } from "./templates.js";
import type { ContainerFix } from "./types.js";

type ProbeKey = "livenessProbe" | "readinessProbe";

interface ProbeTemplate {
  explanation: { httpGet: string; tcpSocket: string; copy: string };
  risk: Record<ProbeKey, string>;
  snippets: { httpGet: PlainValue; tcpSocket: PlainValue };
}

const HANDLERS = ["httpGet", "tcpSocket", "grpc", "exec"] as const;

/**
 * Adds a probe derived from the container itself: an HTTP path from config,
 * the other probe's check, or a TCP check on the serving port. With none of
 * these it does not guess.
 */
export const probeFix: ContainerFix = {
  name: "probe",
  scope: "container",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["probe"],
    properties: { probe: { enum: ["livenessProbe", "readinessProbe"] } },
  },
  plan(container, params, settings) {
    const probe = params.probe as ProbeKey;
    const other: ProbeKey = probe === "livenessProbe" ? "readinessProbe" : "livenessProbe";
    const template = fixTemplate<ProbeTemplate>("probe");
    const port = servingPort(container);
    const words = { probe, other, container: container.name, path: settings.probes.httpPath ?? "", port: port ?? "" };
    const path = [...container.path, probe];
    // Only an endpoint the repository's own config names is not a guess.
    const done = (value: PlainValue, explanation: string, risky = true) => ({
      ok: true as const,
      plan: { changes: [{ path, value }], explanation: fillText(explanation, words), risk: template.risk[probe], risky },
    });
    if (settings.probes.httpPath !== undefined && port !== undefined) {
      return done(fillSnippet(template.snippets.httpGet, { ...words, port }), template.explanation.httpGet, false);
    }
    const handler = handlerOf(get(container.node, other));
    if (handler) return done({ [handler.name]: toPlain(handler.node) }, template.explanation.copy);
    if (port !== undefined) return done(fillSnippet(template.snippets.tcpSocket, { ...words, port }), template.explanation.tcpSocket);
    return {
      ok: false,
      reason: `container "${container.name}" declares no containerPort and has no ${other} to copy; Shipshape does not guess a health endpoint (add the probe by hand, or declare the port)`,
    };
  },
};

/** The port to probe: the one named `http`, else the first TCP port, by name when it has one. */
function servingPort(container: ContainerRef): string | number | undefined {
  const ports = seqItems(get(container.node, "ports")).filter(
    (port) => isMap(port) && (getText(port, "protocol") ?? "TCP") === "TCP" && get(port, "containerPort") !== undefined,
  );
  const named = ports.find((port) => getText(port, "name") === "http") ?? ports[0];
  if (!named) return undefined;
  const name = getText(named, "name");
  if (name !== undefined) return name;
  const number = toPlain(get(named, "containerPort"));
  return typeof number === "number" || typeof number === "string" ? number : undefined;
}

function handlerOf(probe: YamlNode | undefined): { name: string; node: YamlNode } | undefined {
  if (!isMap(probe)) return undefined;
  for (const name of HANDLERS) {
    const node = getMap(probe, name) ?? get(probe, name);
    if (node !== undefined) return { name, node };
  }
  return undefined;
}
