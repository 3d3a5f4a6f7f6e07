import { describe, expect, it } from "vitest";
import { cachedStatePieces, rememberStatePieces } from "./state-hours-cache";

describe("state hours cache", () => {
  it("answers only for the same version and a range it holds", () => {
    const pieces = [{ start: 0, end: 3_600_000, spans: [10_000, 3_600_000] }];
    rememberStatePieces("machine-a", "3", 0, 7_200_000, pieces);
    expect(cachedStatePieces("machine-a", "3", 0, 3_600_000)).toBe(pieces);
    expect(cachedStatePieces("machine-a", "4", 0, 3_600_000)).toBeUndefined();
    expect(cachedStatePieces("machine-a", "3", 0, 10_800_000)).toBeUndefined();
    expect(cachedStatePieces("machine-b", "3", 0, 3_600_000)).toBeUndefined();
  });
});
