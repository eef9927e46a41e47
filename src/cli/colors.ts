import picocolors from "picocolors";
import type { Colors } from "picocolors/types.js";

/** Colour only for a terminal; NO_COLOR (non-empty) turns it off, FORCE_COLOR on. */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  const enabled = env.NO_COLOR ? false : env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" ? true : stream.isTTY === true;
  return picocolors.createColors(enabled);
}
