import { describeSite } from "../checks/image-site.js";
import { appendToSequence, setIn } from "../edit/editor.js";
import { lookupKey, type DigestTable } from "../pins/lookup.js";
import { planKustomizationPin, planPin, type PinEdit, type PinPlan } from "../pins/plan.js";
import type { Finding } from "../scan/finding.js";
import type { FileState } from "./file-state.js";
import { fillText, fixTemplate } from "./templates.js";
import type { DataChange } from "./types.js";

interface PinTexts {
  explanation: { pin: string; update: string; latest: string; kustomization: string };
  risk: { pin: string; update: string };
}

export interface PinOutcome {
  text: string;
  /** What to verify: the YAML values set (none for Dockerfile text edits), in which document. */
  document: number;
  changes: DataChange[];
  explanation: string;
  risk: string;
  /** A pin runs what runs today; moving one deploys new code, which the risk text says. Neither is a draft. */
  risky: false;
  /** Why the edited file does not carry the pin, if it does not. */
  missingPin(next: FileState): string | undefined;
}

/** An earlier pin in this run already wrote what this one would (one image in two manifests of a kustomization). */
export const ALREADY_PINNED = { done: true } as const;

/**
 * Plans and writes the pin of one image finding on the current text of the
 * file it goes into: the file the image is written in, or the kustomization
 * listing it (finding.image.pinIn). The engine verifies the result.
 */
export function pinImage(state: FileState, finding: Finding, digests: DigestTable): PinOutcome | typeof ALREADY_PINNED | { reason: string } {
  const lookup = finding.image?.lookup;
  if (!finding.image || !lookup) return { reason: "the image has no reference to look up" };
  const found = digests.get(lookupKey(lookup));
  if (!found) return { reason: "the digest was not looked up" };
  if (!found.ok) return { reason: found.reason };
  const digest = found.digest;
  const texts = fixTemplate<PinTexts>("image-pin");
  const { pinIn, site: key } = finding.image;

  let plan: PinPlan;
  let sentence: string;
  let where: string;
  let moving = false;
  if (pinIn) {
    const planned = planKustomizationPin({ file: pinIn.file, data: state.data, sites: state.imageSites() }, pinIn, digest);
    if (planned.ok === "done") return ALREADY_PINNED;
    if (!planned.ok) return { reason: planned.reason };
    plan = planned.plan;
    where = `${pinIn.name}${pinIn.tag === undefined ? "" : `:${pinIn.tag}`}`;
    sentence = texts.explanation.kustomization;
  } else {
    const site = state.imageSite(key);
    if (!site) return { reason: "the image reference could not be found again in the file" };
    const planned = planPin(site, digest, state.readsDigest(site));
    if (!planned.ok) return { reason: planned.reason };
    plan = planned.plan;
    where = describeSite(site);
    moving = site.reference?.digest !== undefined;
    sentence = moving ? texts.explanation.update : texts.explanation.pin;
  }
  const written = writeEdit(state.text, plan.edit);
  if ("reason" in written) return written;
  return {
    ...written,
    explanation: [fillText(sentence, { where, digest, tag: lookup.tag, file: pinIn?.file ?? finding.file }), ...(lookup.tag === "latest" ? [texts.explanation.latest] : [])]
      .map((text) => text.trim())
      .join(" "),
    risk: (moving ? texts.risk.update : texts.risk.pin).trim(),
    risky: false,
    missingPin: (next) => {
      const carried = pinIn
        ? next.imageSites().some((site) => site.details.name === pinIn.name && site.reference?.digest === digest)
        : next.imageSite(key)?.reference?.digest === digest;
      return carried ? undefined : "the edited reference does not carry the digest";
    },
  };
}

function writeEdit(text: string, edit: PinEdit): { text: string; document: number; changes: DataChange[] } | { reason: string } {
  switch (edit.kind) {
    case "text":
      return { text: text.slice(0, edit.offset) + edit.text + text.slice(edit.end), document: -1, changes: [] };
    case "yaml-append": {
      const appended = appendToSequence(text, edit.document, edit.sequence, edit.item);
      if (!appended.ok) return { reason: appended.reason };
      return { text: appended.text, document: edit.document, changes: [{ path: [...edit.sequence, edit.index], value: edit.item }] };
    }
    case "yaml": {
      let edited = text;
      for (const change of edit.changes) {
        const result = setIn(edited, edit.document, change.path, change.value);
        if (!result.ok) return { reason: result.reason };
        edited = result.text;
      }
      return { text: edited, document: edit.document, changes: edit.changes };
    }
  }
}
