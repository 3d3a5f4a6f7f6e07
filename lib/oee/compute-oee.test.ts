import { describe, expect, it } from "vitest";
import { combineOee, computeOee, type TOeeFigures, type TOeeInput } from "./compute-oee";
import { stateCodes, type TStateCategory } from "./state-classification";

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const shiftStart = Date.parse("2024-06-10T06:00:00Z");
/** The instant `minutes` into the shift that starts at 06:00 UTC. */
const at = (minutes: number) => shiftStart + minutes * minute;
const { producing, microStop, changeover, operatorBreak, equipmentFailure, preventiveMaintenance } = stateCodes;

/** One 8-hour shift producing throughout, on a work order with a 1 s ideal cycle time; tests replace what they need. */
function shiftInput(changes: Partial<TOeeInput>): TOeeInput {
  return {
    from: at(0),
    to: at(480),
    now: at(480),
    shifts: [{ start: at(0), end: at(480) }],
    states: [{ time: at(0), state: producing }],
    counts: [],
    workOrders: [{ start: at(-60), end: null, idealCycleTimeMs: second }],
    ...changes,
  };
}

function sixBigLossesTotalMs(figures: TOeeFigures): number {
  const { breakdownsMs, setupAdjustmentMs, smallStopsMs, reducedSpeedMs, startupRejectsMs, productionRejectsMs } = figures.losses;
  return breakdownsMs + setupAdjustmentMs + smallStopsMs + (reducedSpeedMs ?? Number.NaN) + startupRejectsMs + productionRejectsMs;
}

describe("published worked examples", () => {
  it("Vorne Industries / oee.com \"OEE calculation\" worked example: A 88.81 %, P 86.11 %, Q 97.80 %, OEE 74.79 %", () => {
    // Shift 480 min, short breaks 2 × 15 min, meal 30 min, down time 47 min, ideal run rate 60 ppm,
    // total count 19 271, reject count 423.
    const figures = computeOee(shiftInput({
      states: [
        { time: at(0), state: producing },
        { time: at(120), state: operatorBreak },
        { time: at(135), state: producing },
        { time: at(240), state: operatorBreak },
        { time: at(270), state: producing },
        { time: at(300), state: equipmentFailure },
        { time: at(347), state: producing },
        { time: at(360), state: operatorBreak },
        { time: at(375), state: producing },
      ],
      counts: [
        { time: at(60), count: 5_000, scrap: 100 },
        { time: at(200), count: 5_000, scrap: 100 },
        { time: at(320), count: 5_000, scrap: 100 },
        { time: at(420), count: 4_271, scrap: 123 },
      ],
      workOrders: [{ start: at(-60), end: null, idealCycleTimeMs: minute / 60 }],
    }));

    expect(figures.plannedProductionTimeMs).toBe(420 * minute);
    expect(figures.runTimeMs).toBe(373 * minute);
    expect(figures.totalCount).toBe(19_271);
    expect(figures.goodCount).toBe(18_848);
    expect(figures.availability).toBeCloseTo(0.8881, 4);
    expect(figures.performance).toBeCloseTo(0.8611, 4);
    expect(figures.quality).toBeCloseTo(0.978, 4);
    expect(figures.oee).toBeCloseTo(0.7479, 4);
    expect(figures.teep).toBeCloseTo((0.74794 * 420) / 480, 4);
    expect(figures.losses.breakdownsMs).toBe(47 * minute);
    // The six losses and good production fill planned production time exactly.
    expect(sixBigLossesTotalMs(figures) + figures.goodCount * second).toBeCloseTo(figures.plannedProductionTimeMs, 6);
    expect(figures.warnings).toEqual([]);
  });

  it("Nakajima, \"Introduction to TPM\" (1988) worked example: loading 460 min, A 87 %, P 50 %, Q 98 %, OEE 42.6 %", () => {
    // 480 min working time, 20 min breaks and scheduled maintenance, downtime 20 min breakdowns + 20 min set-up
    // + 20 min adjustment, 400 units at 0.5 min ideal (0.8 min actual) cycle time, 8 rejects (2 %).
    // Net operating rate 80 % means 80 min of the 400 min operating time went to idling and minor stoppages.
    const figures = computeOee(shiftInput({
      states: [
        { time: at(0), state: producing },
        { time: at(100), state: operatorBreak },
        { time: at(110), state: producing },
        { time: at(150), state: equipmentFailure },
        { time: at(170), state: changeover },
        { time: at(190), state: 130_000 }, // setting up: adjustment
        { time: at(210), state: producing },
        { time: at(300), state: microStop },
        { time: at(380), state: producing },
        { time: at(470), state: preventiveMaintenance },
      ],
      counts: [{ time: at(60), count: 150, scrap: 3 }, { time: at(400), count: 250, scrap: 5 }],
      workOrders: [{ start: at(0), end: at(480), idealCycleTimeMs: 0.5 * minute }],
    }));

    expect(figures.plannedProductionTimeMs).toBe(460 * minute);
    expect(figures.runTimeMs).toBe(400 * minute);
    expect(figures.availability).toBeCloseTo(0.8696, 4);
    expect(figures.performance).toBeCloseTo(0.5, 4);
    expect(figures.quality).toBeCloseTo(0.98, 4);
    // Nakajima prints 0.4263 from the rounded 0.87 × 0.50 × 0.98; unrounded it is 400/460 × 0.5 × 0.98.
    expect(figures.oee).toBeCloseTo(0.4261, 4);
    expect(figures.losses).toEqual({
      breakdownsMs: 20 * minute,
      setupAdjustmentMs: 40 * minute,
      smallStopsMs: 80 * minute,
      reducedSpeedMs: 120 * minute, // 320 min net operating time − 200 min ideal production time
      startupRejectsMs: 0,
      productionRejectsMs: 4 * minute,
    });
    expect(sixBigLossesTotalMs(figures) + figures.goodCount * 0.5 * minute).toBe(figures.plannedProductionTimeMs);
  });
});

