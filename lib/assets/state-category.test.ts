import { describe, expect, it } from "vitest";
import { describeState, stateCategory } from "./state-category";

describe("stateCategory", () => {
  it.each([
    [10_000, "running"], [29_999, "running"],
    [30_000, "unknown"], [50_000, "unknown"], [59_999, "unknown"],
    [60_000, "material"], [99_999, "material"],
    [100_000, "process"], [139_999, "process"],
    [140_000, "operator"], [159_999, "operator"],
    [160_000, "planning"], [179_999, "planning"],
    [180_000, "technical"], [180_001, "technical"], [229_999, "technical"],
  ] as const)("%i is %s", (code, category) => {
    expect(stateCategory(code)).toBe(category);
  });

  it("puts codes outside every range in unknown", () => {
    for (const code of [0, 9_999, 230_000, -10_000]) expect(stateCategory(code)).toBe("unknown");
  });
});

describe("describeState", () => {
  it("labels the named codes", () => {
    expect(describeState(10_000)).toMatchObject({ category: "running", baseCode: 10_000, label: "Running", color: "state-running" });
    expect(describeState(50_000)).toMatchObject({ category: "unknown", label: "Micro-stop", color: "state-unplanned" });
    expect(describeState(180_000)).toMatchObject({ category: "technical", label: "Equipment failure", color: "state-unplanned" });
    expect(describeState(150_000)).toMatchObject({ category: "operator", label: "Operator break", color: "state-planned" });
  });

  it("gives a sub-reason its named code's label and colour", () => {
    expect(describeState(180_001)).toMatchObject({ code: 180_001, category: "technical", baseCode: 180_000, label: "Equipment failure", color: "state-unplanned" });
    expect(describeState(210_500)).toMatchObject({ baseCode: 210_000, label: "Preventive maintenance", color: "state-planned" });
    expect(describeState(20_400)).toMatchObject({ category: "running", label: "Running slow", color: "state-running" });
  });

  it("shows no data as unknown grey, and unexplained stops as losses", () => {
    expect(describeState(30_000)).toMatchObject({ label: "Unknown", color: "state-unknown" });
    expect(describeState(40_000)).toMatchObject({ label: "Unspecified stop", color: "state-unplanned" });
  });

  it("treats planned stops per domain.md §4 as planned by default", () => {
    for (const code of [150_000, 160_000, 170_000, 210_000]) expect(describeState(code).color).toBe("state-planned");
    for (const code of [60_000, 100_000, 140_000, 190_000, 220_000]) expect(describeState(code).color).toBe("state-unplanned");
  });

  it("names a code outside every range by its number instead of guessing", () => {
    expect(describeState(5)).toEqual({ code: 5, category: "unknown", baseCode: null, label: "State 5", color: "state-unknown" });
    expect(describeState(230_000)).toMatchObject({ label: "State 230000", color: "state-unknown" });
    expect(describeState(10_000.5)).toMatchObject({ baseCode: null, color: "state-unknown" });
  });
});
