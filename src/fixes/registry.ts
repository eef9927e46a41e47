import { probeFix } from "./probe.js";
import { resourcesFix } from "./resources.js";
import { securityContextFix } from "./security-context.js";
import type { ContainerFix } from "./types.js";

/** Every built-in fix, by the name rules use in `fix.name`. */
export const FIXES: ReadonlyMap<string, ContainerFix> = new Map([probeFix, resourcesFix, securityContextFix].map((fix) => [fix.name, fix]));
