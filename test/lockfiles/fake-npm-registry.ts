/**
 * A small npm registry for tests: a `node:http` server on 127.0.0.1 that serves packuments (`GET /<name>`) and real
 * gzipped tarballs (`GET /<name>/-/<name>-<version>.tgz`) with their sha512 integrity and sha1 shasum, and records
 * every request it gets. Names listed in `hang` get a request that is never answered.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";

/** name → version → that version's dependencies. */
export type FakePackages = Record<string, Record<string, Record<string, string>>>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FakeNpmRegistry {
  /** "http://127.0.0.1:PORT/" */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests to hung routes whose connection has since been closed by the client. */
  closedHangs: string[];
  tarball(name: string, version: string): { url: string; integrity: string; shasum: string };
  stop(): Promise<void>;
}

/** A real `.tgz` holding `package/package.json`, as `npm pack` would write it. */
async function tarballOf(name: string, version: string, dependencies: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on("data", (chunk) => chunks.push(chunk as Buffer));
    archive.on("end", () => resolve());
    archive.on("error", reject);
  });
  const manifest = JSON.stringify({ name, version, ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}) }, null, 2);
  archive.entry({ name: "package/package.json", mtime: new Date("1985-10-26T08:15:00Z"), mode: 0o644 }, manifest);
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export async function startFakeNpmRegistry(packages: FakePackages, options: { hang?: string[] } = {}): Promise<FakeNpmRegistry> {
  const tarballs = new Map<string, Buffer>();
  for (const [name, versions] of Object.entries(packages)) {
    for (const [version, dependencies] of Object.entries(versions)) {
      tarballs.set(`/${name}/-/${name}-${version}.tgz`, await tarballOf(name, version, dependencies));
    }
  }
  const requests: RecordedRequest[] = [];
  const closedHangs: string[] = [];
  let base = "";
  const tarball = (name: string, version: string) => {
    const bytes = tarballs.get(`/${name}/-/${name}-${version}.tgz`);
    if (!bytes) throw new Error(`the fake registry has no ${name}@${version}`);
    return {
      url: `${base}${name}/-/${name}-${version}.tgz`,
      integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
      shasum: createHash("sha1").update(bytes).digest("hex"),
    };
  };

  const server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? "/").split("?")[0] ?? "/");
    requests.push({ method: request.method ?? "", path, headers: request.headers });
    const name = path.slice(1);
    if (options.hang?.includes(name)) {
      response.on("close", () => closedHangs.push(path));
      return;
    }
    const bytes = tarballs.get(path);
    if (bytes) {
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
      response.end(bytes);
      return;
    }
    const versions = packages[name];
    if (!versions) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "Not found" }));
      return;
    }
    const all = Object.keys(versions);
    const packument = {
      name,
      "dist-tags": { latest: all[all.length - 1] },
      versions: Object.fromEntries(
        Object.entries(versions).map(([version, dependencies]) => {
          const { url, integrity, shasum } = tarball(name, version);
          const deps = Object.keys(dependencies).length > 0 ? { dependencies } : {};
          return [version, { name, version, ...deps, dist: { tarball: url, integrity, shasum } }];
        }),
      ),
    };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/`;
  return {
    url: base,
    port,
    requests,
    closedHangs,
    tarball,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
