import { describe, expect, it } from "vitest";
import { findImageReferences, type ImageSourceFile } from "../../src/images/find-references.js";
import type { ImageReferenceSite } from "../../src/images/site.js";
import { pinnability, planPin, type PinPlanResult } from "../../src/pins/plan.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;

function sites(files: Record<string, [role: string, text: string]>): ImageReferenceSite[] {
  const list: ImageSourceFile[] = Object.entries(files).map(([path, [role, text]]) => ({ path, role, text }));
  return findImageReferences(list);
}

function only(files: Record<string, [role: string, text: string]>): ImageReferenceSite {
  const found = sites(files);
  expect(found).toHaveLength(1);
  return found[0] as ImageReferenceSite;
}

/** The edit a plan makes, applied to the text for text edits. */
function applied(result: PinPlanResult, text: string): unknown {
  if (!result.ok) return result;
  const { edit, pinned } = result.plan;
  return edit.kind === "text" ? { pinned, text: text.slice(0, edit.offset) + edit.text + text.slice(edit.end) } : { pinned, ...edit };
}

const POD = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: ${image}
`;

describe("planPin: where a digest goes", () => {
  it("appends @digest to a whole reference, keeping the tag", () => {
    const site = only({ "pod.yaml": ["yaml", POD("ghcr.io/acme/web:1.4")] });
    expect(applied(planPin(site, D1, false), "")).toEqual({
      pinned: `ghcr.io/acme/web:1.4@${D1}`,
      kind: "yaml",
      document: 0,
      changes: [{ path: ["spec", "containers", 0, "image"], value: `ghcr.io/acme/web:1.4@${D1}` }],
    });
  });

  it("replaces an older digest instead of adding a second one", () => {
    const site = only({ "pod.yaml": ["yaml", POD(`ghcr.io/acme/web:1.4@${D1}`)] });
    expect(applied(planPin(site, D2, false), "")).toMatchObject({ changes: [{ path: ["spec", "containers", 0, "image"], value: `ghcr.io/acme/web:1.4@${D2}` }] });
  });

  it("writes back the prefix of a docker:// step", () => {
    const workflow = "jobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://alpine:3.20\n";
    const site = only({ ".github/workflows/ci.yml": ["workflow", workflow] });
    expect(applied(planPin(site, D1, false), "")).toMatchObject({ changes: [{ path: ["jobs", "lint", "steps", 0, "uses"], value: `docker://alpine:3.20@${D1}` }] });
  });

  it("adds digest: to a Kustomize images entry, whatever the templates say", () => {
    const site = only({ "kustomization.yaml": ["kustomization", "images:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: '1.4'\n"] });
    expect(applied(planPin(site, D1, false), "")).toMatchObject({ changes: [{ path: ["images", 0, "digest"], value: D1 }] });
  });

  describe("Helm values", () => {
    const chart = "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: '2.1'\n";
    const helm = (values: string) => only({ "web/Chart.yaml": ["helm-chart", chart], "web/values.yaml": ["helm-values", values] });

    it("sets the digest field the file has", () => {
      const site = helm("image:\n  repository: ghcr.io/acme/web\n  tag: '1.4'\n  digest: ''\n");
      expect(applied(planPin(site, D1, false), "")).toMatchObject({ changes: [{ path: ["image", "digest"], value: D1 }] });
    });

    it("adds a digest field when the chart's templates read one", () => {
      const site = helm("image:\n  repository: ghcr.io/acme/web\n  tag: '1.4'\n");
      expect(applied(planPin(site, D1, true), "")).toMatchObject({ changes: [{ path: ["image", "digest"], value: D1 }] });
    });

    it("otherwise appends the digest to the tag", () => {
      const site = helm("image:\n  repository: ghcr.io/acme/web\n  tag: '1.4'\n");
      expect(applied(planPin(site, D1, false), "")).toMatchObject({ changes: [{ path: ["image", "tag"], value: `1.4@${D1}` }] });
    });

    it("writes the appVersion the chart falls back to into an empty tag", () => {
      const site = helm("image:\n  repository: ghcr.io/acme/web\n  tag: ''\n");
      expect(applied(planPin(site, D1, false), "")).toMatchObject({ pinned: `ghcr.io/acme/web@${D1}`, changes: [{ path: ["image", "tag"], value: `2.1@${D1}` }] });
    });
  });

  describe("Dockerfiles: the image text itself is replaced", () => {
    it("in a FROM line, keeping --platform and the stage name", () => {
      const text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build\n";
      const site = only({ Dockerfile: ["dockerfile", text] });
      expect(applied(planPin(site, D1, false), text)).toEqual({
        pinned: `golang:1.22@${D1}`,
        text: `FROM --platform=$BUILDPLATFORM golang:1.22@${D1} AS build\nRUN go build\n`,
      });
    });

    it("in the ARG default a FROM names", () => {
      const text = 'ARG BASE="node:20-alpine"\nFROM ${BASE}\n';
      const site = only({ Dockerfile: ["dockerfile", text] });
      expect(applied(planPin(site, D1, false), text)).toMatchObject({ text: `ARG BASE="node:20-alpine@${D1}"\nFROM \${BASE}\n` });
    });
  });
});

describe("pinnability: where a digest has no safe place", () => {
  it("leaves values shared through a YAML anchor alone", () => {
    const text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec:\n      containers:\n        - &c {name: app, image: 'web:1.4'}\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: b}\n    spec:\n      containers: [*c]\n";
    const found = sites({ "list.yaml": ["yaml", text] });
    expect(found.map((site) => pinnability(site))).toEqual([
      { ok: false, reason: "the image is shared through the YAML anchor &c; Shipshape does not edit shared values" },
      { ok: false, reason: "the image is shared through the YAML anchor &c; Shipshape does not edit shared values" },
    ]);
  });

  it("does not freeze an image an ARG is meant to change", () => {
    const text = "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n";
    const site = only({ Dockerfile: ["dockerfile", text] });
    expect(planPin(site, D1, false)).toEqual({ ok: false, reason: "the image is built from the ARG NODE_VERSION; a digest here would freeze what the ARG is meant to change" });
  });

  it("asks for a numeric Helm tag to be quoted first", () => {
    const site = only({ "web/Chart.yaml": ["helm-chart", "apiVersion: v2\nname: web\nversion: 1.0.0\n"], "web/values.yaml": ["helm-values", "image:\n  repository: web\n  tag: 1.10\n"] });
    expect(pinnability(site)).toEqual({ ok: false, reason: "the tag is an unquoted number, which Helm renders differently (1.10 as 1.1); quote it, then Shipshape can pin it" });
  });
});
