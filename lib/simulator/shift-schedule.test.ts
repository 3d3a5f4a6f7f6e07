import { describe, expect, it } from "vitest";
import { ShiftSchedule } from "./shift-schedule";

const hour = 3_600_000;

describe("shift schedule (America/Detroit)", () => {
  const schedule = new ShiftSchedule("America/Detroit");

  it("starts shifts at 06:00, 14:00 and 22:00 local time", () => {
    const shifts = schedule.shiftsBetween(Date.UTC(2025, 10, 25, 11), Date.UTC(2025, 10, 26, 11));
    expect(shifts.map((shift) => new Date(shift.start).toISOString())).toEqual([
      "2025-11-25T11:00:00.000Z", "2025-11-25T19:00:00.000Z", "2025-11-26T03:00:00.000Z",
    ]);
    expect(shifts.every((shift) => shift.end - shift.start === 8 * hour)).toBe(true);
  });

  it("follows daylight saving time: summer offset, and a 9-hour night shift when clocks go back", () => {
    expect(schedule.shiftsBetween(Date.UTC(2025, 6, 1, 10), Date.UTC(2025, 6, 1, 10, 1))[0]?.start).toBe(Date.UTC(2025, 6, 1, 10));
    // 2025-11-02 02:00 EDT → 01:00 EST.
    const night = schedule.shiftsBetween(Date.UTC(2025, 10, 2, 3), Date.UTC(2025, 10, 2, 3, 1))[0];
    expect(night && { start: night.start, hours: (night.end - night.start) / hour }).toEqual({ start: Date.UTC(2025, 10, 2, 2), hours: 9 });
  });

  it("tells work, break and off periods and when they end", () => {
    const shiftStart = Date.UTC(2025, 10, 25, 11);
    expect(schedule.segmentAt(shiftStart)).toMatchObject({ status: "work", until: shiftStart + 2 * hour });
    expect(schedule.segmentAt(shiftStart + 2 * hour + 60_000)).toMatchObject({ status: "break", until: shiftStart + 2 * hour + 10 * 60_000 });
    expect(schedule.segmentAt(shiftStart + 7 * hour)).toMatchObject({ status: "work", until: shiftStart + 8 * hour });

    const weekdays = new ShiftSchedule("America/Detroit", { startHours: [6], lengthHours: 8, days: [1, 2, 3, 4, 5], breaks: [] });
    // Saturday 2025-11-29 noon local: off until Monday 06:00.
    expect(weekdays.segmentAt(Date.UTC(2025, 10, 29, 17))).toMatchObject({ status: "off", until: Date.UTC(2025, 11, 1, 11) });
  });
});
