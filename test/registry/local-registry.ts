/**
 * A real registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with a temp config, and
 * helpers that push images to it over the distribution HTTP API, the way `docker push` does.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";

export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
export const DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

export const REGISTRY_MISSING = "docker-registry is not installed: .ci/run installs it with apt-get";

/**
 * `docker-registry` from Debian's package, else the first one on PATH; undefined when there is none.
 * `SHIPSHAPE_DOCKER_REGISTRY` names another binary (and, pointed at nothing, shows what a machine without one does).
 */
export const registryBinary: string | undefined = findBinary("docker-registry", process.env["SHIPSHAPE_DOCKER_REGISTRY"]);

function findBinary(name: string, override: string | undefined): string | undefined {
  const onPath = (process.env["PATH"] ?? "").split(path.delimiter).filter((dir) => dir !== "").map((dir) => path.join(dir, name));
  const candidates = override !== undefined && override !== "" ? [override] : [`/usr/bin/${name}`, ...onPath];
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface LocalRegistry {
  /** "127.0.0.1:PORT", as written in image references. */
  host: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_CHARS = 20_000;

/** Starts a registry with its storage in a temp dir, on a free loopback port, and waits until `GET /v2/` answers 200. */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  if (registryBinary === undefined) throw new Error(REGISTRY_MISSING);
  const dir = await mkdtemp(path.join(tmpdir(), "shipshape-registry-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configPath = path.join(dir, "config.yml");
  await writeFile(
    configPath,
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${JSON.stringify(path.join(dir, "storage"))}`,
      "http:",
      `  addr: ${host}`,
      "",
    ].join("\n"),
  );

  let output = "";
  const child = spawn(registryBinary, ["serve", configPath], { stdio: ["ignore", "pipe", "pipe"] });
  const collect = (chunk: Buffer): void => {
    if (output.length < MAX_OUTPUT_CHARS) output += chunk.toString("utf8");
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on("error", (error) => {
      exited ??= `could not start: ${error.message}`;
      resolve();
    });
    child.on("exit", (code, signal) => {
      exited ??= signal ? `stopped by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });

  async function stop(): Promise<void> {
    if (exited === undefined) {
      child.kill("SIGTERM");
      const killed = await Promise.race([exit.then(() => true), delay(3_000).then(() => false)]);
      if (!killed) {
        child.kill("SIGKILL");
        await exit;
      }
    }
    await rm(dir, { recursive: true, force: true });
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = "no answer yet";
  while (exited === undefined) {
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return { host, stop };
      last = `GET /v2/ answered ${response.status}`;
    } catch (error) {
      last = `GET /v2/ failed: ${(error as Error).message}`;
    }
    if (Date.now() > deadline) break;
    await delay(50);
  }
  const why = exited === undefined ? `did not answer 200 within ${START_TIMEOUT_MS / 1000} s (${last})` : exited;
  await stop();
  throw new Error(`${registryBinary} serve on ${host} ${why}. Its output:\n${output || "(none)"}`);
}

/** A port nothing listens on right now: the kernel's pick for port 0, released at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
}

/** A manifest ready to push: its exact bytes, the blobs it names, and (for an index) the manifests it names. */
export interface Image {
  mediaType: string;
  bytes: Uint8Array;
  digest: string;
  blobs: Uint8Array[];
  children: Image[];
}

function descriptor(mediaType: string, bytes: Uint8Array): Descriptor {
  return { mediaType, digest: sha256(bytes), size: bytes.byteLength };
}

function image(mediaType: string, manifest: object, blobs: Uint8Array[], children: Image[] = []): Image {
  const bytes = new TextEncoder().encode(JSON.stringify(manifest, null, 3));
  return { mediaType, bytes, digest: sha256(bytes), blobs, children };
}

/** One gzipped tar layer holding `/etc/shipshape-test` with `content`, and the image config that lists it. */
async function layerAndConfig(content: string, architecture: string): Promise<{ layer: Uint8Array; config: Uint8Array }> {
  const tar = pack();
  tar.entry({ name: "etc/shipshape-test", mtime: new Date(0), mode: 0o644 }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  const uncompressed = Buffer.concat(chunks);
  const layer = gzipSync(uncompressed);
  const config = {
    architecture,
    os: "linux",
    config: { Cmd: ["/bin/true"], Labels: { "org.opencontainers.image.title": content } },
    rootfs: { type: "layers", diff_ids: [sha256(uncompressed)] },
    history: [{ created: "2024-01-01T00:00:00Z", created_by: `shipshape test: ${content}` }],
  };
  return { layer, config: new TextEncoder().encode(JSON.stringify(config)) };
}

/** A Docker v2 schema 2 image manifest with a config blob and one layer blob. */
export async function dockerImage(content: string): Promise<Image> {
  const { layer, config } = await layerAndConfig(content, "amd64");
  const manifest = { schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: descriptor(DOCKER_CONFIG, config), layers: [descriptor(DOCKER_LAYER, layer)] };
  return image(DOCKER_MANIFEST, manifest, [config, layer]);
}

/** An OCI image manifest for linux/`architecture`, with its own config and layer blobs. */
export async function ociImage(content: string, architecture: string): Promise<Image> {
  const { layer, config } = await layerAndConfig(`${content} (${architecture})`, architecture);
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor(OCI_CONFIG, config), layers: [descriptor(OCI_LAYER, layer)] };
  return image(OCI_MANIFEST, manifest, [config, layer]);
}

/** An OCI image index over linux/amd64 and linux/arm64 OCI image manifests. */
export async function ociIndex(content: string): Promise<Image> {
  const children = [await ociImage(content, "amd64"), await ociImage(content, "arm64")];
  const architectures = ["amd64", "arm64"];
  const manifests = children.map((child, i): Descriptor => ({ ...descriptor(child.mediaType, child.bytes), platform: { architecture: architectures[i]!, os: "linux" } }));
  return image(OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, [], children);
}

/**
 * Pushes `image` as `docker push` would: its blobs (monolithic uploads), the manifests an index names (by digest),
 * then the manifest under `tag`. Answers the manifest's digest, checked against the registry's Docker-Content-Digest.
 */
export async function pushImage(host: string, repository: string, tag: string, pushed: Image): Promise<string> {
  for (const child of pushed.children) await pushImage(host, repository, child.digest, child);
  for (const blob of pushed.blobs) await pushBlob(host, repository, blob);
  const url = `http://${host}/v2/${repository}/manifests/${tag}`;
  const response = await fetch(url, { method: "PUT", headers: { "content-type": pushed.mediaType }, body: pushed.bytes });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`PUT ${url} answered ${response.status}: ${text}`);
  const digest = response.headers.get("docker-content-digest");
  if (digest !== pushed.digest) throw new Error(`PUT ${url}: the registry says the manifest's digest is ${digest}, the bytes sent hash to ${pushed.digest}`);
  return pushed.digest;
}

async function pushBlob(host: string, repository: string, bytes: Uint8Array): Promise<void> {
  const digest = sha256(bytes);
  const start = `http://${host}/v2/${repository}/blobs/uploads/`;
  const begun = await fetch(start, { method: "POST" });
  await begun.arrayBuffer();
  const location = begun.headers.get("location");
  if (begun.status !== 202 || location === null) throw new Error(`POST ${start} answered ${begun.status} with Location ${location}`);
  const upload = new URL(`${location}${location.includes("?") ? "&" : "?"}digest=${digest}`, start);
  const done = await fetch(upload, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: bytes });
  const text = await done.text();
  if (done.status !== 201) throw new Error(`PUT ${upload.pathname} (blob ${digest}) answered ${done.status}: ${text}`);
  const stored = done.headers.get("docker-content-digest");
  if (stored !== digest) throw new Error(`blob upload: the registry says the digest is ${stored}, the bytes sent hash to ${digest}`);
}
