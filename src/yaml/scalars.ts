import type { ScalarValue } from "./nodes.js";

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
// Kubernetes reads manifests with go-yaml v2 (sigs.k8s.io/yaml), where YAML 1.1's
// yes/no/on/off are booleans: `runAsNonRoot: yes` is true to the API server.
const TRUES = new Set(["true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
const FALSES = new Set(["false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const DECIMAL = /^[-+]?[0-9]+$/;
const OCTAL = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INFINITY = /^[-+]?\.(inf|Inf|INF)$/;
const NAN = /^\.(nan|NaN|NAN)$/;

/** Resolves a plain scalar with the YAML 1.2 core schema, except for booleans (see above). */
export function resolvePlainScalar(text: string): ScalarValue {
  if (NULLS.has(text)) return null;
  const first = text.charCodeAt(0);
  // Most plain scalars are words: skip the regular expressions for them.
  const maybeNumber = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!maybeNumber) return TRUES.has(text) ? true : FALSES.has(text) ? false : text;
  if (DECIMAL.test(text)) return Number.parseInt(text, 10);
  if (OCTAL.test(text)) return Number.parseInt(text.slice(2), 8);
  if (HEX.test(text)) return Number.parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number.parseFloat(text);
  if (INFINITY.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (NAN.test(text)) return Number.NaN;
  return text;
}
