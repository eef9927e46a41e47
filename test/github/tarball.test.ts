import { gzipSync } from "node:zlib";
import { pack, type Header } from "tar-stream";
import { describe, expect, it } from "vitest";
import { DEFAULT_TARBALL_LIMITS, readTarball, TarballError, type TarballContents, type TarballLimits } from "../../src/github/tarball.js";

const TOP = "acme-gitops-0123abc";
const MTIME = new Date("2024-05-01T12:00:00Z");

type EntrySpec = Partial<Header> & { name: string; content?: string | Buffer };

/** A real tar archive, written by tar-stream's packer; `before` are raw blocks placed ahead of the packed entries. */
async function tarOf(entries: EntrySpec[], before: Buffer[] = []): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on("data", (chunk) => chunks.push(chunk as Buffer));
    archive.on("end", () => resolve());
    archive.on("error", reject);
  });
  for (const { content, ...header } of entries) {
    const full = { mtime: MTIME, ...header };
    if (content === undefined) archive.entry(full);
    else archive.entry(full, content);
  }
  archive.finalize();
  await done;
  return Buffer.concat([...before, ...chunks]);
}

const gzipOf = async (entries: EntrySpec[], before: Buffer[] = []): Promise<Buffer> => gzipSync(await tarOf(entries, before));

/** One raw 512-byte tar header, for what tar-stream's packer cannot write (GNU long names, pax global headers). */
function rawHeader(name: string, typeflag: string, size: number, format: "ustar" | "gnu"): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, "utf8");
  block.write("0000644\0", 100);
  block.write("0000000\0", 108);
  block.write("0000000\0", 116);
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  block.write(`${Math.floor(MTIME.getTime() / 1000).toString(8).padStart(11, "0")}\0`, 136);
  block.write(typeflag, 156);
  block.write(format === "gnu" ? "ustar  \0" : "ustar\u000000", 257, "latin1");
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

function rawEntry(name: string, typeflag: string, data: Buffer, format: "ustar" | "gnu"): Buffer {
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([rawHeader(name, typeflag, data.length, format), data, padding]);
}

/** What GNU tar writes for a name over 100 bytes: a `././@LongLink` entry holding the name, then the file. */
function gnuLongNameFile(name: string, content: string): Buffer {
  return Buffer.concat([rawEntry("././@LongLink", "L", Buffer.from(`${name}\0`), "gnu"), rawEntry(name, "0", Buffer.from(content), "gnu")]);
}

/** GitHub's tarballs (git archive) start with a pax global header holding the commit. */
const PAX_GLOBAL_HEADER = rawEntry("pax_global_header", "g", Buffer.from(`52 comment=${"0123abc".padEnd(40, "0")}\n`), "ustar");

const readable = (contents: TarballContents) => contents.files.map((file) => ({ path: file.path, text: file.bytes.toString("utf8"), executable: file.executable }));

async function failureOf(promise: Promise<unknown>): Promise<TarballError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TarballError);
  return error as TarballError;
}

const LONG_USTAR = `${TOP}/${"deep/".repeat(25)}app.yaml`; // 143 bytes: ustar name plus prefix
const LONG_PAX = `${TOP}/${"a".repeat(120)}/${"b".repeat(120)}/values.yaml`; // a folder name over 100 bytes: pax
const LONG_GNU = `${TOP}/${"gnu-long-name/".repeat(9)}kustomization.yaml`;

