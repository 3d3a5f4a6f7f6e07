import { describe, expect, it } from "vitest";
import { splitByShifts, splitRange, type TTimeWindow } from "./split-range";

const hour = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const lengthsInHours = (buckets: TTimeWindow[]) => buckets.map((bucket) => (bucket.end - bucket.start) / hour);

describe("splitRange in Europe/Berlin", () => {
  const zone = "Europe/Berlin";

  it("makes the spring-forward day 23 hours long (2024-03-31)", () => {
    const days = splitRange(at("2024-03-30T00:00:00+01:00"), at("2024-04-02T00:00:00+02:00"), "day", zone);
    expect(days).toEqual([
      { start: at("2024-03-30T00:00:00+01:00"), end: at("2024-03-31T00:00:00+01:00") },
      { start: at("2024-03-31T00:00:00+01:00"), end: at("2024-04-01T00:00:00+02:00") },
      { start: at("2024-04-01T00:00:00+02:00"), end: at("2024-04-02T00:00:00+02:00") },
    ]);
    expect(lengthsInHours(days)).toEqual([24, 23, 24]);
  });

  it("makes the fall-back day 25 hours long (2024-10-27)", () => {
    const days = splitRange(at("2024-10-26T00:00:00+02:00"), at("2024-10-28T00:00:00+01:00"), "day", zone);
    expect(days.map((day) => day.start)).toEqual([at("2024-10-26T00:00:00+02:00"), at("2024-10-27T00:00:00+02:00")]);
    expect(lengthsInHours(days)).toEqual([24, 25]);
  });

  it("gives the DST days 23 and 25 hourly buckets, each one hour long", () => {
    const spring = splitRange(at("2024-03-31T00:00:00+01:00"), at("2024-04-01T00:00:00+02:00"), "hour", zone);
    expect(spring).toHaveLength(23);
    expect(spring[2]).toEqual({ start: at("2024-03-31T03:00:00+02:00"), end: at("2024-03-31T04:00:00+02:00") });
    const autumn = splitRange(at("2024-10-27T00:00:00+02:00"), at("2024-10-28T00:00:00+01:00"), "hour", zone);
    expect(autumn).toHaveLength(25);
    expect(new Set(lengthsInHours([...spring, ...autumn]))).toEqual(new Set([1]));
  });

  it("starts weeks on Monday at local midnight and clips the first and last to the range", () => {
    const weeks = splitRange(at("2024-03-27T12:00:00+01:00"), at("2024-04-10T06:00:00+02:00"), "week", zone);
    expect(weeks).toEqual([
      { start: at("2024-03-27T12:00:00+01:00"), end: at("2024-04-01T00:00:00+02:00") },
      { start: at("2024-04-01T00:00:00+02:00"), end: at("2024-04-08T00:00:00+02:00") },
      { start: at("2024-04-08T00:00:00+02:00"), end: at("2024-04-10T06:00:00+02:00") },
    ]);
  });

  it("clips days to a range that starts and ends mid-day", () => {
    const days = splitRange(at("2024-06-10T22:00:00+02:00"), at("2024-06-11T06:30:00+02:00"), "day", zone);
    expect(days).toEqual([
      { start: at("2024-06-10T22:00:00+02:00"), end: at("2024-06-11T00:00:00+02:00") },
      { start: at("2024-06-11T00:00:00+02:00"), end: at("2024-06-11T06:30:00+02:00") },
    ]);
  });

  it("returns nothing for an empty or reversed range", () => {
    expect(splitRange(at("2024-06-10T00:00:00Z"), at("2024-06-10T00:00:00Z"), "day", zone)).toEqual([]);
    expect(splitRange(at("2024-06-11T00:00:00Z"), at("2024-06-10T00:00:00Z"), "hour", zone)).toEqual([]);
  });
});

describe("splitRange in other zones", () => {
  it("aligns hours to a half-hour offset (Asia/Kolkata, UTC+05:30)", () => {
    const hours = splitRange(at("2024-06-10T00:00:00Z"), at("2024-06-10T02:00:00Z"), "hour", "Asia/Kolkata");
    expect(hours.map((bucket) => bucket.end)).toEqual([at("2024-06-10T00:30:00Z"), at("2024-06-10T01:30:00Z"), at("2024-06-10T02:00:00Z")]);
  });

  it("starts a day at the clock change when local midnight does not exist (America/Santiago, 2024-09-08)", () => {
    const days = splitRange(at("2024-09-07T00:00:00-04:00"), at("2024-09-09T00:00:00-03:00"), "day", "America/Santiago");
    expect(days.map((day) => day.start)).toEqual([at("2024-09-07T00:00:00-04:00"), at("2024-09-08T01:00:00-03:00")]);
    expect(lengthsInHours(days)).toEqual([24, 23]);
  });
});

describe("splitByShifts", () => {
  it("merges overlapping shifts, keeps back-to-back shifts apart and clips to the range", () => {
    const shifts = [
      { start: 14 * hour, end: 22 * hour },
      { start: 6 * hour, end: 14 * hour },
      { start: 13 * hour, end: 15 * hour },
      { start: 22 * hour, end: 30 * hour },
      { start: 40 * hour, end: 39 * hour },
    ];
    expect(splitByShifts(8 * hour, 24 * hour, shifts)).toEqual([
      { start: 8 * hour, end: 22 * hour },
      { start: 22 * hour, end: 24 * hour },
    ]);
    expect(splitByShifts(8 * hour, 24 * hour, [{ start: 6 * hour, end: 14 * hour }, { start: 14 * hour, end: 22 * hour }])).toEqual([
      { start: 8 * hour, end: 14 * hour },
      { start: 14 * hour, end: 22 * hour },
    ]);
  });

  it("does not change the caller's shifts", () => {
    const shifts = [{ start: 5 * hour, end: 9 * hour }, { start: 1 * hour, end: 6 * hour }];
    splitByShifts(2 * hour, 8 * hour, shifts);
    expect(shifts).toEqual([{ start: 5 * hour, end: 9 * hour }, { start: 1 * hour, end: 6 * hour }]);
  });
});