describe("time accounting", () => {
  it("splits a stop that spans shift boundaries: only the part inside shifts is downtime", () => {
    const figures = computeOee(shiftInput({
      from: at(0),
      to: at(1_020),
      now: at(1_020),
      shifts: [{ start: at(0), end: at(480) }, { start: at(540), end: at(1_020) }],
      states: [{ time: at(0), state: producing }, { time: at(450), state: equipmentFailure }, { time: at(570), state: producing }],
    }));
    expect(figures.unplannedStopTimeMs).toBe(60 * minute);
    expect(figures.plannedProductionTimeMs).toBe(960 * minute);
    expect(figures.runTimeMs).toBe(900 * minute);
    expect(figures.calendarTimeMs).toBe(1_020 * minute);
  });

  it("clips a state that started before the range at `from`", () => {
    const figures = computeOee(shiftInput({
      shifts: [{ start: at(-240), end: at(480) }],
      states: [{ time: at(-200), state: equipmentFailure }, { time: at(30), state: producing }, { time: at(-300), state: producing }],
    }));
    expect(figures.unplannedStopTimeMs).toBe(30 * minute);
    expect(figures.runTimeMs).toBe(450 * minute);
    expect(figures.warnings).toEqual([]);
  });

  it("counts time before the first known state as unknown, an unplanned stop, and says so", () => {
    const figures = computeOee(shiftInput({ states: [{ time: at(45), state: producing }] }));
    expect(figures.unplannedStopTimeMs).toBe(45 * minute);
    expect(figures.losses.breakdownsMs).toBe(45 * minute);
    expect(figures.warnings).toEqual(["no machine state known for 45 min of shift time: counted as unknown (30000), an unplanned stop"]);
  });

  it("merges overlapping shifts instead of counting their time twice", () => {
    const figures = computeOee(shiftInput({
      to: at(600),
      now: at(600),
      shifts: [{ start: at(0), end: at(480) }, { start: at(420), end: at(540) }, { start: at(0), end: at(480) }],
    }));
    expect(figures.plannedProductionTimeMs).toBe(540 * minute);
    expect(figures.runTimeMs).toBe(540 * minute);
  });

  it("does not count time outside every shift as downtime", () => {
    const figures = computeOee(shiftInput({
      from: at(-120),
      to: at(600),
      now: at(600),
      states: [{ time: at(-120), state: equipmentFailure }, { time: at(0), state: producing }, { time: at(480), state: equipmentFailure }],
    }));
    expect(figures.unplannedStopTimeMs).toBe(0);
    expect(figures.availability).toBe(1);
    expect(figures.calendarTimeMs).toBe(720 * minute);
  });

  it("stops calendar time, shifts and open states at `now`", () => {
    const figures = computeOee(shiftInput({
      now: at(240),
      states: [{ time: at(0), state: producing }, { time: at(180), state: equipmentFailure }],
      counts: [{ time: at(100), count: 100, scrap: 0 }, { time: at(300), count: 50, scrap: 0 }],
    }));
    expect(figures.calendarTimeMs).toBe(240 * minute);
    expect(figures.plannedProductionTimeMs).toBe(240 * minute);
    expect(figures.unplannedStopTimeMs).toBe(60 * minute);
    expect(figures.totalCount).toBe(100);
    expect(figures.warnings).toEqual(["50 parts timestamped after now were not included"]);
  });

  it("takes a night shift across the autumn DST change in Europe/Berlin as 9 real hours", () => {
    const nightStart = Date.parse("2024-10-26T22:00:00+02:00");
    const nightEnd = Date.parse("2024-10-27T06:00:00+01:00");
    const figures = computeOee({
      from: Date.parse("2024-10-26T00:00:00+02:00"),
      to: Date.parse("2024-10-28T00:00:00+01:00"),
      now: Date.parse("2024-10-28T00:00:00+01:00"),
      shifts: [{ start: nightStart, end: nightEnd }],
      states: [{ time: nightStart, state: producing }, { time: Date.parse("2024-10-27T02:30:00+02:00"), state: equipmentFailure }, {
        time: Date.parse("2024-10-27T02:30:00+01:00"), state: producing,
      }],
      counts: [{ time: nightStart + hour, count: 3_600 * 4, scrap: 0 }],
      workOrders: [{ start: nightStart, end: null, idealCycleTimeMs: second }],
    });
    expect(figures.plannedProductionTimeMs).toBe(9 * hour);
    // 02:30 summer time to 02:30 winter time, the same wall clock an hour later.
    expect(figures.unplannedStopTimeMs).toBe(hour);
    expect(figures.performance).toBeCloseTo(4 / 8, 6);
    expect(figures.calendarTimeMs).toBe(49 * hour);
  });

  it("takes a night shift across the spring DST change in Europe/Berlin as 7 real hours", () => {
    const nightStart = Date.parse("2024-03-30T22:00:00+01:00");
    const nightEnd = Date.parse("2024-03-31T06:00:00+02:00");
    const figures = computeOee({
      from: nightStart, to: nightEnd, now: nightEnd,
      shifts: [{ start: nightStart, end: nightEnd }],
      states: [{ time: nightStart, state: producing }],
      counts: [], workOrders: [],
    });
    expect(figures.plannedProductionTimeMs).toBe(7 * hour);
    expect(figures.calendarTimeMs).toBe(7 * hour);
  });
});

