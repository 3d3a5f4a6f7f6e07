import { describe, expect, it } from "vitest";
import { periodAt, periodsBetween, periodsOf } from "./periods-in-force";

const t = (iso: string) => new Date(`2026-12-0${iso}Z`);
const v1v2 = [
  { typeVersionId: "v2", validFrom: t("3T12:00:00"), validTo: null },
  { typeVersionId: "v1", validFrom: t("1T08:00:00"), validTo: t("3T12:00:00") },
];

describe("which type version applied when", () => {
  it("resolves a time before the move to the old version and after it to the new one", () => {
    expect(periodAt(v1v2, t("2T00:00:00"))?.typeVersionId).toBe("v1");
    expect(periodAt(v1v2, t("3T11:59:59.999"))?.typeVersionId).toBe("v1");
    expect(periodAt(v1v2, t("3T12:00:00"))?.typeVersionId).toBe("v2");
    // Before the first assignment: the first version (see the decision in periods-in-force.ts).
    expect(periodAt(v1v2, t("1T00:00:00"))?.typeVersionId).toBe("v1");
  });

  it("has no version in an untyped gap and none for an asset that never had one", () => {
    const gap = [{ typeVersionId: "v1", validFrom: t("1T00:00:00"), validTo: t("2T00:00:00") }, { typeVersionId: "v2", validFrom: t("3T00:00:00"), validTo: null }];
    expect(periodAt(gap, t("2T12:00:00"))).toBeNull();
    expect(periodAt([], t("2T12:00:00"))).toBeNull();
  });

  it("ignores zero-length assignments left by two changes in one transaction", () => {
    const rows = [...v1v2, { typeVersionId: "v9", validFrom: t("3T12:00:00"), validTo: t("3T12:00:00") }];
    expect(periodsOf(rows).map((period) => period.typeVersionId)).toEqual(["v1", "v2"]);
  });

  it("clips the periods overlapping a range to it", () => {
    expect(periodsBetween(v1v2, t("2T00:00:00"), t("4T00:00:00"))).toEqual([
      { typeVersionId: "v1", from: t("2T00:00:00"), to: t("3T12:00:00") },
      { typeVersionId: "v2", from: t("3T12:00:00"), to: t("4T00:00:00") },
    ]);
    expect(periodsBetween(v1v2, t("1T00:00:00"), t("3T12:00:00")).map((period) => period.typeVersionId)).toEqual(["v1"]);
  });
});
