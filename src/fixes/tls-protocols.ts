import { configValue } from "../checks/ingress-nginx-config.js";
import { setIn } from "../edit/editor.js";
import { resourcesOf, type Resource } from "../model/resource.js";
import { embeddedWeakProtocols, type EmbeddedWeakProtocols } from "../nginx/config-map-data.js";
import { hasCommentAmongArguments, weakSslProtocols } from "../nginx/ssl-protocols.js";
import { composeYaml } from "../yaml/compose.js";
import { getMap, type YamlScalar } from "../yaml/nodes.js";
import { fillText, fixTemplate } from "./templates.js";
import { lastResult } from "./last-result.js";
import type { TextFix, TextPlanResult, TextSubject } from "./types.js";

interface TlsProtocolsTemplate {
  explanations: { setting: string; file: string; configMap: string };
  risk: string;
  risky: boolean;
  styles: Record<string, string>;
  reasons: { notFound: string; comment: string; style: string; unmatched: string; lines: string; shared: string };
}

const weakDirectivesOf = lastResult(weakSslProtocols);
/** The file's v1 ConfigMaps, each with the weak directives of its data values. */
const configMapsOf = lastResult((path: string, text: string) =>
  resourcesOf(path, composeYaml(text).documents)
    .filter((resource) => resource.kind === "ConfigMap" && resource.apiVersion === "v1")
    .map((resource) => ({ resource, embedded: embeddedWeakProtocols(text, resource) })),
);

const PROTOCOL = "(?:SSLv2|SSLv3|TLSv1|TLSv1\\.1|TLSv1\\.2|TLSv1\\.3)";

/**
 * Rewrites the protocols a tls-protocol-weak finding points at to `params.value` ("TLSv1.2 TLSv1.3"), as text:
 *
 * - an `ssl_protocols` directive of an nginx .conf file: its arguments, first to last; the `;`, comments and
 *   the rest of the file stay as written;
 * - the ingress-nginx ConfigMap's `ssl-protocols` key: its value, in its own quoting (src/edit/editor.ts);
 * - an `ssl_protocols` directive of nginx configuration in a ConfigMap's `data` value: inside the YAML
 *   literal block (`|`, `|-`, `|+`), when its arguments are on one line. Other scalar styles do not hold
 *   the text line for line, so they are not edited, and the finding says why.
 */
export const tlsProtocolsFix: TextFix = {
  name: "tls-protocols",
  scope: "text",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["value"],
    properties: { value: { type: "string", pattern: `^${PROTOCOL}(?: ${PROTOCOL})*$` } },
  },
  plan(subject, params) {
    const template = fixTemplate<TlsProtocolsTemplate>("tls-protocols");
    const value = params.value as string;
    return subject.role === "nginx-config" ? planFile(subject, value, template) : planConfigMap(subject, value, template);
  },
};

function planFile({ path, text, offset }: TextSubject, value: string, template: TlsProtocolsTemplate): TextPlanResult {
  const found = weakDirectivesOf(text).find(({ directive }) => directive.offset === offset);
  const first = found?.directive.args[0];
  const last = found?.directive.args[found.directive.args.length - 1];
  if (!found || !first || !last) return { ok: false, reason: template.reasons.notFound };
  if (hasCommentAmongArguments(found.directive)) return { ok: false, reason: template.reasons.comment };
  const explanation = fillText(template.explanations.file, { value, file: path });
  return { ok: true, plan: { text: splice(text, first.offset, last.end, value), explanation, risk: template.risk, risky: template.risky } };
}

function planConfigMap({ path, text, offset }: TextSubject, value: string, template: TlsProtocolsTemplate): TextPlanResult {
  for (const { resource, embedded } of configMapsOf(path, text)) {
    const setting = configValue(resource, "ssl-protocols");
    if (setting && setting.value.offset === offset) return planSetting(text, resource, value, template);
    const found = embedded.find((candidate) => candidate.offset === offset);
    if (found) return planEmbedded(text, resource, found, value, template);
  }
  return { ok: false, reason: template.reasons.notFound };
}

/** The ingress-nginx controller's `ssl-protocols` key, set as the ingress-nginx-setting fix sets it. */
function planSetting(text: string, resource: Resource, value: string, template: TlsProtocolsTemplate): TextPlanResult {
  const path = [...resource.path, "data", "ssl-protocols"];
  const edited = setIn(text, resource.document, path, value);
  if (!edited.ok) return { ok: false, reason: edited.reason };
  const explanation = fillText(template.explanations.setting, { value, name: resource.name });
  return { ok: true, plan: { text: edited.text, yaml: { document: resource.document, changes: [{ path, value }] }, explanation, risk: template.risk, risky: template.risky } };
}

/** A directive in a literal block: the same splice in the file and in the value the block holds. */
function planEmbedded(text: string, resource: Resource, found: EmbeddedWeakProtocols, value: string, template: TlsProtocolsTemplate): TextPlanResult {
  const key = found.key;
  const scalar = getMap(resource.node, "data")?.pairs.get(key)?.value as YamlScalar;
  if (found.style !== "literal") return { ok: false, reason: fillText(template.reasons.style, { key, style: template.styles[found.style] ?? found.style }) };
  if (scalar.sharedAs !== undefined) return { ok: false, reason: fillText(template.reasons.shared, { key, anchor: scalar.sharedAs }) };
  if (!found.located) return { ok: false, reason: fillText(template.reasons.unmatched, { key }) };
  const { file, value: inValue } = found.located;
  if (scalar.text.slice(inValue.start, inValue.end).includes("\n")) return { ok: false, reason: fillText(template.reasons.lines, { key }) };
  if (hasCommentAmongArguments(found.directive)) return { ok: false, reason: template.reasons.comment };
  const path = [...resource.path, "data", key];
  const changes = [{ path, value: splice(scalar.text, inValue.start, inValue.end, value) }];
  const explanation = fillText(template.explanations.configMap, { value, key, name: resource.name });
  return { ok: true, plan: { text: splice(text, file.start, file.end, value), yaml: { document: resource.document, changes }, explanation, risk: template.risk, risky: template.risky } };
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
