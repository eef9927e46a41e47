import { get, getMap, isMap, isScalar, seqItems, type YamlMap, type YamlNode } from "../yaml/nodes.js";

/** Labels as plain strings: the scalar entries of a `labels` or `matchLabels` mapping (null values read as ""). */
export function labelsOf(node: YamlNode | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  if (!isMap(node)) return labels;
  for (const [key, pair] of node.pairs) {
    if (isScalar(pair.value)) labels.set(key, pair.value.value === null ? "" : pair.value.text);
  }
  return labels;
}

/**
 * Whether a Kubernetes label selector (`matchLabels` and `matchExpressions`
 * with In, NotIn, Exists, DoesNotExist) selects objects with these labels.
 * An empty selector (`{}`) selects everything; a missing one (undefined)
 * selects nothing, as in policy/v1 PodDisruptionBudgets. A selector written
 * in a way the API server would reject (an unknown operator, a value that is
 * not a list) selects nothing.
 */
export function selectorMatches(selector: YamlNode | undefined, labels: ReadonlyMap<string, string>): boolean {
  if (!isMap(selector)) return false;
  const matchLabels = get(selector, "matchLabels");
  if (matchLabels !== undefined && !(isScalar(matchLabels) && matchLabels.value === null)) {
    if (!isMap(matchLabels)) return false;
    for (const [key, wanted] of labelsOf(matchLabels)) {
      if (labels.get(key) !== wanted) return false;
    }
  }
  for (const expression of seqItems(get(selector, "matchExpressions"))) {
    if (!expressionMatches(expression, labels)) return false;
  }
  return true;
}

function expressionMatches(expression: YamlNode, labels: ReadonlyMap<string, string>): boolean {
  if (!isMap(expression)) return false;
  const key = textOf(expression, "key");
  const operator = textOf(expression, "operator");
  if (key === undefined) return false;
  const values = seqItems(get(expression, "values")).flatMap((item) => (isScalar(item) && item.value !== null ? [item.text] : []));
  const value = labels.get(key);
  switch (operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    default:
      return false;
  }
}

function textOf(map: YamlMap, key: string): string | undefined {
  const value = get(map, key);
  return isScalar(value) && value.value !== null ? value.text : undefined;
}

/** A selector's `matchLabels` as plain strings (empty when it has none). */
export function matchLabelsOf(selector: YamlNode | undefined): Map<string, string> {
  return labelsOf(isMap(selector) ? getMap(selector, "matchLabels") : undefined);
}
