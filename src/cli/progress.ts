/** A one-line "Scanning 120/2000 files" on a terminal's stderr; silent anywhere else. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\u001b[2KScanning ${done}/${total} files…`);
    },
    done() {
      if (drawn) stream.write("\r\u001b[2K");
    },
  };
}
