import { describe, expect, it } from "vitest";
import { rollUp } from "./write-batch";

describe("rollUp", () => {
  const minute = 60_000;
  const t0 = Date.UTC(2026, 10, 25, 6, 0, 0);

  it("aggregates numeric values per series and epoch-aligned bucket", () => {
    const rollups = rollUp({
      seriesIds: [1, 1, 1, 2, 1],
      times: [t0 + 5_000, t0 + 1_000, t0 + 59_999, t0 + 2_000, t0 + minute],
      numbers: [10, 30, 20, 7, 99],
    }, minute);
    expect(rollups).toEqual([
      // last = the value with the latest time, not the last one received
      { seriesId: 1, bucket: t0, count: 3, sum: 60, min: 10, max: 30, lastTime: t0 + 59_999, lastValue: 20 },
      { seriesId: 1, bucket: t0 + minute, count: 1, sum: 99, min: 99, max: 99, lastTime: t0 + minute, lastValue: 99 },
      { seriesId: 2, bucket: t0, count: 1, sum: 7, min: 7, max: 7, lastTime: t0 + 2_000, lastValue: 7 },
    ]);
  });

  it("ignores booleans and strings (no numeric value) and sorts for a stable lock order", () => {
    const rollups = rollUp({ seriesIds: [5, 3, 4], times: [t0, t0, t0], numbers: [1, null, 2] }, 3_600_000);
    expect(rollups.map((r) => r.seriesId)).toEqual([4, 5]);
  });
});
