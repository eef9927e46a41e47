import type { FixSettings } from "../config/types.js";
import { kustomizeImageName, type KustomizeOwner } from "../images/kustomize-owners.js";
import type { ImageReferenceSite } from "../images/site.js";
import type { KustomizationPin } from "../scan/finding.js";

/**
 * What the kustomization listing a manifest means for an image written in it:
 * - `overridden`: an `images:` entry sets the tag or digest, so that entry is what runs (and reports);
 * - `pinIn`: the pin is an `images:` entry of that kustomization (fixes.images.pinIn: kustomization);
 * - `notPinnable`: an entry renames the image, so a digest belongs with that entry, not here.
 */
export type PinPlace = { overridden: true } | { overridden: false; pinIn?: KustomizationPin; notPinnable?: string };

const IN_PLACE: PinPlace = { overridden: false };

export function pinPlaceOf(site: ImageReferenceSite, owners: ReadonlyMap<string, KustomizeOwner>, settings: FixSettings): PinPlace {
  const owner = site.kind === "pod-spec" ? owners.get(site.file) : undefined;
  if (!owner) return IN_PLACE;
  const name = kustomizeImageName(site.image);
  const entry = owner.entries.get(name);
  if (entry?.parts?.tag || entry?.parts?.digest) return { overridden: true };
  if (settings.images.pinIn === "manifest") return IN_PLACE;
  if (entry?.parts?.repository) {
    return { overridden: false, notPinnable: `${owner.file} deploys this image as ${entry.parts.repository.text}; pin it in that images entry (newTag and digest)` };
  }
  return { overridden: false, pinIn: { file: owner.file, name, tag: site.reference?.tag } };
}
