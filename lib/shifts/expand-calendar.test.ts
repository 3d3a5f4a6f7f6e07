import { describe, expect, it } from "vitest";
import { ZShiftException, ZShiftPattern, type TShiftException, type TShiftPattern } from "./calendar-schema";
import { expandCalendar, localDate } from "./expand-calendar";

const iso = (ms: number) => new Date(ms).toISOString();
const at = (value: string) => Date.parse(value);

const threeShifts: TShiftPattern = ZShiftPattern.parse({
  validFrom: "2026-01-01",
  shifts: [
    { name: "Early", start: "06:00", end: "14:00", days: [1, 2, 3, 4, 5], breaks: [{ start: "09:00", end: "09:15" }, { start: "11:30", end: "12:00" }] },
    { name: "Late", start: "14:00", end: "22:00", days: [1, 2, 3, 4, 5] },
    { name: "Night", start: "22:00", end: "06:00", days: [1, 2, 3, 4, 5], breaks: [{ start: "02:00", end: "02:30" }] },
  ],
});

describe("expandCalendar", () => {
  it("turns a weekly pattern into instants in the site's zone, with breaks, night shifts crossing midnight", () => {
    // Wednesday 2026-12-02 in Berlin (UTC+1).
    const shifts = expandCalendar({ timeZone: "Europe/Berlin", patterns: [threeShifts], exceptions: [] }, at("2026-12-02T00:00:00Z"), at("2026-12-03T00:00:00Z"));
    expect(shifts.map((shift) => [shift.name, shift.date, iso(shift.start), iso(shift.end)])).toEqual([
      ["Night", "2026-12-01", "2026-12-01T21:00:00.000Z", "2026-12-02T05:00:00.000Z"],
      ["Early", "2026-12-02", "2026-12-02T05:00:00.000Z", "2026-12-02T13:00:00.000Z"],
      ["Late", "2026-12-02", "2026-12-02T13:00:00.000Z", "2026-12-02T21:00:00.000Z"],
      ["Night", "2026-12-02", "2026-12-02T21:00:00.000Z", "2026-12-03T05:00:00.000Z"],
    ]);
    expect(shifts[0]?.breaks.map((pause) => [iso(pause.start), iso(pause.end)])).toEqual([["2026-12-02T01:00:00.000Z", "2026-12-02T01:30:00.000Z"]]);
    expect(shifts[1]?.breaks.map((pause) => iso(pause.start))).toEqual(["2026-12-02T08:00:00.000Z", "2026-12-02T10:30:00.000Z"]);
  });

  it("has no shifts on days the pattern leaves out: Friday's night shift ends Saturday morning, then nothing until Monday", () => {
    const shifts = expandCalendar({ timeZone: "Europe/Berlin", patterns: [threeShifts], exceptions: [] }, at("2026-12-05T00:00:00Z"), at("2026-12-07T00:00:00Z"));
    expect(shifts.map((shift) => `${shift.name} ${shift.date}`)).toEqual(["Night 2026-12-04"]);
  });

  it("keeps wall-clock times across daylight saving: the spring-forward night shift is 7 h, the fall-back one 9 h", () => {
    const calendar = { timeZone: "Europe/Berlin", patterns: [{ ...threeShifts, shifts: threeShifts.shifts.map((shift) => ({ ...shift, days: [1, 2, 3, 4, 5, 6, 7] })) }], exceptions: [] };
    const spring = expandCalendar(calendar, at("2026-03-28T20:00:00Z"), at("2026-03-29T06:00:00Z")).find((shift) => shift.name === "Night" && shift.date === "2026-03-28");
    const autumn = expandCalendar(calendar, at("2026-10-24T19:00:00Z"), at("2026-10-25T06:00:00Z")).find((shift) => shift.name === "Night" && shift.date === "2026-10-24");
    expect(spring && (spring.end - spring.start) / 3_600_000).toBe(7);
    expect(autumn && (autumn.end - autumn.start) / 3_600_000).toBe(9);
    // The 02:00–02:30 break falls into the skipped hour: it is taken when the clock reads 03:00–03:30 (CEST).
    expect(spring?.breaks.map((pause) => [iso(pause.start), iso(pause.end)])).toEqual([["2026-03-29T01:00:00.000Z", "2026-03-29T01:30:00.000Z"]]);
  });

  it("applies exceptions: a holiday closes the day, 'replace' swaps its shifts, 'add' is overtime besides them", () => {
    const exceptions: TShiftException[] = [
      ZShiftException.parse({ date: "2026-12-24", mode: "closed", note: "Christmas Eve" }),
      ZShiftException.parse({ date: "2026-12-23", mode: "replace", shifts: [{ name: "Short", start: "06:00", end: "12:00" }] }),
      ZShiftException.parse({ date: "2026-12-19", mode: "add", note: "Saturday overtime", shifts: [{ name: "Overtime", start: "08:00", end: "12:00" }] }),
    ];
    const calendar = { timeZone: "Europe/Berlin", patterns: [threeShifts], exceptions };
    const names = (fromIso: string, toIso: string) => expandCalendar(calendar, at(fromIso), at(toIso)).map((shift) => `${shift.name} ${shift.date}`);
    expect(names("2026-12-23T00:00:00Z", "2026-12-25T00:00:00Z")).toEqual(["Night 2026-12-22", "Short 2026-12-23"]);
    expect(names("2026-12-19T00:00:00Z", "2026-12-20T00:00:00Z")).toEqual(["Night 2026-12-18", "Overtime 2026-12-19"]);
  });

  it("uses the pattern in force on each date, so a change from a date on leaves earlier weeks as they were planned", () => {
    const dayOnly = ZShiftPattern.parse({ validFrom: "2026-12-07", shifts: [{ name: "Day", start: "07:00", end: "15:30", days: [1, 2, 3, 4, 5] }] });
    const calendar = { timeZone: "America/Detroit", patterns: [dayOnly, threeShifts], exceptions: [] };
    const shifts = expandCalendar(calendar, at("2026-12-04T12:00:00Z"), at("2026-12-08T12:00:00Z"));
    expect(shifts.map((shift) => `${shift.name} ${shift.date}`)).toEqual(["Early 2026-12-04", "Late 2026-12-04", "Night 2026-12-04", "Day 2026-12-07"]);
    expect(iso(shifts.at(-1)?.start ?? 0)).toBe("2026-12-07T12:00:00.000Z");
  });

  it("returns nothing for an empty or inverted range and the local date in the site's zone", () => {
    expect(expandCalendar({ timeZone: "UTC", patterns: [threeShifts], exceptions: [] }, 10, 10)).toEqual([]);
    expect(localDate(at("2026-12-04T23:30:00Z"), "Europe/Berlin")).toBe("2026-12-05");
    expect(localDate(at("2026-12-04T23:30:00Z"), "America/Detroit")).toBe("2026-12-04");
  });
});