describe("readTarball", () => {
  it("returns the repository's regular files, top folder removed, and says what it skipped and why", async () => {
    const gzipped = await gzipOf(
      [
        { name: `${TOP}/`, type: "directory" },
        { name: `${TOP}/README.md`, content: "# gitops\n" },
        { name: `${TOP}/apps/`, type: "directory" },
        { name: `${TOP}/apps/web/deployment.yaml`, content: "kind: Deployment\n", mode: 0o644 },
        { name: `${TOP}/bin/deploy.sh`, content: "#!/bin/sh\n", mode: 0o755 },
        { name: `${TOP}/bin/group-only.sh`, content: "#!/bin/sh\n", mode: 0o654 },
        { name: `${TOP}/empty.yaml`, content: "" },
        { name: `${TOP}/docs/café.md`, content: "pax path\n" },
        { name: `${TOP}/apps/current`, type: "symlink", linkname: "web" },
        { name: `${TOP}/apps/escape`, type: "symlink", linkname: "/etc/passwd" },
        { name: `${TOP}/apps/web/copy.yaml`, type: "link", linkname: `${TOP}/apps/web/deployment.yaml` },
        { name: `${TOP}/dev/pipe`, type: "fifo" },
        { name: `${TOP}/../evil`, content: "escaped\n" },
        { name: "../evil", content: "escaped\n" },
        { name: "/etc/passwd", content: "root:x:0:0\n" },
        { name: LONG_USTAR, content: "ustar prefix\n" },
        { name: LONG_PAX, content: "pax\n" },
      ],
      [PAX_GLOBAL_HEADER, gnuLongNameFile(LONG_GNU, "gnu\n")],
    );
    const contents = await readTarball(gzipped);
    const strip = (name: string) => name.slice(TOP.length + 1);
    expect(readable(contents)).toEqual([
      { path: "README.md", text: "# gitops\n", executable: false },
      { path: strip(LONG_PAX), text: "pax\n", executable: false },
      { path: "apps/web/deployment.yaml", text: "kind: Deployment\n", executable: false },
      { path: "bin/deploy.sh", text: "#!/bin/sh\n", executable: true },
      { path: "bin/group-only.sh", text: "#!/bin/sh\n", executable: true },
      { path: strip(LONG_USTAR), text: "ustar prefix\n", executable: false },
      { path: "docs/café.md", text: "pax path\n", executable: false },
      { path: "empty.yaml", text: "", executable: false },
      { path: strip(LONG_GNU), text: "gnu\n", executable: false },
    ]);
    expect(contents.files.every((file) => Buffer.isBuffer(file.bytes))).toBe(true);
    expect(contents.skipped).toEqual([
      { path: "../evil", reason: "path leaves the repository" },
      { path: "/etc/passwd", reason: "path leaves the repository" },
      { path: `${TOP}/../evil`, reason: "path leaves the repository" },
      { path: "apps/current", reason: "symbolic link, not followed" },
      { path: "apps/escape", reason: "symbolic link, not followed" },
      { path: "apps/web/copy.yaml", reason: "hard link, not followed" },
    ]);
  });

  it("reads long names the three ways tar writes them", async () => {
    expect([LONG_USTAR.length > 100, LONG_PAX.split("/")[1]!.length > 100, LONG_GNU.length > 100]).toEqual([true, true, true]);
    const contents = await readTarball(await gzipOf([{ name: LONG_PAX, content: "x" }], [gnuLongNameFile(LONG_GNU, "y")]));
    expect(contents.files.map((file) => `${TOP}/${file.path}`)).toEqual([LONG_PAX, LONG_GNU]);
  });

  it("skips entries outside the top folder, and keeps the last of two entries with one path", async () => {
    const contents = await readTarball(
      await gzipOf([
        { name: `${TOP}/a.yaml`, content: "first\n" },
        { name: "other-folder/b.yaml", content: "b\n" },
        { name: "loose.yaml", content: "c\n" },
        { name: `${TOP}/a.yaml`, content: "second\n", mode: 0o755 },
      ]),
    );
    expect(readable(contents)).toEqual([{ path: "a.yaml", text: "second\n", executable: true }]);
    expect(contents.skipped).toEqual([
      { path: "loose.yaml", reason: `outside the tarball's top folder ${TOP}/` },
      { path: "other-folder/b.yaml", reason: `outside the tarball's top folder ${TOP}/` },
    ]);
  });

  it("returns no files for a tarball holding only the top folder", async () => {
    expect(await readTarball(await gzipOf([{ name: `${TOP}/`, type: "directory" }], [PAX_GLOBAL_HEADER]))).toEqual({ files: [], skipped: [] });
  });

  it("has the documented defaults", () => {
    expect(DEFAULT_TARBALL_LIMITS).toEqual({ maxCompressedBytes: 100 * 1024 * 1024, maxTotalBytes: 500 * 1024 * 1024, maxFiles: 50_000 });
  });
});

