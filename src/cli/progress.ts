const REDRAW_MS = 100;

/**
 * A one-line "Scanning 120/2000 files" on a terminal's stderr, for long scans
 * only: nothing is drawn in the first 100 ms, so quick scans stay quiet.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let lastDraw = Date.now();
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      const finished = done >= total;
      if (finished ? !drawn : now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\u001b[2KScanning ${done}/${total} files…`);
    },
    done() {
      if (drawn) stream.write("\r\u001b[2K");
    },
  };
}
