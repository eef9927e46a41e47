import { afterEach, describe, expect, it, vi } from "vitest";
import { progressReporter } from "../../src/cli/progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}

describe("progress on stderr", () => {
  afterEach(() => vi.useRealTimers());

  it("on a terminal, draws after 100 ms, at most every 100 ms, then the last file, and clears the line", () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, writes } = fakeStream(true);
    const progress = progressReporter(stream);
    progress.update(1, 4); // t=0: too soon
    vi.setSystemTime(150);
    progress.update(2, 4);
    vi.setSystemTime(200);
    progress.update(3, 4); // 50 ms after the last draw: skipped
    progress.update(4, 4); // the last file is drawn once anything was
    progress.done();
    expect(writes).toEqual(["\r\u001b[2KScanning 2/4 files…", "\r\u001b[2KScanning 4/4 files…", "\r\u001b[2K"]);
  });

  it("stays quiet for a scan that ends within 100 ms", () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, writes } = fakeStream(true);
    const progress = progressReporter(stream);
    vi.setSystemTime(40);
    progress.update(1, 2);
    progress.update(2, 2);
    progress.done();
    expect(writes).toEqual([]);
  });

  it("writes nothing when stderr is not a terminal", () => {
    vi.useFakeTimers({ now: 0 });
    const { stream, writes } = fakeStream(false);
    const progress = progressReporter(stream);
    vi.setSystemTime(1000);
    progress.update(1, 2);
    progress.update(2, 2);
    progress.done();
    expect(writes).toEqual([]);
  });
});
