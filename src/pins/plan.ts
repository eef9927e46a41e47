import type { ImageReferenceSite } from "../images/site.js";
import { describePath, type NodePath } from "../model/paths.js";
import type { DataChange } from "../fixes/types.js";
import { isPlainObject, type PlainValue } from "../edit/render.js";
import type { KustomizationPin } from "../scan/finding.js";

/** How a pin is written: YAML values set by path, or (Dockerfiles) the image token replaced in the text. */
export type PinEdit =
  | { kind: "yaml"; document: number; changes: DataChange[] }
  /** A new item at the end of the list at `sequence` (its `index`-th). */
  | { kind: "yaml-append"; document: number; sequence: NodePath; index: number; item: { [key: string]: PlainValue } }
  | { kind: "text"; offset: number; end: number; text: string };

export interface PinPlan {
  edit: PinEdit;
  /** The image people will read once pinned, e.g. `nginx:1.25@sha256:…`. */
  pinned: string;
}

export type Pinnability = { ok: true } | { ok: false; reason: string };
export type PinPlanResult = { ok: true; plan: PinPlan } | { ok: false; reason: string };

/** Whether a site can take a digest where it is written. Checked at scan time, before any look-up. */
export function pinnability(site: ImageReferenceSite): Pinnability {
  const { details } = site;
  if (details.sharedAnchor !== undefined) {
    return { ok: false, reason: `the image is shared through the YAML anchor &${details.sharedAnchor}; Shipshape does not edit shared values` };
  }
  if (details.substituted !== undefined) {
    return { ok: false, reason: `the image is built from the ARG${details.substituted.includes(",") ? "s" : ""} ${details.substituted}; a digest here would freeze what the ARG is meant to change` };
  }
  if (details.numericTag === "true") {
    return { ok: false, reason: "the tag is an unquoted number, which Helm renders differently (1.10 as 1.1); quote it, then Shipshape can pin it" };
  }
  if (site.parts !== undefined && site.holder === undefined) return { ok: false, reason: "the reference is split over fields Shipshape cannot place a digest beside" };
  if (site.parts === undefined && site.path === undefined && site.document !== undefined) return { ok: false, reason: "the reference has no path to edit" };
  return { ok: true };
}

/**
 * The edit that pins `site` to `digest`, keeping the tag for people:
 *
 * - a whole reference (`image: nginx:1.25`, `docker://…`, `name=…`, a FROM
 *   token or the ARG default it names) gets `@digest` (replacing an older one);
 * - a Kustomize `images:` entry gets `digest:` (Kustomize keeps `newTag` beside it);
 * - a Helm image map gets `digest:` when the file has that field or the
 *   chart's templates read it (`readsDigest`), else `@digest` on its tag.
 */
export function planPin(site: ImageReferenceSite, digest: string, readsDigest: boolean): PinPlanResult {
  const allowed = pinnability(site);
  if (!allowed.ok) return allowed;
  const pinned = `${withoutDigest(site.image)}@${digest}`;
  if (site.document === undefined) return { ok: true, plan: { edit: { kind: "text", offset: site.offset, end: site.end, text: pinned }, pinned } };
  if (site.parts === undefined || site.holder === undefined) {
    const path = site.path as NodePath;
    return { ok: true, plan: { edit: yamlEdit(site.document, path, `${site.details.prefix ?? ""}${pinned}`), pinned } };
  }
  const holder = site.holder.path;
  const digestKey = site.parts.digest?.key ?? "digest";
  if (site.kind === "kustomize-images" || site.parts.digest !== undefined || readsDigest) {
    return { ok: true, plan: { edit: yamlEdit(site.document, [...holder, digestKey], digest), pinned } };
  }
  const tag = site.reference?.tag ?? (site.details.tagFrom === "chart-appVersion" ? site.details.appVersion : undefined);
  if (tag === undefined) {
    return { ok: false, reason: `${describePath(holder)} has no tag to carry the digest, and the chart's templates do not read a digest field` };
  }
  const tagKey = site.parts.tag?.key ?? "tag";
  return { ok: true, plan: { edit: yamlEdit(site.document, [...holder, tagKey], `${tag}@${digest}`), pinned } };
}

/** The kustomization as it is now: its parsed documents and the image sites (its `images:` entries). */
export interface KustomizationNow {
  file: string;
  data: readonly PlainValue[];
  sites: readonly ImageReferenceSite[];
}

/**
 * The pin of a manifest's image as an `images:` entry of the kustomization
 * listing it: `{name, newTag, digest}` appended (Kustomize keeps both tag and
 * digest), or newTag and digest added to an entry that only names the image.
 * "done" when an earlier pin wrote exactly this entry (two manifests, one image).
 */
export function planKustomizationPin(now: KustomizationNow, pin: KustomizationPin, digest: string): PinPlanResult | { ok: "done" } {
  const pinned = `${pin.name}${pin.tag === undefined ? "" : `:${pin.tag}`}@${digest}`;
  const entry = now.sites.find((site) => site.kind === "kustomize-images" && site.details.name === pin.name);
  if (entry?.holder && entry.document !== undefined) {
    const { tag, digest: written, repository } = entry.parts ?? {};
    if (written?.text === digest && tag?.text === pin.tag && !repository) return { ok: "done" };
    if (tag || written || repository) {
      return { ok: false, reason: `${now.file} already sets ${pin.name} to ${entry.image}, not the :${pin.tag ?? "latest"} this manifest names` };
    }
    const changes: DataChange[] = [...(pin.tag === undefined ? [] : [{ path: [...entry.holder.path, "newTag"], value: pin.tag }]), { path: [...entry.holder.path, "digest"], value: digest }];
    return { ok: true, plan: { edit: { kind: "yaml", document: entry.document, changes }, pinned } };
  }
  const document = now.data.findIndex((data) => isPlainObject(data) && data["resources"] !== undefined);
  const root = now.data[document];
  if (!isPlainObject(root)) return { ok: false, reason: `${now.file} no longer lists resources` };
  const item = { name: pin.name, ...(pin.tag === undefined ? {} : { newTag: pin.tag }), digest };
  const images = root["images"];
  if (images === undefined || images === null) return { ok: true, plan: { edit: { kind: "yaml", document, changes: [{ path: ["images"], value: [item] }] }, pinned } };
  if (!Array.isArray(images)) return { ok: false, reason: `images in ${now.file} is not a list` };
  return { ok: true, plan: { edit: { kind: "yaml-append", document, sequence: ["images"], index: images.length, item }, pinned } };
}

function yamlEdit(document: number, path: NodePath, value: string): PinEdit {
  return { kind: "yaml", document, changes: [{ path, value }] };
}

function withoutDigest(image: string): string {
  const at = image.indexOf("@");
  return at === -1 ? image : image.slice(0, at);
}
