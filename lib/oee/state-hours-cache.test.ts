import { describe, expect, it } from "vitest";
import { cachedStateHours, rememberStateHours } from "./state-hours-cache";

describe("state hours cache", () => {
  it("answers only for the same version and a range it holds", () => {
    const hours = new Map([[0, [10_000, 3_600_000]]]);
    rememberStateHours("machine-a", "3", 0, 7_200_000, hours);
    expect(cachedStateHours("machine-a", "3", 0, 3_600_000)).toBe(hours);
    expect(cachedStateHours("machine-a", "4", 0, 3_600_000)).toBeUndefined();
    expect(cachedStateHours("machine-a", "3", 0, 10_800_000)).toBeUndefined();
    expect(cachedStateHours("machine-b", "3", 0, 3_600_000)).toBeUndefined();
  });
});
