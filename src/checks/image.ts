import { isTemplatedImage, parseImageReference, type ImageReference } from "../images/reference.js";
import type { ContainerRef } from "../model/pods.js";
import { get, isScalar } from "../yaml/nodes.js";

export interface ContainerImage {
  text: string;
  offset: number;
  reference: ImageReference;
}

/** The container's image, when it is a literal, well-formed reference. Templated values are left to the tools that fill them. */
export function imageOf(container: ContainerRef): ContainerImage | undefined {
  const node = get(container.node, "image");
  if (!isScalar(node) || node.value === null || isTemplatedImage(node.text)) return undefined;
  const parsed = parseImageReference(node.text.trim());
  return parsed.ok ? { text: node.text, offset: node.offset, reference: parsed.reference } : undefined;
}
