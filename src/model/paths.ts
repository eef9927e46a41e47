export type NodePath = readonly (string | number)[];

/** `spec.template.spec.containers[0].securityContext`, for messages. */
export function describePath(path: NodePath): string {
  if (path.length === 0) return "the document";
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}
