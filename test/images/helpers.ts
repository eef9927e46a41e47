import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { ImageReferenceSite } from "../../src/images/site.js";
import { composeYaml, type YamlDocument } from "../../src/yaml/compose.js";
import { LineIndex } from "../../src/yaml/lines.js";

/** test/fixtures/images/: a small workspace with every kind of image site. */
export const FIXTURES = fileURLToPath(new URL("../fixtures/images/", import.meta.url));

export function fixtureText(path: string): string {
  return readFileSync(join(FIXTURES, path), "utf8");
}

export function documentsOf(text: string): YamlDocument[] {
  const composed = composeYaml(text);
  expect(composed.problems).toEqual([]);
  return composed.documents;
}

/** What the tests assert about a site: kind, image, where its value starts, and the text there. */
export interface Located {
  kind: string;
  image: string;
  line: number;
  column: number;
  /** The file's text from `offset` to `end`: the value a pin edits. */
  at: string;
}

/**
 * Each site's position, computed here from its offset with LineIndex, and the
 * text it points at. Also checks that the site's own line/column agree.
 */
export function located(sites: readonly ImageReferenceSite[], text: string): Located[] {
  const lines = new LineIndex(text);
  return sites.map((site) => {
    const { line, column } = lines.position(site.offset);
    expect({ line: site.line, column: site.column }, `${site.kind} ${site.image}`).toEqual({ line, column });
    return { kind: site.kind, image: site.image, line, column, at: text.slice(site.offset, site.end) };
  });
}

/** 64 hex digits after `sha256:`, from a repeated pattern. */
export function sha(pattern: string): string {
  return `sha256:${pattern.repeat(64 / pattern.length)}`;
}
