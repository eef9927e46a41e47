import { describe, expect, it } from "vitest";
import { CronSyntaxError, cronMatches, parseCron, scheduleAllows, scheduleProblems } from "../../src/config/cron-match.js";
import { ConfigError, parseConfig } from "../../src/config/load.js";

const at = (iso: string) => new Date(iso);
/** Every minute of a UTC day (2024-06-03 is a Monday) the expression matches, as "HH:MM". */
const minutesOn = (expression: string, day = "2024-06-03") => {
  const start = Date.parse(`${day}T00:00:00Z`);
  const hits: string[] = [];
  for (let minute = 0; minute < 24 * 60; minute += 1) {
    const date = new Date(start + minute * 60_000);
    if (cronMatches(expression, date)) hits.push(date.toISOString().slice(11, 16));
  }
  return hits;
};
/** The days of June 2024 (the 1st is a Saturday) on which the expression matches at 00:00. */
const daysOfJune = (expression: string) =>
  Array.from({ length: 30 }, (_, index) => index + 1).filter((day) => cronMatches(expression, at(`2024-06-${String(day).padStart(2, "0")}T00:00:00Z`)));

describe("cron expressions", () => {
  it("matches numbers, lists, ranges and steps in the minute and hour fields", () => {
    expect(minutesOn("30 2 * * *")).toEqual(["02:30"]);
    expect(minutesOn("0,30 9 * * *")).toEqual(["09:00", "09:30"]);
    expect(minutesOn("0 9-11 * * *")).toEqual(["09:00", "10:00", "11:00"]);
    expect(minutesOn("*/20 1 * * *")).toEqual(["01:00", "01:20", "01:40"]);
    expect(minutesOn("10-40/15 1 * * *")).toEqual(["01:10", "01:25", "01:40"]);
    expect(minutesOn("50/5 23 * * *")).toEqual(["23:50", "23:55"]);
    expect(minutesOn("0 */8 * * *")).toEqual(["00:00", "08:00", "16:00"]);
    expect(minutesOn("* 5 * * *")).toHaveLength(60);
    expect(minutesOn("0 0,12-13,22 * * *")).toEqual(["00:00", "12:00", "13:00", "22:00"]);
  });

  it("reads the time in UTC and ignores seconds", () => {
    expect(cronMatches("0 3 * * *", at("2024-06-03T03:00:59.999Z"))).toBe(true);
    expect(cronMatches("0 3 * * *", at("2024-06-03T05:00:00+02:00"))).toBe(true);
    expect(cronMatches("0 3 * * *", at("2024-06-03T03:01:00Z"))).toBe(false);
  });

  it("names months and days of the week, in any case, in ranges too; 0 and 7 are both Sunday", () => {
    expect(daysOfJune("0 0 * * MON-FRI")).toEqual([3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28]);
    expect(daysOfJune("0 0 * * sat,Sun")).toEqual([1, 2, 8, 9, 15, 16, 22, 23, 29, 30]);
    expect(daysOfJune("0 0 * * 7")).toEqual(daysOfJune("0 0 * * 0"));
    expect(daysOfJune("0 0 * * 5-7")).toEqual([1, 2, 7, 8, 9, 14, 15, 16, 21, 22, 23, 28, 29, 30]);
    expect(cronMatches("0 0 1 jun *", at("2024-06-01T00:00:00Z"))).toBe(true);
    expect(cronMatches("0 0 1 JAN-MAY,JUL *", at("2024-06-01T00:00:00Z"))).toBe(false);
    expect(cronMatches("0 0 1 6 *", at("2024-06-01T00:00:00Z"))).toBe(true);
  });

  it("matches a day when either day field does, unless one of them starts with *", () => {
    // The 1st and 15th, and every Monday.
    expect(daysOfJune("0 0 1,15 * MON")).toEqual([1, 3, 10, 15, 17, 24]);
    // Every other day of the month, but only Mondays of them.
    expect(daysOfJune("0 0 */2 * MON")).toEqual([3, 17]);
    expect(daysOfJune("0 0 1-3 * *")).toEqual([1, 2, 3]);
    // Never: there is no 30 February.
    expect(daysOfJune("0 0 30 2 *")).toEqual([]);
  });

  it("knows the usual shorthands", () => {
    expect(minutesOn("@hourly")).toHaveLength(24);
    expect(minutesOn("@daily")).toEqual(["00:00"]);
    expect(minutesOn("@midnight")).toEqual(["00:00"]);
    expect(daysOfJune("@weekly")).toEqual([2, 9, 16, 23, 30]);
    expect(daysOfJune("@monthly")).toEqual([1]);
    expect(cronMatches("@yearly", at("2025-01-01T00:00:00Z"))).toBe(true);
    expect(cronMatches("@annually", at("2025-01-02T00:00:00Z"))).toBe(false);
  });

  it("says which field is wrong and why", () => {
    const problem = (expression: string) => {
      try {
        parseCron(expression);
        return "parsed";
      } catch (error) {
        expect(error).toBeInstanceOf(CronSyntaxError);
        return (error as Error).message;
      }
    };
    expect(problem("0 3 * *")).toBe("has 4 fields; a schedule has five: minute hour day-of-month month day-of-week");
    expect(problem("0 0 3 * * *")).toBe("has 6 fields; a schedule has five: minute hour day-of-month month day-of-week");
    expect(problem("")).toBe("has 0 fields; a schedule has five: minute hour day-of-month month day-of-week");
    expect(problem("60 3 * * *")).toBe("minute 60 is out of range (0-59)");
    expect(problem("0 24 * * *")).toBe("hour 24 is out of range (0-23)");
    expect(problem("0 0 0 * *")).toBe("day of month 0 is out of range (1-31)");
    expect(problem("0 0 * 13 *")).toBe("month 13 is out of range (1-12)");
    expect(problem("0 0 * * 8")).toBe("day of week 8 is out of range (0-7)");
    expect(problem("0 0 * * MONDAY")).toBe('day of week "MONDAY": "MONDAY" is not a number or a name (SUN–SAT)');
    expect(problem("0 0 * FOO *")).toBe('month "FOO": "FOO" is not a number or a name (JAN–DEC)');
    expect(problem("x 0 * * *")).toBe('minute "x": "x" is not a number');
    expect(problem("*/0 * * * *")).toBe('minute "*/0" has step "0"; a step is a whole number from 1');
    expect(problem("1/2/3 * * * *")).toBe('minute "1/2/3" has more than one "/"');
    expect(problem("5-1 * * * *")).toBe('minute range "5-1" runs backwards');
    expect(problem("1-2-3 * * * *")).toBe('minute "1-2-3" is not a range like 1-5');
    expect(problem("1,,2 * * * *")).toBe('minute "1,,2" has an empty list item');
    expect(problem("-1 * * * *")).toBe('minute "-1": "" is not a number');
    expect(problem("@often")).toBe("unknown shorthand @often (one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)");
    expect(problem("  0   3 * * 1  ")).toBe("parsed");
  });

  it("lets a schedule allow any time when unset, and a list allow the minutes of any of its expressions", () => {
    const monday9 = at("2024-06-03T09:00:00Z");
    expect(scheduleAllows(undefined, monday9)).toBe(true);
    expect(scheduleAllows("* 9 * * MON", monday9)).toBe(true);
    expect(scheduleAllows("* * * * SAT,SUN", monday9)).toBe(false);
    expect(scheduleAllows(["* * * * SAT,SUN", "0 9 * * *"], monday9)).toBe(true);
    expect(scheduleAllows(["* * * * SAT,SUN", "1 9 * * *"], monday9)).toBe(false);
  });
});