describe("shift calendar validation", () => {
  const issues = (value: unknown) => ZShiftPattern.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

  it("accepts touching shifts and refuses overlapping ones, also across midnight and from Sunday into Monday", () => {
    expect(issues(threeShifts)).toEqual([]);
    expect(issues({ validFrom: "2026-01-01", shifts: [
      { name: "A", start: "06:00", end: "14:00", days: [1] },
      { name: "B", start: "13:00", end: "21:00", days: [1] },
    ] })).toEqual(['"A" and "B" overlap on Monday']);
    expect(issues({ validFrom: "2026-01-01", shifts: [
      { name: "Sunday night", start: "22:00", end: "06:00", days: [7] },
      { name: "Monday early", start: "05:00", end: "13:00", days: [1] },
    ] })).toEqual(['"Sunday night" and "Monday early" overlap on Monday']);
  });

  it("refuses breaks outside their shift or overlapping, bad times and dates, empty days", () => {
    expect(issues({ validFrom: "2026-01-01", shifts: [{ name: "Night", start: "22:00", end: "06:00", days: [1], breaks: [{ start: "21:00", end: "21:30" }] }] }))
      .toEqual(["break 1 must lie inside the shift (22:00–06:00)"]);
    expect(issues({ validFrom: "2026-01-01", shifts: [{ name: "A", start: "06:00", end: "14:00", days: [1], breaks: [{ start: "09:00", end: "09:30" }, { start: "09:15", end: "09:45" }] }] }))
      .toEqual(["breaks must not overlap"]);
    expect(issues({ validFrom: "2026-02-30", shifts: [] })).toEqual(["must be a real date between 2000 and 2100"]);
    expect(issues({ validFrom: "2026-01-01", shifts: [{ name: "A", start: "6:00", end: "24:00", days: [] }] })).toEqual([
      "must be a 24-hour time HH:MM, e.g. 06:00 or 22:30", "must be a 24-hour time HH:MM, e.g. 06:00 or 22:30", "pick at least one day",
    ]);
    expect(ZShiftException.safeParse({ date: "2026-12-24", mode: "replace", shifts: [] }).error?.issues[0]?.message).toBe("add at least one shift (or mark the day closed)");
  });
});

describe("the demo plant's calendar", () => {
  it("plans exactly the shifts and breaks the simulator works to, over weeks with both DST changes", async () => {
    const { demoShiftPattern } = await import("../seed/demo-plant");
    const { ShiftSchedule } = await import("../simulator/shift-schedule");
    const simulator = new ShiftSchedule("America/Detroit");
    for (const [fromIso, toIso] of [["2026-03-05T00:00:00Z", "2026-03-12T00:00:00Z"], ["2026-10-29T00:00:00Z", "2026-11-05T00:00:00Z"]] as const) {
      const planned = expandCalendar({ timeZone: "America/Detroit", patterns: [demoShiftPattern()], exceptions: [] }, at(fromIso), at(toIso));
      expect(planned.map(({ start, end, breaks }) => ({ start, end, breaks }))).toEqual(simulator.shiftsBetween(at(fromIso), at(toIso)));
    }
  });
});
