/**
 * Go durations (`time.ParseDuration`), as cert-manager reads `duration` and
 * `renewBefore`: a sequence of decimal numbers, each with a unit — "2160h",
 * "1h30m", "1.5h", "500ms". There is no day unit: "90d" is not a duration.
 */

const MS_PER: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Milliseconds, or undefined when Go would refuse the text ("90d", "", "1 h"). "0" is the one value without a unit. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  while (rest !== "") {
    const part = PART.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * (MS_PER[part[2] as string] as number);
    rest = rest.slice(part[0].length);
  }
  return sign * total;
}

/** A duration as cert-manager users write it: "720h", "33h20m", "20m", "1m30s" (whole seconds; "0s" for zero). */
export function formatGoDuration(ms: number): string {
  let seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const text = `${hours > 0 ? `${hours}h` : ""}${minutes > 0 ? `${minutes}m` : ""}${seconds > 0 ? `${seconds}s` : ""}`;
  return text === "" ? "0s" : text;
}

/** For people: "90 days", "4.2 days", "1 day", "8 hours", "20 minutes", "30 seconds". */
export function formatDays(ms: number): string {
  const units: [number, string][] = [
    [DAY_MS, "day"],
    [HOUR_MS, "hour"],
    [60_000, "minute"],
    [1_000, "second"],
  ];
  const [size, unit] = units.find(([size]) => Math.abs(ms) >= size) ?? [1_000, "second"];
  const count = Math.round((ms / size) * 10) / 10;
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
