import { describe, expect, it } from "vitest";
import { DAY_MS, formatDays, formatGoDuration, HOUR_MS, parseGoDuration } from "../../src/config/go-duration.js";

describe("parseGoDuration", () => {
  it("reads what Go's time.ParseDuration reads, in milliseconds", () => {
    expect(parseGoDuration("2160h")).toBe(90 * DAY_MS);
    expect(parseGoDuration("2160h30m")).toBe(2160 * HOUR_MS + 30 * 60_000);
    expect(parseGoDuration("2160h0m0s")).toBe(90 * DAY_MS);
    expect(parseGoDuration("1.5h")).toBe(1.5 * HOUR_MS);
    expect(parseGoDuration(".5h")).toBe(HOUR_MS / 2);
    expect(parseGoDuration("1m30s")).toBe(90_000);
    expect(parseGoDuration("500ms")).toBe(500);
    expect(parseGoDuration("1500us")).toBe(1.5);
    expect(parseGoDuration("1500µs")).toBe(1.5);
    expect(parseGoDuration("2000000ns")).toBe(2);
    expect(parseGoDuration("0")).toBe(0);
    expect(parseGoDuration("-1h")).toBe(-HOUR_MS);
    expect(parseGoDuration("+1h")).toBe(HOUR_MS);
  });

  it("refuses what Go refuses: days, spaces, bare numbers, empty text", () => {
    for (const text of ["90d", "1 h", " 1h", "1h ", "720", "", "h", ".h", "1H", "1h-30m", "1y"]) expect(parseGoDuration(text), text).toBeUndefined();
  });
});

describe("formatGoDuration and formatDays", () => {
  it("writes durations as cert-manager users do", () => {
    expect(formatGoDuration(720 * HOUR_MS)).toBe("720h");
    expect(formatGoDuration((100 * HOUR_MS) / 3)).toBe("33h20m");
    expect(formatGoDuration(HOUR_MS / 3)).toBe("20m");
    expect(formatGoDuration(90_000)).toBe("1m30s");
    expect(formatGoDuration(0)).toBe("0s");
  });

  it("says how long in the largest unit, to a tenth", () => {
    expect(formatDays(90 * DAY_MS)).toBe("90 days");
    expect(formatDays(DAY_MS)).toBe("1 day");
    expect(formatDays(100 * HOUR_MS)).toBe("4.2 days");
    expect(formatDays(8 * HOUR_MS)).toBe("8 hours");
    expect(formatDays(HOUR_MS)).toBe("1 hour");
    expect(formatDays(20 * 60_000)).toBe("20 minutes");
    expect(formatDays(30_000)).toBe("30 seconds");
    expect(formatDays(0)).toBe("0 seconds");
  });
});
