/**
 * Standard five-field cron expressions (minute hour day-of-month month
 * day-of-week), matched against a minute in UTC: the config's `schedule`.
 *
 * Each field is `*` or a comma-separated list of values, ranges (`1-5`) and
 * steps (`*\/15`, `0-30/10`, `5/10` = from 5 to the end in tens); months and
 * days of the week may be named (`JAN`, `mon-fri`), and day of week 7 is
 * Sunday like 0. `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly` and
 * `@yearly` (`@annually`) stand for their usual expressions.
 *
 * Days follow cron's own rule (Vixie cron, POSIX): when both day fields are
 * restricted (neither starts with `*`), a day matches when either does —
 * `0 9 1 * MON` is the first of the month and every Monday.
 */
export interface CronExpression {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 (Sunday) to 6. */
  daysOfWeek: ReadonlySet<number>;
  /** The day-of-month field starts with `*`: the days are then those of the day-of-week field alone (and the other way round). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

export class CronSyntaxError extends Error {}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Names for values, the first standing for `min`. */
  names?: readonly string[];
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day of week", min: 0, max: 7, names: DAY_NAMES },
];

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Parses an expression; a mistake throws CronSyntaxError saying which field is wrong and why. */
export function parseCron(expression: string): CronExpression {
  const source = expression.trim();
  const text = source.startsWith("@") ? MACROS[source.toLowerCase()] : source;
  if (text === undefined) throw new CronSyntaxError(`unknown shorthand ${source} (one of ${Object.keys(MACROS).join(", ")})`);
  const parts = text.split(/\s+/).filter((part) => part !== "");
  if (parts.length !== FIELDS.length) {
    throw new CronSyntaxError(`has ${parts.length} field${parts.length === 1 ? "" : "s"}; a schedule has five: minute hour day-of-month month day-of-week`);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = FIELDS.map((spec, index) => parseField(parts[index] as string, spec)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    source,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    anyDayOfMonth: (parts[2] as string).startsWith("*"),
    anyDayOfWeek: (parts[4] as string).startsWith("*"),
  };
}

/** True when the expression matches the minute `date` falls in, in UTC (seconds are ignored). */
export function cronMatches(expression: CronExpression | string, date: Date): boolean {
  const cron = typeof expression === "string" ? parseCron(expression) : expression;
  if (!cron.minutes.has(date.getUTCMinutes()) || !cron.hours.has(date.getUTCHours()) || !cron.months.has(date.getUTCMonth() + 1)) return false;
  const dayOfMonth = cron.daysOfMonth.has(date.getUTCDate());
  const dayOfWeek = cron.daysOfWeek.has(date.getUTCDay());
  if (cron.anyDayOfMonth || cron.anyDayOfWeek) return dayOfMonth && dayOfWeek;
  return dayOfMonth || dayOfWeek;
}

/** The config's `schedule` (one expression or several): undefined allows any time; otherwise one expression must match. */
export function scheduleAllows(schedule: string | readonly string[] | undefined, date: Date): boolean {
  if (schedule === undefined) return true;
  const expressions = typeof schedule === "string" ? [schedule] : schedule;
  return expressions.some((expression) => cronMatches(expression, date));
}

/** The mistakes in a config's `schedule`, one sentence each, naming the key (`schedule`, or `schedule.1` in a list). */
export function scheduleProblems(schedule: string | readonly string[]): string[] {
  const entries = typeof schedule === "string" ? [{ key: "schedule", expression: schedule }] : schedule.map((expression, index) => ({ key: `schedule.${index}`, expression }));
  return entries.flatMap(({ key, expression }) => {
    try {
      parseCron(expression);
      return [];
    } catch (error) {
      if (!(error instanceof CronSyntaxError)) throw error;
      return [`${key}: ${JSON.stringify(expression)} is not a cron expression: ${error.message}`];
    }
  });
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") throw new CronSyntaxError(`${spec.name} ${JSON.stringify(text)} has an empty list item`);
    const [range = "", step, extra] = item.split("/");
    if (extra !== undefined) throw new CronSyntaxError(`${spec.name} ${JSON.stringify(item)} has more than one "/"`);
    const every = step === undefined ? 1 : stepOf(step, item, spec);
    let from: number;
    let to: number;
    if (range === "*") {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes("-")) {
      const [low = "", high = "", more] = range.split("-");
      if (more !== undefined) throw new CronSyntaxError(`${spec.name} ${JSON.stringify(item)} is not a range like 1-5`);
      [from, to] = [valueOf(low, item, spec), valueOf(high, item, spec)];
      if (from > to) throw new CronSyntaxError(`${spec.name} range ${JSON.stringify(range)} runs backwards`);
    } else {
      from = valueOf(range, item, spec);
      // `5/10`: from 5 to the end of the field in steps of 10.
      to = step === undefined ? from : spec.max;
    }
    for (let value = from; value <= to; value += every) values.add(value);
  }
  return values;
}

function stepOf(text: string, item: string, spec: FieldSpec): number {
  const step = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(step >= 1)) throw new CronSyntaxError(`${spec.name} ${JSON.stringify(item)} has step ${JSON.stringify(text)}; a step is a whole number from 1`);
  return step;
}

function valueOf(text: string, item: string, spec: FieldSpec): number {
  let value: number;
  if (/^\d+$/.test(text)) {
    value = Number(text);
  } else {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named < 0) {
      const names = spec.names ? ` or a name (${spec.names[0]}–${spec.names[spec.names.length - 1]})` : "";
      throw new CronSyntaxError(`${spec.name} ${JSON.stringify(item)}: ${JSON.stringify(text)} is not a number${names}`);
    }
    value = named + spec.min;
  }
  if (value < spec.min || value > spec.max) throw new CronSyntaxError(`${spec.name} ${value} is out of range (${spec.min}-${spec.max})`);
  return value;
}
