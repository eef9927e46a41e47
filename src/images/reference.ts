/**
 * Container image references, as the distribution project's reference grammar
 * defines them: [registry/]path[:tag][@digest].
 */
export interface ImageReference {
  /** Registry host as written, or "docker.io" when none is given. */
  registry: string;
  /** Repository path, with Docker Hub's implicit `library/` added. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A host name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const REGISTRY_HOST = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const DOCKER_HUB = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

export type ParsedImage = { ok: true; reference: ImageReference } | { ok: false; reason: string };

export function parseImageReference(image: string): ParsedImage {
  if (image.length === 0) return { ok: false, reason: "image is empty" };
  if (image.length > 4096) return { ok: false, reason: "image reference is longer than 4096 characters" };
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest) || (digest.startsWith("sha256:") && !SHA256_DIGEST.test(digest))) {
      return { ok: false, reason: `"${digest}" is not a valid digest` };
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, reason: `"${tag}" is not a valid tag` };
  }
  const slash = rest.indexOf("/");
  const first = slash === -1 ? "" : rest.slice(0, slash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost" || /[A-Z]/.test(first) || /[^a-z0-9._-]/.test(first);
  if (hasRegistry && !REGISTRY_HOST.test(first)) return { ok: false, reason: `"${first}" is not a valid registry host` };
  let registry = hasRegistry ? first : "docker.io";
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (repository.length === 0 || !repository.split("/").every((part) => PATH_COMPONENT.test(part))) {
    return { ok: false, reason: `"${repository}" is not a valid repository name (lowercase letters, digits and separators)` };
  }
  if (DOCKER_HUB.has(registry)) {
    registry = "docker.io";
    if (!repository.includes("/")) repository = `library/${repository}`;
  }
  return { ok: true, reference: { registry, repository, tag, digest } };
}

/** True when the text is templated (`${TAG}`, `$(IMAGE)`, `{{ .Values.image }}`): it is resolved later, by other tools. */
export function isTemplatedImage(image: string): boolean {
  return /\$\{|\$\(|\{\{/.test(image);
}
