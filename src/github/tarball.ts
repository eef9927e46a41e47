import { createGunzip } from "node:zlib";
import { extract, type Header } from "tar-stream";
import { formatBytes } from "../workspace/load.js";

export interface TarballLimits {
  /** The gzipped tarball as downloaded. */
  maxCompressedBytes: number;
  /** The tarball once unpacked: file contents plus tar headers and padding. */
  maxTotalBytes: number;
  /** Regular files kept. */
  maxFiles: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_TARBALL_LIMITS: TarballLimits = { maxCompressedBytes: 100 * MiB, maxTotalBytes: 500 * MiB, maxFiles: 50_000 };

export interface RepositoryFile {
  /** Path inside the repository, with `/` separators (GitHub's top folder removed). */
  path: string;
  bytes: Buffer;
  /** Any of the mode's execute bits is set. */
  executable: boolean;
}

export interface TarballContents {
  /** Regular files, sorted by path. */
  files: RepositoryFile[];
  /** Entries left out on purpose, sorted by path: the repository path, or the name as written in the tarball when it leaves the repository. */
  skipped: { path: string; reason: string }[];
}

/** The tarball as a whole cannot be used: too big, too many files, or not a gzipped tar. */
export class TarballError extends Error {
  override name = "TarballError";
}

/**
 * Reads a repository tarball as `GET /repos/{owner}/{repo}/tarball/{ref}` returns it, in memory:
 * nothing is written to disk, links are not followed, and decompression stops at the limits.
 */
export async function readTarball(gzipped: Uint8Array, limits: TarballLimits = DEFAULT_TARBALL_LIMITS): Promise<TarballContents> {
  if (gzipped.byteLength > limits.maxCompressedBytes) {
    throw new TarballError(`the tarball is ${formatBytes(gzipped.byteLength)}, over the limit of ${formatBytes(limits.maxCompressedBytes)} for a downloaded repository; it was not read`);
  }
  if (gzipped[0] !== 0x1f || gzipped[1] !== 0x8b) {
    const start = gzipped.byteLength === 0 ? "it is empty" : `it starts with ${Buffer.from(gzipped.subarray(0, 4)).toString("hex").replace(/(..)(?!$)/g, "$1 ")}`;
    throw new TarballError(`the tarball is not gzip data (${start}); expected the gzipped tar that GitHub's tarball endpoint returns`);
  }
  const sorter = new EntrySorter(limits.maxFiles);
  await unpack(gzipped, limits.maxTotalBytes, (header, bytes) => sorter.add(header, bytes));
  return sorter.contents();
}

/** Streams gunzip into the tar parser, counting unpacked bytes, so a gzip bomb stops at the limit. */
function unpack(gzipped: Uint8Array, maxUnpackedBytes: number, onEntry: (header: Header, bytes: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const tar = extract();
    let unpacked = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      tar.destroy();
      reject(error);
    };
    gunzip.on("data", (chunk: Buffer) => {
      if (settled) return;
      unpacked += chunk.byteLength;
      if (unpacked > maxUnpackedBytes) {
        fail(new TarballError(`the tarball unpacks to more than ${formatBytes(maxUnpackedBytes)}, over the limit for a repository; it was not read`));
      } else if (!tar.write(chunk)) {
        gunzip.pause();
      }
    });
    gunzip.on("end", () => tar.end(undefined)); // streamx types want an argument; undefined writes nothing
    gunzip.on("error", (error) => fail(new TarballError(`the tarball could not be decompressed (${error.message}); it may be truncated or corrupt`)));
    tar.on("drain", () => gunzip.resume());
    tar.on("error", (error) => fail(new TarballError(`the tarball is not a valid tar archive (${error.message})`)));
    tar.on("finish", () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    tar.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("error", () => {}); // the archive's own "error" reports it
      stream.on("data", (chunk) => chunks.push(chunk as Buffer));
      stream.on("end", () => {
        try {
          onEntry(header, Buffer.concat(chunks)); // a copy: slices would pin whole decompressed chunks
        } catch (error) {
          fail(error);
          return;
        }
        next();
      });
    });
    gunzip.end(gzipped);
  });
}

/** Decides what each tar entry is to the repository, and keeps the regular files. */
class EntrySorter {
  private topFolder: string | undefined;
  private readonly files = new Map<string, RepositoryFile>();
  private readonly skipped: TarballContents["skipped"] = [];

  constructor(private readonly maxFiles: number) {}

  add(header: Header, bytes: Buffer): void {
    if (leavesRepository(header.name)) {
      this.skipped.push({ path: header.name, reason: "path leaves the repository" });
      return;
    }
    const [top, ...rest] = header.name.split("/").filter((segment) => segment !== "" && segment !== ".");
    this.topFolder ??= top;
    const path = rest.join("/");
    if (top !== this.topFolder || (path === "" && header.type !== "directory")) {
      this.skipped.push({ path: header.name, reason: `outside the tarball's top folder ${this.topFolder}/` });
      return;
    }
    if (path === "") return; // the top folder itself
    switch (header.type) {
      case "file":
      case "contiguous-file":
        this.files.set(path, { path, bytes, executable: (header.mode & 0o111) !== 0 });
        if (this.files.size > this.maxFiles) {
          throw new TarballError(`the tarball holds more than ${this.maxFiles} files, over the limit for a repository; it was not read`);
        }
        return;
      case "symlink":
        this.skipped.push({ path, reason: "symbolic link, not followed" });
        return;
      case "link":
        this.skipped.push({ path, reason: "hard link, not followed" });
        return;
      default:
        return; // folders are implied by file paths; devices and fifos have no content
    }
  }

  contents(): TarballContents {
    const files = [...this.files.values()].sort((a, b) => compare(a.path, b.path));
    const skipped = this.skipped.sort((a, b) => compare(a.path, b.path) || compare(a.reason, b.reason));
    return { files, skipped };
  }
}

/** Absolute (POSIX or Windows) or climbing out with `..`: such a name must never become a path. */
function leavesRepository(name: string): boolean {
  return name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes("..");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
