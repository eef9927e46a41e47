import { load } from "js-yaml";
import { readTemplate } from "../fixes/templates.js";

/** The short texts of templates/checks/text.yaml. */
export interface CheckTexts {
  title: { added: string; none: string; configError: string; scanError: string };
  verdict: { failure: string; neutral: string; never: string; success: string };
  failOn: { threshold: string; none: string };
  annotation: { title: string; message: string };
  review: string;
  risk: string;
}

let texts: CheckTexts | undefined;

export function checkTexts(): CheckTexts {
  texts ??= load(readTemplate("checks/text.yaml")) as CheckTexts;
  return texts;
}

/** A Markdown part of the check's texts (templates/checks/<name>.md), without its final newline. */
export function checkPart(name: string): string {
  return readTemplate(`checks/${name}.md`).replace(/\n$/, "");
}

/** A code fence longer than any run of backticks in the text, so the text cannot end it. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** `text`, cut to `max` characters with an ellipsis when it is longer (GitHub refuses longer fields). */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
