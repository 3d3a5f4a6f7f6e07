import { describe, expect, it } from "vitest";
import { classifyState, type TStateCategory } from "./state-classification";

describe("classifyState defaults (domain.md §3)", () => {
  it.each([
    [10_000, "running", null],
    [20_000, "running", "reducedSpeed"],
    [50_000, "running", "smallStops"],
    [150_000, "plannedStop", null],
    [160_000, "plannedStop", null],
    [170_000, "plannedStop", null],
    [210_000, "plannedStop", null],
    [30_000, "unplannedStop", "breakdowns"],
    [40_000, "unplannedStop", "breakdowns"],
    [60_000, "unplannedStop", "breakdowns"],
    [140_000, "unplannedStop", "breakdowns"],
    [180_000, "unplannedStop", "breakdowns"],
    [220_000, "unplannedStop", "breakdowns"],
    [100_000, "unplannedStop", "setupAdjustment"],
    [110_000, "unplannedStop", "setupAdjustment"],
    [130_000, "unplannedStop", "setupAdjustment"],
    [999_999, "unplannedStop", "breakdowns"],
  ])("state %i is %s with loss %s", (code, category, lossKind) => {
    expect(classifyState(code)).toEqual({ category, lossKind });
  });

  it("gives a sub-code without an override the classification of its block", () => {
    expect(classifyState(180_001)).toEqual({ category: "unplannedStop", lossKind: "breakdowns" });
    expect(classifyState(210_005)).toEqual({ category: "plannedStop", lossKind: null });
    expect(classifyState(50_002)).toEqual({ category: "running", lossKind: "smallStops" });
    expect(classifyState(29_999)).toEqual({ category: "running", lossKind: "reducedSpeed" });
  });
});

describe("classifyState with site overrides", () => {
  const overrides: ReadonlyMap<number, TStateCategory> = new Map([
    [180_001, "plannedStop"],
    [110_000, "plannedStop"],
    [150_000, "unplannedStop"],
  ]);

  it("lets an override for the exact code win", () => {
    expect(classifyState(180_001, overrides)).toEqual({ category: "plannedStop", lossKind: null });
    expect(classifyState(180_002, overrides)).toEqual({ category: "unplannedStop", lossKind: "breakdowns" });
    expect(classifyState(150_000, overrides)).toEqual({ category: "unplannedStop", lossKind: "breakdowns" });
  });

  it("passes a block override on to its sub-codes unless they have their own", () => {
    expect(classifyState(110_007, overrides)).toEqual({ category: "plannedStop", lossKind: null });
    const ownOverride = new Map<number, TStateCategory>([...overrides, [110_007, "unplannedStop"]]);
    expect(classifyState(110_007, ownOverride)).toEqual({ category: "unplannedStop", lossKind: "setupAdjustment" });
  });
});