describe("planned and unplanned stops", () => {
  it("turns a stop planned when the site overrides its code", () => {
    const hydraulicLeak = 180_001;
    const states = [{ time: at(0), state: producing }, { time: at(100), state: hydraulicLeak }, { time: at(160), state: producing }];
    const counts = [{ time: at(300), count: 10_000, scrap: 0 }];
    const asDowntime = computeOee(shiftInput({ states, counts }));
    expect(asDowntime.unplannedStopTimeMs).toBe(60 * minute);
    expect(asDowntime.availability).toBeCloseTo(420 / 480, 6);

    const classification: ReadonlyMap<number, TStateCategory> = new Map([[hydraulicLeak, "plannedStop"]]);
    const asPlanned = computeOee(shiftInput({ states, counts, classification }));
    expect(asPlanned.plannedStopTimeMs).toBe(60 * minute);
    expect(asPlanned.plannedProductionTimeMs).toBe(420 * minute);
    expect(asPlanned.availability).toBe(1);
    expect(asPlanned.losses.breakdownsMs).toBe(0);
  });

  it("keeps micro-stops (50000) in run time and reports them as the small-stops loss", () => {
    const figures = computeOee(shiftInput({
      states: [{ time: at(0), state: producing }, { time: at(200), state: microStop }, { time: at(203), state: producing }, { time: at(300), state: 50_001 }, { time: at(302), state: producing }],
      counts: [{ time: at(400), count: 6 * 3_600, scrap: 0 }],
    }));
    expect(figures.runTimeMs).toBe(480 * minute);
    expect(figures.availability).toBe(1);
    expect(figures.losses.smallStopsMs).toBe(5 * minute);
    expect(figures.losses.reducedSpeedMs).toBe((480 - 360 - 5) * minute);
  });
});