describe("schedule in the config", () => {
  const configError = (text: string) => {
    try {
      parseConfig(text, ".shipshape.yml");
      return "valid";
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it("accepts one expression or a list", () => {
    expect(configError('schedule: "* 0-6 * * *"\n')).toBe("valid");
    expect(configError('schedule: ["* * * * SAT,SUN", "@daily"]\n')).toBe("valid");
    expect(parseConfig('schedule: "* * * * 6,0"\n', ".shipshape.yml").schedule).toBe("* * * * 6,0");
  });

  it("names `schedule` (and the entry of a list) when an expression is wrong", () => {
    expect(configError('schedule: "0 25 * * *"\n')).toBe('.shipshape.yml: invalid configuration\n  - schedule: "0 25 * * *" is not a cron expression: hour 25 is out of range (0-23)');
    expect(configError('schedule:\n  - "@daily"\n  - "every monday"\n  - "0 9 * * MON-FRI"\n  - "0 9 * *"\n')).toBe(
      [
        ".shipshape.yml: invalid configuration",
        '  - schedule.1: "every monday" is not a cron expression: has 2 fields; a schedule has five: minute hour day-of-month month day-of-week',
        '  - schedule.3: "0 9 * *" is not a cron expression: has 4 fields; a schedule has five: minute hour day-of-month month day-of-week',
      ].join("\n"),
    );
    expect(scheduleProblems([])).toEqual([]);
  });

  it("leaves the schema's own errors to the schema", () => {
    expect(configError("schedule: 3\n")).toContain("  - schedule: must be string");
    expect(configError("schedule: []\n")).toContain("schedule");
  });
});
