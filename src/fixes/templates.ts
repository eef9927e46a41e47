import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import type { PlainValue } from "../edit/render.js";
import { packageRoot } from "../package-root.js";

const cache = new Map<string, unknown>();
const texts = new Map<string, string>();

/** A fix's texts and snippets from templates/fixes/<name>.yaml, read once. */
export function fixTemplate<T>(name: string): T {
  if (!cache.has(name)) cache.set(name, load(readTemplate(`fixes/${name}.yaml`)));
  return cache.get(name) as T;
}

/** The text of a file under templates/ (a `/`-separated path), read once, with `\n` line endings whatever the checkout did. */
export function readTemplate(relativePath: string): string {
  let text = texts.get(relativePath);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), "templates", ...relativePath.split("/")), "utf8").replace(/\r\n/g, "\n");
    texts.set(relativePath, text);
  }
  return text;
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
