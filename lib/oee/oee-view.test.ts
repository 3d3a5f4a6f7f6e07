import { describe, expect, it } from "vitest";
import type { TOeeFigures } from "./compute-oee";
import type { TStop } from "./find-stops";
import { downtimePareto, formatDuration, formatRatio, hourlyTarget, lossesWaterfall } from "./oee-view";

const minute = 60_000;

// The oee.com (Vorne) worked example: PPT 420 min, run 373 min, 19 271 parts at 1 s, 423 rejects.
const vorne: TOeeFigures = {
  availability: 373 / 420, performance: 19_271 / (373 * 60), quality: 18_848 / 19_271, oee: (18_848 / 60) / 420, teep: null,
  calendarTimeMs: 480 * minute, plannedProductionTimeMs: 420 * minute, runTimeMs: 373 * minute, unplannedStopTimeMs: 47 * minute, plannedStopTimeMs: 60 * minute,
  totalCount: 19_271, goodCount: 18_848, scrapCount: 423, idealCycleTimeMs: 1_000, idealProductionTimeMs: 19_271_000,
  losses: { breakdownsMs: 47 * minute, setupAdjustmentMs: 0, smallStopsMs: 0, reducedSpeedMs: 373 * minute - 19_271_000, startupRejectsMs: 0, productionRejectsMs: 423_000 },
  warnings: [],
};

function stop(reasonCode: number, minutes: number, category: TStop["category"] = "unplannedStop"): TStop {
  return {
    assetPath: "a/b", assetName: "b", start: "2026-12-01T06:00:00Z", end: null, durationMs: minutes * minute, stateCode: reasonCode, reasonCode,
    reasonName: `reason ${reasonCode}`, category, comment: null, classifiedBy: null, classifiedAt: null,
  };
}

describe("lossesWaterfall", () => {
  it("walks planned time down to fully productive time = good parts × ideal cycle time", () => {
    const steps = lossesWaterfall(vorne)!;
    expect(steps.map((step) => step.label)).toEqual(["Planned production time", "Availability losses", "Performance losses", "Quality losses", "Fully productive time"]);
    expect(steps[1]).toMatchObject({ valueMs: 47 * minute, startMs: 373 * minute });
    expect(steps[2]!.valueMs).toBe(373 * minute - 19_271_000);
    expect(steps[3]).toMatchObject({ valueMs: 423_000, startMs: 18_848_000 });
    expect(steps[4]!.valueMs).toBe(18_848_000);
  });

  it("has nothing to draw without planned time or a known ideal cycle time", () => {
    expect(lossesWaterfall({ ...vorne, plannedProductionTimeMs: 0 })).toBeNull();
    expect(lossesWaterfall({ ...vorne, losses: { ...vorne.losses, reducedSpeedMs: null } })).toBeNull();
  });
});

describe("downtimePareto", () => {
  it("sums unplanned stops by reason, longest first, with the cumulative share", () => {
    const bars = downtimePareto([stop(180000, 10), stop(60000, 20), stop(180000, 30), stop(150000, 99, "plannedStop")]);
    expect(bars).toEqual([
      { label: "180000 reason 180000", durationMs: 40 * minute, stops: 2, cumulativeShare: 40 / 60 },
      { label: "60000 reason 60000", durationMs: 20 * minute, stops: 1, cumulativeShare: 1 },
    ]);
  });
});

describe("formatting", () => {
  it("keeps a performance above 100 % visible", () => {
    expect(formatRatio(1.053, "en-US")).toBe("105.3%");
    expect(formatRatio(null)).toBe("–");
  });

  it("formats durations and the hourly target", () => {
    expect(formatDuration(5_400_000)).toBe("1 h 30 min");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(hourlyTarget({ plannedProductionTimeMs: 50 * minute, idealCycleTimeMs: 1_000 })).toBe(3_000);
    expect(hourlyTarget({ plannedProductionTimeMs: 50 * minute, idealCycleTimeMs: null })).toBeNull();
  });
});
