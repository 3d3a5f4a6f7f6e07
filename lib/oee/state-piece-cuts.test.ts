import { describe, expect, it } from "vitest";
import { ZShiftPattern } from "../shifts/calendar-schema";
import { sumStoredPieces } from "./load-state-pieces";
import { statePieceCuts } from "./state-piece-cuts";

const iso = (ms: number) => new Date(ms).toISOString();
const at = (value: string) => Date.parse(value);
const minute = 60_000;
const hour = 60 * minute;

const pattern = ZShiftPattern.parse({
  validFrom: "2026-01-01",
  shifts: [
    { name: "Early", start: "06:00", end: "14:00", days: [1, 2, 3, 4, 5], breaks: [{ start: "09:15", end: "09:30" }, { start: "12:00", end: "12:20" }] },
    { name: "Late", start: "14:00", end: "22:30", days: [1, 2, 3, 4, 5] },
  ],
});

describe("statePieceCuts", () => {
  it("lists the calendar's shift and break edges that fall inside an hour, in order, in the site's zone", () => {
    // Wednesday 2026-12-02 in Berlin (UTC+1): on-the-hour edges (06:00, 12:00, 14:00) need no cut.
    const cuts = statePieceCuts({ timeZone: "Europe/Berlin", patterns: [pattern], exceptions: [] }, "Europe/Berlin", at("2026-12-02T00:00:00Z"), at("2026-12-03T00:00:00Z"));
    expect(cuts.map(iso)).toEqual(["2026-12-02T08:15:00.000Z", "2026-12-02T08:30:00.000Z", "2026-12-02T11:20:00.000Z", "2026-12-02T21:30:00.000Z"]);
  });

  it("adds local midnights of a zone whose days start mid-hour, and only instants strictly inside the range", () => {
    const cuts = statePieceCuts(undefined, "Asia/Kolkata", at("2026-12-01T18:30:00Z"), at("2026-12-03T18:30:00Z"));
    expect(cuts.map(iso)).toEqual(["2026-12-02T18:30:00.000Z"]);
    expect(statePieceCuts(undefined, "Europe/Berlin", at("2026-12-01T00:00:00Z"), at("2026-12-05T00:00:00Z"))).toEqual([]);
  });
});

describe("sumStoredPieces", () => {
  const origin = at("2026-12-02T10:00:00Z");
  const id = "machine";
  // One hour stored as three pieces cut at :15 and :30, then a whole hour.
  const pieces = [
    { start: origin, end: origin + 15 * minute, spans: [10_000, 15 * minute] },
    { start: origin + 15 * minute, end: origin + 30 * minute, spans: [10_000, 5 * minute, 180_000, 10 * minute] },
    { start: origin + 30 * minute, end: origin + hour, spans: [10_000, 30 * minute] },
    { start: origin + hour, end: origin + 2 * hour, spans: [10_000, 50 * minute, 150_000, 10 * minute] },
  ];

  it("sums pieces per segment when the boundaries fall on piece edges, and reads nothing raw", () => {
    const boundaries = new Map([[id, [origin, origin + 15 * minute, origin + 30 * minute, origin + 2 * hour]]]);
    const summed = sumStoredPieces([id], boundaries, [origin + 2 * hour], origin, [pieces]);
    expect(summed.cut).toEqual([]);
    expect(summed.pieces).toEqual([
      { assetId: id, segment: 0, code: 10_000, ms: 15 * minute },
      { assetId: id, segment: 1, code: 10_000, ms: 5 * minute },
      { assetId: id, segment: 1, code: 180_000, ms: 10 * minute },
      { assetId: id, segment: 2, code: 10_000, ms: 80 * minute },
      { assetId: id, segment: 2, code: 150_000, ms: 10 * minute },
    ]);
  });

  it("hands back the windows of pieces a boundary cuts, of the range's own ends and of nothing past hourlyEnd, joined when adjacent", () => {
    // from at :05 cuts the first piece; a boundary at :20 cuts the second; hourlyEnd at 11:40 cuts the last.
    const from = origin + 5 * minute;
    const hourlyEnd = origin + hour + 40 * minute;
    const boundaries = new Map([[id, [from, origin + 20 * minute, origin + 3 * hour]]]);
    const summed = sumStoredPieces([id], boundaries, [hourlyEnd], from, [pieces]);
    expect(summed.cut).toEqual([
      { assetId: id, start: from, end: origin + 30 * minute },
      { assetId: id, start: origin + hour, end: hourlyEnd },
    ]);
    expect(summed.pieces).toEqual([{ assetId: id, segment: 1, code: 10_000, ms: 30 * minute }]);
  });
});
