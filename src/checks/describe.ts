import { isScalar, type YamlPair } from "../yaml/nodes.js";

/** A quoted "true" is a string the API server rejects: show the quotes so the message does not read as compliant. */
export function asWritten(pair: YamlPair): string {
  return isScalar(pair.value) && pair.value.quoted ? JSON.stringify(pair.value.text) : isScalar(pair.value) ? pair.value.text : `(a ${pair.value.kind === "map" ? "mapping" : "list"})`;
}
