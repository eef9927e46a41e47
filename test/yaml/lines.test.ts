import { describe, expect, it } from "vitest";
import { LineIndex } from "../../src/yaml/lines.js";

function pos(text: string, offset: number): [number, number] {
  const { line, column } = new LineIndex(text).position(offset);
  return [line, column];
}

describe("LineIndex.position", () => {
  const text = "abc\ndef\n";

  it("puts the first character at line 1, column 1", () => {
    expect(pos(text, 0)).toEqual([1, 1]);
  });

  it("counts columns from 1 within a line, the newline included", () => {
    expect(pos(text, 2)).toEqual([1, 3]);
    expect(pos(text, 3)).toEqual([1, 4]);
  });

  it("starts the next line right after a newline", () => {
    expect(pos(text, 4)).toEqual([2, 1]);
    expect(pos(text, 7)).toEqual([2, 4]);
    expect(pos(text, 8)).toEqual([3, 1]);
  });

  it("treats CRLF as one line break, the `\\r` still belonging to its line", () => {
    const crlf = "a: 1\r\nb: 2\r\n";
    expect(pos(crlf, 4)).toEqual([1, 5]);
    expect(pos(crlf, 5)).toEqual([1, 6]);
    expect(pos(crlf, 6)).toEqual([2, 1]);
    expect(pos(crlf, 9)).toEqual([2, 4]);
    expect(pos(crlf, 12)).toEqual([3, 1]);
  });

  it("handles a last line without a trailing newline", () => {
    expect(pos("x\nyz", 2)).toEqual([2, 1]);
    expect(pos("x\nyz", 3)).toEqual([2, 2]);
    expect(pos("x\nyz", 4)).toEqual([2, 3]);
  });

  it("keeps offsets past the end on the last line", () => {
    expect(pos("ab\ncd", 10)).toEqual([2, 8]);
  });

  it("gives every empty line its own number", () => {
    expect([0, 1, 2, 3].map((offset) => pos("\n\n\n", offset))).toEqual([[1, 1], [2, 1], [3, 1], [4, 1]]);
  });

  it("works on an empty text", () => {
    expect(pos("", 0)).toEqual([1, 1]);
  });

  it("counts columns in UTF-16 code units", () => {
    // "é" is one code unit, "😀" two
    expect(pos("é😀x\n", 3)).toEqual([1, 4]);
  });

  it("agrees with a line-by-line count on a long text of uneven lines", () => {
    const lines = Array.from({ length: 997 }, (_, i) => "x".repeat((i * 7) % 23));
    const long = lines.join("\n");
    const index = new LineIndex(long);
    let offset = 0;
    lines.forEach((line, i) => {
      expect(index.position(offset)).toEqual({ line: i + 1, column: 1 });
      expect(index.position(offset + line.length)).toEqual({ line: i + 1, column: line.length + 1 });
      offset += line.length + 1;
    });
  });
});

describe("LineIndex.offsetOfLine", () => {
  const index = new LineIndex("ab\ncd\r\nef");

  it("gives the offset where each 1-based line starts", () => {
    expect([1, 2, 3].map((line) => index.offsetOfLine(line))).toEqual([0, 3, 7]);
  });

  it("clamps lines before the first and after the last", () => {
    expect(index.offsetOfLine(0)).toBe(0);
    expect(index.offsetOfLine(-3)).toBe(0);
    expect(index.offsetOfLine(99)).toBe(7);
  });

  it("round-trips with position", () => {
    expect(index.position(index.offsetOfLine(3))).toEqual({ line: 3, column: 1 });
    expect(new LineIndex("").offsetOfLine(1)).toBe(0);
  });
});
