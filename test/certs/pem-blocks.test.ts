import { describe, expect, it } from "vitest";
import { canonicalPem, isStrictBase64, pemBeginOffsets, pemBlocks } from "../../src/certs/pem-blocks.js";

const CERT = "-----BEGIN CERTIFICATE-----\nAAAA\nBBBB\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nCCCC\n-----END PRIVATE KEY-----\n";

describe("pemBlocks", () => {
  it("splits a bundle into its blocks, each with its label, offsets and base64 body", () => {
    const text = `# a comment\n${CERT}${CERT.replace("AAAA", "DDDD")}${KEY}`;
    const blocks = pemBlocks(text);
    expect(blocks.map((block) => [block.label, block.start, block.end, block.base64, block.complete])).toEqual([
      ["CERTIFICATE", 12, 12 + CERT.length - 1, "AAAABBBB", true],
      ["CERTIFICATE", 12 + CERT.length, 12 + 2 * CERT.length - 1, "DDDDBBBB", true],
      ["PRIVATE KEY", 12 + 2 * CERT.length, 12 + 2 * CERT.length + KEY.length - 1, "CCCC", true],
    ]);
    expect(text.slice(blocks[1]!.start, blocks[1]!.end)).toBe(CERT.replace("AAAA", "DDDD").trimEnd());
  });

  it("marks a block whose END line is missing, before the next block or the end of the text", () => {
    const text = `-----BEGIN CERTIFICATE-----\nAAAA\n${CERT}-----BEGIN CERTIFICATE-----\nEEEE`;
    expect(pemBlocks(text).map((block) => [block.base64, block.complete])).toEqual([
      ["AAAA", false],
      ["AAAABBBB", true],
      ["EEEE", false],
    ]);
  });

  it("does not take another label's END line", () => {
    const text = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n";
    expect(pemBlocks(text).map((block) => block.complete)).toEqual([false]);
  });

  it("reads the headers of legacy encrypted keys, and CRLF line ends", () => {
    const text = "-----BEGIN EC PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-128-CBC,00FF\r\n\r\nQUJD\r\nREVG\r\n-----END EC PRIVATE KEY-----\r\n";
    const [block] = pemBlocks(text);
    expect(Object.fromEntries(block!.headers)).toEqual({ "Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00FF" });
    expect(block!.base64).toBe("QUJDREVG");
  });

  it("finds blocks in folded text (a YAML plain or folded scalar joins lines with spaces)", () => {
    expect(pemBlocks("-----BEGIN CERTIFICATE----- AAAA BBBB -----END CERTIFICATE-----").map((block) => [block.base64, block.complete])).toEqual([["AAAABBBB", true]]);
  });

  it("finds nothing in text without a BEGIN line", () => {
    expect(pemBlocks("hello\n-----END CERTIFICATE-----\n")).toEqual([]);
  });
});

describe("pemBeginOffsets", () => {
  it("gives where each BEGIN line starts in the raw text, as pemBlocks numbers them", () => {
    const raw = `  ${CERT.replaceAll("\n", "\n  ")}`;
    expect(pemBeginOffsets(raw + raw)).toEqual([2, raw.length + 2]);
  });
});

describe("isStrictBase64", () => {
  it.each([
    ["QUJD", true],
    ["QUI=", true],
    ["QQ==", true],
    ["", true],
    ["QUJ", false],
    ["QU J", false],
    ["QUJ!", false],
    ["Q===", false],
  ])("%j → %s", (text, expected) => expect(isStrictBase64(text)).toBe(expected));
});

describe("canonicalPem", () => {
  it("wraps the body at 64 columns", () => {
    expect(canonicalPem("CERTIFICATE", "A".repeat(70))).toBe(`-----BEGIN CERTIFICATE-----\n${"A".repeat(64)}\nAAAAAA\n-----END CERTIFICATE-----\n`);
  });
});
