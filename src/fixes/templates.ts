import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import type { PlainValue } from "../edit/render.js";
import { packageRoot } from "../package-root.js";

const cache = new Map<string, unknown>();

/** A fix's texts and snippets from templates/fixes/<name>.yaml, read once. */
export function fixTemplate<T>(name: string): T {
  if (!cache.has(name)) cache.set(name, load(readFileSync(join(packageRoot(), "templates", "fixes", `${name}.yaml`), "utf8")));
  return cache.get(name) as T;
}

/** Replaces {name} placeholders in a sentence. */
export function fillText(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Fills a snippet: a string that is exactly "{name}" takes the value's own type (a port number stays a number). */
export function fillSnippet(snippet: PlainValue, values: Record<string, string | number>): PlainValue {
  if (typeof snippet === "string") {
    const whole = /^\{(\w+)\}$/.exec(snippet);
    if (whole && (whole[1] as string) in values) return values[whole[1] as string] as string | number;
    return fillText(snippet, values);
  }
  if (Array.isArray(snippet)) return snippet.map((item) => fillSnippet(item, values));
  if (snippet !== null && typeof snippet === "object") {
    return Object.fromEntries(Object.entries(snippet).map(([key, value]) => [key, fillSnippet(value, values)]));
  }
  return snippet;
}