describe("readTarball limits", () => {
  const limits = (overrides: Partial<TarballLimits>): TarballLimits => ({ ...DEFAULT_TARBALL_LIMITS, ...overrides });
  const files = (count: number): EntrySpec[] => Array.from({ length: count }, (_, index) => ({ name: `${TOP}/f${index}.yaml`, content: "a: 1\n" }));

  it("counts regular files only against maxFiles, and refuses one more", async () => {
    const links: EntrySpec[] = [
      { name: `${TOP}/`, type: "directory" },
      { name: `${TOP}/link`, type: "symlink", linkname: "f0.yaml" },
    ];
    const fits = await readTarball(await gzipOf([...links, ...files(2)]), limits({ maxFiles: 2 }));
    expect(fits.files.map((file) => file.path)).toEqual(["f0.yaml", "f1.yaml"]);
    const error = await failureOf(readTarball(await gzipOf([...links, ...files(3)]), limits({ maxFiles: 2 })));
    expect(error.message).toBe("the tarball holds more than 2 files, over the limit for a repository; it was not read");
  });

  it("refuses a tarball that unpacks to more than maxTotalBytes, tar headers included", async () => {
    const tar = await tarOf([{ name: `${TOP}/big.yaml`, content: "x".repeat(10_000) }]);
    expect(tar.length).toBe(11_776); // a header, 10,000 bytes padded to 10,240, and tar-stream's 1,024-byte end
    const fits = await readTarball(gzipSync(tar), limits({ maxTotalBytes: tar.length }));
    expect(fits.files.map((file) => file.bytes.length)).toEqual([10_000]);
    const error = await failureOf(readTarball(gzipSync(tar), limits({ maxTotalBytes: tar.length - 1 })));
    expect(error.message).toBe("the tarball unpacks to more than 11.5 KiB, over the limit for a repository; it was not read");
  });

  it("stops a gzip bomb of 50 MiB of zeros at a 1 MiB limit", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const error = await failureOf(readTarball(bomb, limits({ maxTotalBytes: 1024 * 1024 })));
    expect(error.message).toBe("the tarball unpacks to more than 1.0 MiB, over the limit for a repository; it was not read");
  });

  it("stops a 1 GiB file inside a 1 MiB tarball early, without unpacking it", async () => {
    const gibibyte = 1024 * 1024 * 1024;
    const tenMiBOfZeros = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    const bomb = Buffer.concat([gzipSync(rawHeader(`${TOP}/huge.yaml`, "0", gibibyte, "ustar")), ...Array.from({ length: 103 }, () => tenMiBOfZeros)]);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const started = performance.now();
    const error = await failureOf(readTarball(bomb, limits({ maxTotalBytes: 1024 * 1024 })));
    expect(error.message).toBe("the tarball unpacks to more than 1.0 MiB, over the limit for a repository; it was not read");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuses a download over maxCompressedBytes before unpacking it", async () => {
    const gzipped = await gzipOf(files(1));
    expect((await readTarball(gzipped, limits({ maxCompressedBytes: gzipped.length }))).files).toHaveLength(1);
    const error = await failureOf(readTarball(gzipped, limits({ maxCompressedBytes: gzipped.length - 1 })));
    expect(error.message).toBe(`the tarball is ${gzipped.length} B, over the limit of ${gzipped.length - 1} B for a downloaded repository; it was not read`);
  });
});

describe("readTarball on input that is not a gzipped tar", () => {
  it.each([
    ["an HTML page", Buffer.from("<!DOCTYPE html><p>Not Found</p>"), "the tarball is not gzip data (it starts with 3c 21 44 4f); expected the gzipped tar that GitHub's tarball endpoint returns"],
    ["nothing", Buffer.alloc(0), "the tarball is not gzip data (it is empty); expected the gzipped tar that GitHub's tarball endpoint returns"],
    ["one byte", Buffer.from([0x1f]), "the tarball is not gzip data (it starts with 1f); expected the gzipped tar that GitHub's tarball endpoint returns"],
    ["an uncompressed tar", null, "the tarball is not gzip data (it starts with 61 63 6d 65); expected the gzipped tar that GitHub's tarball endpoint returns"],
  ])("refuses %s", async (_, input, message) => {
    const bytes = input ?? (await tarOf(files1()));
    expect((await failureOf(readTarball(bytes))).message).toBe(message);
  });

  it("refuses gzip data that is cut short", async () => {
    const gzipped = await gzipOf(files1());
    const error = await failureOf(readTarball(gzipped.subarray(0, gzipped.length - 30)));
    expect(error.message).toBe("the tarball could not be decompressed (unexpected end of file); it may be truncated or corrupt");
  });

  it("refuses gzipped text that is not a tar", async () => {
    const error = await failureOf(readTarball(gzipSync("not a tar archive\n".repeat(40))));
    expect(error.message).toBe("the tarball is not a valid tar archive (Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?)");
  });

  it("refuses a gzipped tar that ends inside an entry", async () => {
    const tar = await tarOf([{ name: `${TOP}/a.yaml`, content: "x".repeat(2000) }]);
    const error = await failureOf(readTarball(gzipSync(tar.subarray(0, 1024))));
    expect(error.message).toBe("the tarball is not a valid tar archive (Unexpected end of data)");
  });
});

function files1(): EntrySpec[] {
  return [{ name: `${TOP}/a.yaml`, content: "a: 1\n" }];
}
