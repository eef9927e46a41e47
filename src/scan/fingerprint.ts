import { createHash } from "node:crypto";

/** A short, stable hash of the parts that identify something (a finding, a fix). */
export function fingerprintOf(parts: readonly (string | undefined)[]): string {
  return createHash("sha256").update(parts.map((part) => part ?? "").join("\u0000")).digest("hex").slice(0, 32);
}
