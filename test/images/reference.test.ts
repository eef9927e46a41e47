import { describe, expect, it } from "vitest";
import { isTemplatedImage, parseImageReference, type ImageReference } from "../../src/images/reference.js";

const SHA = "sha256:" + "0123456789abcdef".repeat(4);

function reference(image: string): ImageReference {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(`expected ${image} to parse, got: ${parsed.reason}`);
  return parsed.reference;
}

function reason(image: string): string {
  const parsed = parseImageReference(image);
  if (parsed.ok) throw new Error(`expected ${image} to be rejected`);
  return parsed.reason;
}

describe("parseImageReference on valid references", () => {
  it.each([
    ["nginx", { registry: "docker.io", repository: "library/nginx", tag: undefined, digest: undefined }],
    ["nginx:1.25", { registry: "docker.io", repository: "library/nginx", tag: "1.25", digest: undefined }],
    ["bitnami/redis:7.2", { registry: "docker.io", repository: "bitnami/redis", tag: "7.2", digest: undefined }],
    ["docker.io/nginx", { registry: "docker.io", repository: "library/nginx", tag: undefined, digest: undefined }],
    ["index.docker.io/library/nginx:1", { registry: "docker.io", repository: "library/nginx", tag: "1", digest: undefined }],
    ["registry-1.docker.io/org/app", { registry: "docker.io", repository: "org/app", tag: undefined, digest: undefined }],
    ["localhost:5000/app:v1", { registry: "localhost:5000", repository: "app", tag: "v1", digest: undefined }],
    ["localhost/app", { registry: "localhost", repository: "app", tag: undefined, digest: undefined }],
    ["registry:5000/app", { registry: "registry:5000", repository: "app", tag: undefined, digest: undefined }],
    ["registry:5000/team/app:2.0-rc.1", { registry: "registry:5000", repository: "team/app", tag: "2.0-rc.1", digest: undefined }],
    ["ghcr.io/org/app@" + SHA, { registry: "ghcr.io", repository: "org/app", tag: undefined, digest: SHA }],
    ["nginx:1.25@" + SHA, { registry: "docker.io", repository: "library/nginx", tag: "1.25", digest: SHA }],
    ["quay.io/a/b/c_d__e-f--g.h:Tag_1", { registry: "quay.io", repository: "a/b/c_d__e-f--g.h", tag: "Tag_1", digest: undefined }],
    ["MyRegistry/app", { registry: "MyRegistry", repository: "app", tag: undefined, digest: undefined }],
    ["localhost:5000", { registry: "docker.io", repository: "library/localhost", tag: "5000", digest: undefined }],
  ])("parses %s", (image, expected) => {
    expect(parseImageReference(image)).toEqual({ ok: true, reference: expected });
  });

  it("keeps the registry host as written", () => {
    expect(reference("GHCR.io/org/app").registry).toBe("GHCR.io");
  });

  it("accepts tags of 1 to 128 characters", () => {
    expect(reference("app:" + "a".repeat(128)).tag).toHaveLength(128);
    expect(reference("app:_").tag).toBe("_");
  });

  it("accepts non-sha256 digests of at least 32 characters", () => {
    const digest = "sha512:" + "ab".repeat(64);
    expect(reference("app@" + digest).digest).toBe(digest);
  });
});

describe("parseImageReference on invalid references", () => {
  it("rejects an empty reference", () => {
    expect(parseImageReference("")).toEqual({ ok: false, reason: "image is empty" });
  });

  it("rejects a reference longer than 4096 characters", () => {
    expect(reason("a".repeat(4097))).toBe("image reference is longer than 4096 characters");
  });

  it.each([
    ["Nginx", "Nginx"],
    ["ghcr.io/Org/app", "Org/app"],
    ["docker.io/library/App:1", "library/App"],
    ["ghcr.io/", ""],
    ["ghcr.io/org//app", "org//app"],
    ["app-", "app-"],
    ["_app", "_app"],
    ["a...b", "a...b"],
  ])("rejects the repository of %s", (image, repository) => {
    expect(reason(image)).toBe(`"${repository}" is not a valid repository name (lowercase letters, digits and separators)`);
  });

  it.each([
    ["app@sha256:abc", "sha256:abc"],
    ["app@sha256:" + "A".repeat(64), "sha256:" + "A".repeat(64)],
    ["app@sha256:" + "a".repeat(63), "sha256:" + "a".repeat(63)],
    ["app@" + "a".repeat(64), "a".repeat(64)],
    ["app@md5:short", "md5:short"],
    ["app@", ""],
  ])("rejects the digest of %s", (image, digest) => {
    expect(reason(image)).toBe(`"${digest}" is not a valid digest`);
  });

  it.each([
    ["app:v1!", "v1!"],
    ["app:-x", "-x"],
    ["app:.x", ".x"],
    ["app:", ""],
    ["app:a+b", "a+b"],
    ["app:" + "a".repeat(129), "a".repeat(129)],
  ])("rejects the tag of %s", (image, tag) => {
    expect(reason(image)).toBe(`"${tag}" is not a valid tag`);
  });
});

describe("parseImageReference on invalid registry hosts", () => {
  // Bug: the registry part is never checked against the reference grammar's domain
  // (host labels of letters, digits and inner hyphens, optional :port), so these come back ok: true.
  it.each(["a b.io/app", "my_registry.io/app", "reg!.io/app", "-bad.io/app"])("rejects %s", (image) => {
    expect(parseImageReference(image).ok).toBe(false);
  });
});

describe("isTemplatedImage", () => {
  it.each(["${IMAGE}", "registry.example.com/app:${TAG}", "$(TAG)", "app:$(VERSION)", "{{ .Values.image }}", "repo/app:{{ .Chart.AppVersion }}"])(
    "treats %s as templated",
    (image) => {
      expect(isTemplatedImage(image)).toBe(true);
    },
  );

  it.each(["nginx", "nginx:1.25", "ghcr.io/org/app@" + SHA, "$IMAGE", "app:{tag}", ""])("treats %s as literal", (image) => {
    expect(isTemplatedImage(image)).toBe(false);
  });
});