describe("planned breaks of the shift calendar", () => {
  it("makes a stop during a calendar break a planned stop, whatever its code, and keeps it out of planned production time", () => {
    // An unspecified stop 120–150 exactly during the 30-minute break, a breakdown 150–180 after it.
    const figures = computeOee(shiftInput({
      breaks: [{ start: at(120), end: at(150) }],
      states: [{ time: at(0), state: producing }, { time: at(120), state: stateCodes.unspecifiedStop }, { time: at(150), state: equipmentFailure }, { time: at(180), state: producing }],
    }));
    expect(figures.plannedStopTimeMs).toBe(30 * minute);
    expect(figures.unplannedStopTimeMs).toBe(30 * minute);
    expect(figures.plannedProductionTimeMs).toBe(450 * minute);
    expect(figures.availability).toBeCloseTo(420 / 450, 10);
  });

  it("counts a machine that runs through its break as running, and no state data during a break as planned, without a warning", () => {
    const runsThrough = computeOee(shiftInput({ breaks: [{ start: at(120), end: at(150) }] }));
    expect(runsThrough.runTimeMs).toBe(480 * minute);
    expect(runsThrough.plannedStopTimeMs).toBe(0);
    const silentUntilAfterBreak = computeOee(shiftInput({
      breaks: [{ start: at(0), end: at(15) }],
      states: [{ time: at(15), state: producing }],
    }));
    expect(silentUntilAfterBreak.plannedStopTimeMs).toBe(15 * minute);
    expect(silentUntilAfterBreak.availability).toBe(1);
    expect(silentUntilAfterBreak.warnings).toEqual([]);
  });

  it("ignores break time outside the shifts and merges overlapping breaks", () => {
    const figures = computeOee(shiftInput({
      from: at(-60),
      breaks: [{ start: at(-30), end: at(10) }, { start: at(5), end: at(20) }],
      states: [{ time: at(-60), state: equipmentFailure }, { time: at(20), state: producing }],
    }));
    expect(figures.plannedStopTimeMs).toBe(20 * minute);
    expect(figures.unplannedStopTimeMs).toBe(0);
  });
});

