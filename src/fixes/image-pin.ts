import { setIn } from "../edit/editor.js";
import { describeSite } from "../checks/image-site.js";
import { lookupKey, type DigestTable } from "../pins/lookup.js";
import { planPin } from "../pins/plan.js";
import type { Finding } from "../scan/finding.js";
import type { FileState } from "./file-state.js";
import { fillText, fixTemplate } from "./templates.js";
import type { DataChange } from "./types.js";

interface PinTexts {
  explanation: { pin: string; update: string; latest: string };
  risk: { pin: string; update: string };
}

export interface PinOutcome {
  text: string;
  /** What to verify: the YAML values set (none for Dockerfile text edits), in which document. */
  document: number;
  changes: DataChange[];
  digest: string;
  explanation: string;
  risk: string;
  /** A pin runs what runs today; moving one deploys new code, which the risk text says. Neither is a draft. */
  risky: false;
}

/** Plans and writes the pin of one image finding on the file's current text; verification is the engine's. */
export function pinImage(state: FileState, finding: Finding, digests: DigestTable): PinOutcome | { reason: string } {
  const lookup = finding.image?.lookup;
  if (!finding.image || !lookup) return { reason: "the image has no reference to look up" };
  const found = digests.get(lookupKey(lookup));
  if (!found) return { reason: "the digest was not looked up" };
  if (!found.ok) return { reason: found.reason };
  const site = state.imageSite(finding.image.site);
  if (!site) return { reason: "the image reference could not be found again in the file" };
  const planned = planPin(site, found.digest, state.readsDigest(site));
  if (!planned.ok) return { reason: planned.reason };
  const { edit } = planned.plan;
  let text: string;
  if (edit.kind === "text") {
    text = state.text.slice(0, edit.offset) + edit.text + state.text.slice(edit.end);
  } else {
    text = state.text;
    for (const change of edit.changes) {
      const edited = setIn(text, edit.document, change.path, change.value);
      if (!edited.ok) return { reason: edited.reason };
      text = edited.text;
    }
  }
  const texts = fixTemplate<PinTexts>("image-pin");
  const moving = site.reference?.digest !== undefined;
  const sentence = moving ? texts.explanation.update : lookup.tag === "latest" ? texts.explanation.latest : texts.explanation.pin;
  const values = { where: describeSite(site), digest: found.digest, tag: lookup.tag };
  return {
    text,
    document: edit.kind === "yaml" ? edit.document : -1,
    changes: edit.kind === "yaml" ? edit.changes : [],
    digest: found.digest,
    explanation: fillText(sentence, values).trim(),
    risk: (moving ? texts.risk.update : texts.risk.pin).trim(),
    risky: false,
  };
}
