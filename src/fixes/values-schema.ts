import { Ajv, type ErrorObject } from "ajv";
import type { PlainValue } from "../edit/render.js";
import { baseName, dirOf, inDir } from "../lockfiles/helm-charts.js";
import type { ParsedFile } from "../model/parsed-file.js";
import { toPlain } from "../yaml/plain.js";
import { fillText, fixTemplate } from "./templates.js";
import type { NewFileFix } from "./types.js";

interface ValuesSchemaTexts {
  explanation: string;
  widened: string;
  risk: string;
  reasons: { noValues: string; notAMap: string };
}

/** A JSON Schema node as this fix writes it: a type (or types), and what objects and arrays hold. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const SCHEMA_FILE = "values.schema.json";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
/** Widening one node can let ajv look further down; a few rounds settle any values file. */
const MAX_ROUNDS = 20;

type ValuesMap = { [key: string]: PlainValue };

/**
 * A `values.schema.json` beside the chart's Chart.yaml, inferred from its
 * values.yaml: the type of every value, objects with their properties (never
 * `required` or `additionalProperties: false`, which would break overrides),
 * arrays with the type of their items when all share one, and no type where
 * the value is null or empty. Types are widened where the chart's other values
 * files (values-prod.yaml…) set another, so that all of them pass.
 */
export const valuesSchemaFix: NewFileFix = {
  name: "values-schema",
  scope: "new-file",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  plan({ workspace, file }) {
    const texts = fixTemplate<ValuesSchemaTexts>("values-schema");
    const dir = dirOf(file);
    const valuesFiles = workspace.files.filter((candidate) => candidate.role === "helm-values" && dirOf(candidate.path) === dir);
    const main = valuesFiles.find((candidate) => baseName(candidate.path) === "values.yaml") ?? valuesFiles.find((candidate) => baseName(candidate.path) === "values.yml");
    if (!main) return { ok: false, reason: texts.reasons.noValues };
    const values = valuesOf(main);
    if (!values) return { ok: false, reason: texts.reasons.notAMap };
    const body = inferSchema(values);
    const schema = { $schema: DRAFT_07, type: "object", properties: body.properties ?? {} };
    const overrides = valuesFiles.filter((candidate) => candidate !== main).flatMap((candidate) => {
      const data = valuesOf(candidate);
      return data ? [{ path: candidate.path, data }] : [];
    });
    const widenedIn = overrides.filter((override) => widenFor(schema, override.data)).map((override) => override.path);
    const path = inDir(dir, SCHEMA_FILE);
    const words = { file: path, values: main.path, keys: countKeys(schema), overrides: widenedIn.join(", ") };
    return {
      ok: true,
      plan: {
        files: [{ path, render: () => `${JSON.stringify(schema, null, 2)}\n` }],
        listIn: [],
        explanation: [fillText(texts.explanation, words), ...(widenedIn.length > 0 ? [fillText(texts.widened, words)] : [])].map((text) => text.trim()).join(" "),
        risk: texts.risk.trim(),
        risky: true,
      },
    };
  },
};

/** A values file's data, when it parses to a map. */
function valuesOf(file: ParsedFile): ValuesMap | undefined {
  if (file.problems.length > 0) return undefined;
  const data = toPlain(file.documents[0]?.root);
  return isMap(data) ? data : undefined;
}

const isMap = (value: PlainValue | undefined): value is ValuesMap => value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value);

/** The JSON Schema type of a value; undefined for null and empty maps and lists, which may hold anything. */
function typeOf(value: PlainValue): string | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : "array";
  if (typeof value === "object") return Object.keys(value).length === 0 ? undefined : "object";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The schema of one value, as the module comment describes. */
export function inferSchema(value: PlainValue): SchemaNode {
  const type = typeOf(value);
  if (type === undefined) return {};
  if (Array.isArray(value)) {
    const first = value[0] as PlainValue;
    const itemType = typeOf(first);
    const shared = itemType !== undefined && value.every((item) => typeOf(item) === itemType);
    return shared ? { type, items: inferSchema(first) } : { type };
  }
  if (isMap(value)) return { type, properties: Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inferSchema(item)])) };
  return { type };
}

/** How many keys the schema describes, at every level. */
function countKeys(node: SchemaNode): number {
  const properties = Object.values(node.properties ?? {});
  return properties.length + properties.reduce((sum, child) => sum + countKeys(child), 0) + (node.items ? countKeys(node.items) : 0);
}

/** The type ajv would want for a value that failed a `type` keyword. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * Widens, in place, the type of every node the data has another type at, until the data passes.
 * true when something was widened.
 */
export function widenFor(schema: SchemaNode, data: ValuesMap): boolean {
  const ajv = new Ajv({ allErrors: true, strict: false });
  let widened = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const validate = ajv.compile(structuredClone(schema));
    if (validate(data)) return widened;
    const typeErrors = (validate.errors ?? []).filter((error: ErrorObject) => error.keyword === "type");
    if (typeErrors.length === 0) return widened;
    for (const error of typeErrors) {
      const found = nodeAt(schema, data, error.instancePath);
      if (!found?.node.type) continue;
      const types = Array.isArray(found.node.type) ? found.node.type : [found.node.type];
      const type = jsonTypeOf(found.value);
      if (types.includes(type)) continue;
      found.node.type = [...types, type];
      widened = true;
    }
  }
  return widened;
}

/** The schema node and the value at an ajv instance path (a JSON pointer), walking both together. */
function nodeAt(schema: SchemaNode, data: unknown, pointer: string): { node: SchemaNode; value: unknown } | undefined {
  let node = schema;
  let value = data;
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  for (const segment of segments) {
    if (Array.isArray(value)) {
      if (!node.items) return undefined;
      node = node.items;
      value = value[Number(segment)];
    } else if (value !== null && typeof value === "object") {
      const child = node.properties?.[segment];
      if (!child) return undefined;
      node = child;
      value = (value as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return { node, value };
}