describe("counts and ideal cycle times", () => {
  it("weighs several work orders with their own ideal cycle times within one shift", () => {
    const figures = computeOee(shiftInput({
      workOrders: [
        { start: at(-30), end: at(240), idealCycleTimeMs: second },
        { start: at(240), end: null, idealCycleTimeMs: 2 * second },
      ],
      counts: [{ time: at(60), count: 7_200, scrap: 200 }, { time: at(239), count: 1, scrap: 0 }, { time: at(300), count: 3_600, scrap: 100 }],
    }));
    expect(figures.idealProductionTimeMs).toBe((7_201 + 2 * 3_600) * second);
    expect(figures.idealCycleTimeMs).toBeCloseTo((14_401 * second) / 10_801, 6);
    expect(figures.performance).toBeCloseTo(14_401 / (480 * 60), 6);
    expect(figures.losses.productionRejectsMs).toBe((200 + 2 * 100) * second);
  });

  it("gives a count stamped at a work order's end that order's cycle time (it reports the parts made before it)", () => {
    const figures = computeOee(shiftInput({
      workOrders: [
        { start: at(0), end: at(240), idealCycleTimeMs: second },
        // A changeover, then the next order.
        { start: at(260), end: null, idealCycleTimeMs: 2 * second },
      ],
      // The message the machine sends as the first order completes, and the first of the next order.
      counts: [{ time: at(240), count: 100, scrap: 0 }, { time: at(300), count: 10, scrap: 0 }],
    }));
    expect(figures.warnings.filter((warning) => warning.includes("ideal cycle time"))).toEqual([]);
    expect(figures.idealProductionTimeMs).toBe(100 * second + 10 * 2 * second);
  });

  it("does not give a count stamped at a work order's start that order's cycle time", () => {
    const figures = computeOee(shiftInput({
      workOrders: [{ start: at(60), end: null, idealCycleTimeMs: second }],
      counts: [{ time: at(60), count: 5, scrap: 0 }, { time: at(61), count: 60, scrap: 0 }],
    }));
    expect(figures.performance).toBeNull();
    expect(figures.warnings.some((warning) => warning.startsWith("5 parts have no ideal cycle time"))).toBe(true);
  });

  it("reports quality null, performance and OEE 0 when nothing was counted", () => {
    const figures = computeOee(shiftInput({ counts: [] }));
    expect(figures.quality).toBeNull();
    expect(figures.performance).toBe(0);
    expect(figures.oee).toBe(0);
    expect(figures.teep).toBe(0);
    expect(figures.idealCycleTimeMs).toBeNull();
    expect(figures.warnings).toEqual([]);
  });

  it("keeps performance above 100 % unclipped and warns about the ideal cycle time", () => {
    const figures = computeOee(shiftInput({ counts: [{ time: at(100), count: 8 * 3_600 * 1.25, scrap: 0 }] }));
    expect(figures.performance).toBeCloseTo(1.25, 6);
    expect(figures.oee).toBeCloseTo(1.25, 6);
    expect(figures.losses.reducedSpeedMs).toBe(0);
    expect(figures.warnings).toEqual(["performance above 100 %: check the ideal cycle time"]);
  });

  it("leaves performance unknown when some parts have no ideal cycle time", () => {
    const figures = computeOee(shiftInput({
      workOrders: [{ start: at(0), end: at(100), idealCycleTimeMs: second }],
      counts: [{ time: at(50), count: 100, scrap: 0 }, { time: at(200), count: 40, scrap: 4 }],
    }));
    expect(figures.performance).toBeNull();
    expect(figures.oee).toBeNull();
    expect(figures.quality).toBeCloseTo(136 / 140, 6);
    expect(figures.idealCycleTimeMs).toBeNull();
    expect(figures.losses.reducedSpeedMs).toBeNull();
    expect(figures.warnings).toEqual(["40 parts have no ideal cycle time (no work order and no fallback): performance is unknown"]);
  });

  it("uses the asset's fallback ideal cycle time when no work order runs, and says so", () => {
    const figures = computeOee(shiftInput({
      workOrders: [],
      fallbackIdealCycleTimeMs: 2 * second,
      counts: [{ time: at(50), count: 3_600, scrap: 0 }],
    }));
    expect(figures.idealProductionTimeMs).toBe(2 * hour);
    expect(figures.performance).toBeCloseTo(2 / 8, 6);
    expect(figures.warnings).toEqual(["3600 parts counted with no work order ideal cycle time used the asset's fallback ideal cycle time"]);
  });

  it("ignores parts counted outside shifts, with a warning", () => {
    const figures = computeOee(shiftInput({
      to: at(600),
      now: at(600),
      counts: [{ time: at(100), count: 10, scrap: 1 }, { time: at(500), count: 7, scrap: 0 }, { time: at(480), count: 3, scrap: 0 }],
    }));
    expect(figures.totalCount).toBe(10);
    expect(figures.scrapCount).toBe(1);
    expect(figures.warnings).toEqual(["10 parts counted outside shifts were not included"]);
  });
});

describe("no planned production time", () => {
  it("returns null ratios and a warning when the range has no shift", () => {
    const figures = computeOee(shiftInput({ shifts: [], counts: [{ time: at(10), count: 5, scrap: 0 }] }));
    expect(figures).toMatchObject({ availability: null, performance: null, oee: null, teep: null, plannedProductionTimeMs: 0, calendarTimeMs: 480 * minute });
    expect(figures.warnings).toEqual(["5 parts counted outside shifts were not included", "no planned production time in this range"]);
  });

  it("returns null ratios when the whole shift is a planned stop", () => {
    const figures = computeOee(shiftInput({ states: [{ time: at(0), state: preventiveMaintenance }] }));
    expect(figures.plannedStopTimeMs).toBe(480 * minute);
    expect(figures).toMatchObject({ availability: null, performance: null, oee: null, teep: null });
    expect(figures.warnings).toContain("no planned production time in this range");
  });
});

describe("late data", () => {
  it("recomputes from scratch: a late count and a late state change the result, the first inputs stay untouched", () => {
    const input = shiftInput({ counts: [{ time: at(100), count: 14_400, scrap: 0 }] });
    const first = computeOee(input);
    expect(first.availability).toBe(1);
    expect(first.performance).toBeCloseTo(0.5, 6);

    const late = {
      ...input,
      states: [...input.states, { time: at(400), state: producing }, { time: at(360), state: equipmentFailure }],
      counts: [...input.counts, { time: at(450), count: 3_600, scrap: 360 }],
    };
    const second = computeOee(late);
    expect(second.availability).toBeCloseTo(440 / 480, 6);
    expect(second.performance).toBeCloseTo(18_000 / (440 * 60), 6);
    expect(second.quality).toBeCloseTo(0.98, 6);
    expect(computeOee(input)).toEqual(first);
    expect(input.states).toHaveLength(1);
  });
});

describe("combineOee", () => {
  it("aggregates two machines by time and counts, not by averaging their percentages", () => {
    const busy = computeOee(shiftInput({ counts: [{ time: at(100), count: 7 * 3_600, scrap: 0 }] }));
    // Only a 4-hour shift, mostly broken down: it weighs half as much as the busy machine.
    const idle = computeOee(shiftInput({
      shifts: [{ start: at(0), end: at(240) }],
      states: [{ time: at(0), state: equipmentFailure }, { time: at(180), state: producing }],
      counts: [{ time: at(200), count: 1_800, scrap: 180 }],
    }));
    const line = combineOee([busy, idle]);

    expect(busy.oee).toBeCloseTo(7 / 8, 6);
    expect(idle.oee).toBeCloseTo((60 / 240) * (1_800 / 3_600) * 0.9, 6);
    const meanOfPercentages = ((busy.oee ?? 0) + (idle.oee ?? 0)) / 2;
    expect(line.oee).not.toBeCloseTo(meanOfPercentages, 3);

    const goodIdealTimeMs = (7 * 3_600 + 1_620) * second;
    expect(line.plannedProductionTimeMs).toBe(720 * minute);
    expect(line.availability).toBeCloseTo(540 / 720, 6);
    expect(line.performance).toBeCloseTo((7 * 3_600 + 1_800) / (540 * 60), 6);
    expect(line.quality).toBeCloseTo(26_820 / 27_000, 6);
    expect(line.oee).toBeCloseTo(goodIdealTimeMs / line.plannedProductionTimeMs, 6);
    // Calendar time is machine-time, so TEEP stays Σ good × ideal cycle time / Σ calendar time.
    expect(line.calendarTimeMs).toBe(960 * minute);
    expect(line.teep).toBeCloseTo(goodIdealTimeMs / line.calendarTimeMs, 6);
    expect(line.idealCycleTimeMs).toBe(second);
    expect(line.losses.breakdownsMs).toBe(180 * minute);
    expect(line.losses.reducedSpeedMs).toBe((busy.losses.reducedSpeedMs ?? 0) + (idle.losses.reducedSpeedMs ?? 0));
  });

  it("can combine aggregates again (lines into a site) with the same result as combining all machines", () => {
    const machine = (count: number, downMinutes: number) => computeOee(shiftInput({
      states: [{ time: at(0), state: equipmentFailure }, { time: at(downMinutes), state: producing }],
      counts: [{ time: at(470), count, scrap: Math.floor(count / 50) }],
    }));
    const machines = [machine(20_000, 30), machine(9_000, 200), machine(15_000, 0)];
    const site = combineOee([combineOee(machines.slice(0, 2)), combineOee(machines.slice(2))]);
    const flat = combineOee(machines);
    for (const ratio of ["availability", "performance", "quality", "oee", "teep"] as const) {
      expect(site[ratio]).toBeCloseTo(flat[ratio] ?? Number.NaN, 12);
    }
  });

  it("leaves performance unknown when a machine that counted parts had no ideal cycle time", () => {
    const known = computeOee(shiftInput({ counts: [{ time: at(10), count: 100, scrap: 0 }] }));
    const unknown = computeOee(shiftInput({ workOrders: [], counts: [{ time: at(10), count: 100, scrap: 0 }] }));
    const line = combineOee([known, unknown]);
    expect(line.performance).toBeNull();
    expect(line.oee).toBeNull();
    expect(line.availability).toBe(1);
  });

  it("returns no planned production time for no machines", () => {
    const nothing = combineOee([]);
    expect(nothing).toMatchObject({ availability: null, oee: null, calendarTimeMs: 0, totalCount: 0 });
    expect(nothing.warnings).toEqual(["no planned production time in this range"]);
  });
});
