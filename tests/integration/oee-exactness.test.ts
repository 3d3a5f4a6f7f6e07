import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCaller } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import type { TIngestRecord } from "@/lib/ingest/records";
import { IngestCaches, writeBatch } from "@/lib/ingest/write-batch";
import { classifyStop } from "@/lib/oee/classify-stop";
import { combineOee, computeOee, type TOeeFigures } from "@/lib/oee/compute-oee";
import { getOee, type TOeeBucket, type TOeeSummary } from "@/lib/oee/get-oee";
import { saveReasonCode } from "@/lib/oee/save-reason-code";
import { splitByShifts, splitRange } from "@/lib/oee/split-range";
import { statePieceCuts } from "@/lib/oee/state-piece-cuts";
import type { TStateCategory } from "@/lib/oee/state-classification";
import { ZShiftPattern } from "@/lib/shifts/calendar-schema";
import { expandCalendar } from "@/lib/shifts/expand-calendar";
import { saveShiftPattern } from "@/lib/shifts/shift-calendars";

// The database side of OEE (per-segment sums, hourly totals from state_hours and production_hours,
// the rebuild after late data, classifications, the site calendar's shifts and breaks) against computeOee
// over every raw row: equal, to the ms.
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const root = `oeex-${randomUUID().slice(0, 8)}`;
const site = `${root}/site`;
const machines = [`${site}/area/line/cell-1`, `${site}/area/line/cell-2`];
// Four whole days, ten days ago; the site runs on India time (+05:30) so that day edges cut UTC hours.
const start = Math.floor((Date.now() - 10 * day) / day) * day;
const end = start + 4 * day;
const timeZone = "Asia/Kolkata";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
/** Day 2, 08:00–11:00 UTC: inside a shift, no generated state change. */
const quietFrom = start + day + 8 * hour;
const caller: TCaller = { kind: "token", id: randomUUID(), label: "exactness-test", role: "ADMIN" };

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function write(records: TIngestRecord[]) {
  const client = await pool.connect();
  try {
    const messages = records.map((record) => ({ topic: "t", payload: Buffer.from("{}"), receivedAt: Date.now(), outcome: { records: [record] } }));
    await writeBatch(client, messages, new IngestCaches(), { autoRegister: true, quarantinePayloadCap: 1024 });
  } finally {
    client.release();
  }
}

function plantData(path: string, seed: number): TIngestRecord[] {
  const next = random(seed);
  const codes = [10_000, 10_000, 10_000, 20_000, 40_000, 50_000, 100_000, 150_000, 180_000, 180_001];
  const records: TIngestRecord[] = [];
  for (let time = start - 2 * hour + Math.floor(next() * hour); time < end + 2 * hour; time += Math.floor((2 + next() * 40) * minute) + Math.floor(next() * 1000)) {
    // A quiet stretch, running, for the late events of the last test to land in.
    if (time >= quietFrom && time < quietFrom + 3 * hour) continue;
    records.push({ kind: "state", path, time, state: codes[Math.floor(next() * codes.length)] ?? 10_000 });
  }
  records.push({ kind: "state", path, time: quietFrom, state: 10_000 });
  for (let time = start - hour; time < end + hour; time += Math.floor((1 + next() * 9) * minute) + Math.floor(next() * 1000)) {
    const count = Math.floor(next() * 40);
    records.push({ kind: "count", path, time, count, scrap: Math.floor(next() * (count + 1) * 0.1) });
  }
  records.push({ kind: "product-type", path, externalProductTypeId: "fast", cycleTimeMs: 1500 });
  records.push({ kind: "product-type", path, externalProductTypeId: "slow", cycleTimeMs: 2500 + seed });
  // Work orders change at odd times, so their edges cut hours.
  for (let index = 0, time = start - 3 * hour; time < end; index++, time += Math.floor((5 + next() * 14) * hour) + 17 * minute) {
    records.push({ kind: "work-order-create", path, externalWorkOrderId: `WO-${index}`, externalProductTypeId: index % 2 ? "slow" : "fast", quantity: 1000 });
    records.push({ kind: "work-order-start", path, externalWorkOrderId: `WO-${index}`, startTime: time });
    records.push({ kind: "work-order-stop", path, externalWorkOrderId: `WO-${index}`, endTime: time + Math.floor((4 + next() * 10) * hour) });
  }
  return records;
}

type TRaw = { states: { time: number; state: number }[]; counts: { time: number; count: number; scrap: number }[]; shifts: { start: number; end: number }[]; workOrders: { start: number; end: number | null; idealCycleTimeMs: number | null }[] };

/** Every row as it is, the classification applied to its event, without any of the report's SQL. */
async function loadRaw(path: string): Promise<TRaw> {
  const ms = (value: Date | null) => (value === null ? null : value.getTime());
  const { rows: states } = await pool.query<{ time: Date; state: number }>(
    `SELECT e.time, COALESCE(c.reason_code, e.state) AS state FROM state_events e JOIN assets a ON a.id = e.asset_id
     LEFT JOIN stop_classifications c ON c.asset_id = e.asset_id AND c.start_time = e.time WHERE a.path = $1`, [path]);
  const { rows: counts } = await pool.query<{ time: Date; count: number; scrap: number }>(
    "SELECT c.time, c.count, c.scrap FROM production_counts c JOIN assets a ON a.id = c.asset_id WHERE a.path = $1", [path]);
  const owners = path.split("/").map((_segment, index, segments) => segments.slice(0, index + 1).join("/"));
  const { rows: shifts } = await pool.query<{ start_time: Date; end_time: Date }>(
    "SELECT s.start_time, s.end_time FROM shifts s JOIN assets a ON a.id = s.asset_id WHERE a.path = ANY($1::text[])", [owners]);
  const { rows: workOrders } = await pool.query<{ start_time: Date; end_time: Date | null; cycle_time_ms: number | null }>(
    `SELECT w.start_time, w.end_time, p.cycle_time_ms FROM work_orders w JOIN assets a ON a.id = w.asset_id
     LEFT JOIN product_types p ON p.id = w.product_type_id WHERE a.path = ANY($1::text[]) AND w.start_time IS NOT NULL`, [owners]);
  return {
    states: states.map((row) => ({ time: row.time.getTime(), state: row.state })),
    counts: counts.map((row) => ({ time: row.time.getTime(), count: row.count, scrap: row.scrap })),
    shifts: shifts.map((row) => ({ start: row.start_time.getTime(), end: row.end_time.getTime() })),
    workOrders: workOrders.map((row) => ({ start: row.start_time.getTime(), end: ms(row.end_time), idealCycleTimeMs: row.cycle_time_ms })),
  };
}

const classification = new Map<number, TStateCategory>([[100_000, "plannedStop"]]);

// The site's calendar besides the MQTT shifts: an Early shift overlapping the line's first one (merged), and a
// Night shift on some days only, both with breaks at odd minutes, so breaks cut hours and segments.
const sitePattern = ZShiftPattern.parse({
  validFrom: "2000-01-01",
  shifts: [
    { name: "Early", start: "11:00", end: "19:00", days: [1, 2, 3, 4, 5, 6, 7], breaks: [{ start: "14:07", end: "14:29" }] },
    { name: "Night", start: "03:00", end: "11:00", days: [1, 3, 5, 7], breaks: [{ start: "05:10", end: "05:25" }, { start: "08:00", end: "08:40" }] },
  ],
});

/** The site calendar's pattern versions as saved so far. */
const patterns = [sitePattern];

async function expected(from: number, to: number, now: number, groupBy?: "day" | "hour" | "shift") {
  const planned = expandCalendar({ timeZone, patterns, exceptions: [] }, from, to);
  const raw = (await Promise.all(machines.map(loadRaw))).map((machine) => ({ ...machine, shifts: [...machine.shifts, ...planned.map(({ start: s, end: e }) => ({ start: s, end: e }))] }));
  const breaks = planned.flatMap((shift) => shift.breaks);
  const windows = groupBy === undefined ? [{ start: from, end: to }]
    : groupBy === "shift" ? splitByShifts(from, to, raw.flatMap((machine) => machine.shifts))
    : splitRange(from, to, groupBy, timeZone);
  return windows.map((window) => {
    const perMachine = raw.map((machine) => computeOee({ from: window.start, to: window.end, now, ...machine, breaks, classification }));
    return { window, perMachine, total: combineOee(perMachine) };
  });
}

const figureKeys = [
  "availability", "performance", "quality", "oee", "teep", "calendarTimeMs", "plannedProductionTimeMs", "runTimeMs", "unplannedStopTimeMs",
  "plannedStopTimeMs", "totalCount", "goodCount", "scrapCount", "idealCycleTimeMs", "idealProductionTimeMs", "losses",
] as const;
const figuresOf = (figures: TOeeFigures) => Object.fromEntries(figureKeys.map((key) => [key, figures[key]]));

async function expectSameAsRaw(from: number, to: number, now: number, groupBy?: "day" | "hour" | "shift") {
  const query = { asset: site, from: new Date(from).toISOString(), to: new Date(to).toISOString(), groupBy };
  const reference = await expected(from, to, now, groupBy);
  if (groupBy === undefined) {
    const actual = await getOee(query, null, now) as TOeeSummary;
    expect(actual.machines.map((machine) => figuresOf(machine))).toEqual(reference[0]?.perMachine.map(figuresOf));
    expect(actual.machines.map((machine) => machine.warnings)).toEqual(reference[0]?.perMachine.map((figures) => figures.warnings));
    expect(figuresOf(actual)).toEqual(figuresOf(reference[0]!.total));
    return actual;
  }
  const actual = await getOee(query, null, now) as TOeeBucket[];
  expect(actual.map((bucket) => [bucket.from, bucket.to])).toEqual(reference.map(({ window }) => [new Date(window.start).toISOString(), new Date(window.end).toISOString()]));
  expect(actual.map(figuresOf)).toEqual(reference.map(({ total }) => figuresOf(total)));
  return actual;
}

beforeAll(async () => {
  await write(machines.flatMap((path, index) => plantData(path, index + 1)));
  // Shifts on the line start at :30 (cut hours); the third shift of each day is missing on purpose.
  const shifts: TIngestRecord[] = [];
  for (let time = start - day; time < end + day; time += day) {
    shifts.push({ kind: "shift-add", path: `${site}/area/line`, startTime: time + 5 * hour + 30 * minute, endTime: time + 13 * hour + 30 * minute });
    shifts.push({ kind: "shift-add", path: `${site}/area/line`, startTime: time + 13 * hour + 30 * minute, endTime: time + 21 * hour + 30 * minute });
  }
  await write(shifts);
  const siteAsset = await getDb().asset.update({ where: { path: site }, data: { timeZone } });
  await saveShiftPattern(siteAsset.id, sitePattern, caller);
  await saveReasonCode({ site, code: 100_000, name: "Changeover (planned here)", category: "plannedStop" }, caller);
  const stop = (await pool.query<{ time: Date }>(
    `SELECT e.time FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1 AND e.state = 40000 AND e.time > $2 ORDER BY e.time LIMIT 1`,
    [machines[0], new Date(start + day)])).rows[0];
  if (!stop) throw new Error("the generator made no unspecified stop");
  await classifyStop({ asset: machines[0]!, start: stop.time.toISOString(), reasonCode: 150_000 }, { ...caller, role: "SUPERVISOR" });
}, 120_000);

afterAll(async () => {
  await pool.end();
  await getDb().$disconnect();
});

describe("OEE from the database equals computeOee over every raw row", () => {
  const now = end + day;

  it("over four days (hourly totals) and over one day (raw rows)", async () => {
    await expectSameAsRaw(start, end, now);
    await expectSameAsRaw(start + day + 7 * hour + 13 * minute, start + 2 * day + 3 * hour, now);
  });

  it("grouped by the site's days, by hours and by shifts", async () => {
    const days = await expectSameAsRaw(start, end, now, "day");
    expect(days).toHaveLength(5); // four UTC days seen from +05:30
    await expectSameAsRaw(start, end, now, "hour");
    await expectSameAsRaw(start, end, now, "shift");
  });

  it("with now inside the range: open states end at now and later parts are left out", async () => {
    await expectSameAsRaw(start, end, start + 2 * day + 11 * hour + 7 * minute + 123, "day");
  });

  it("after late states, counts and a classification arrive for hours state_hours already holds", async () => {
    const before = await expectSameAsRaw(start, end, now) as TOeeSummary;
    await write([
      // Preventive maintenance (planned) inside the quiet, running stretch: planned production time must shrink.
      { kind: "state", path: machines[1]!, time: quietFrom + hour + 1234, state: 210_000 },
      { kind: "state", path: machines[1]!, time: quietFrom + hour + 47 * minute, state: 10_000 },
      { kind: "count", path: machines[1]!, time: start + day + 10 * hour + 1, count: 500, scrap: 7 },
      { kind: "state", path: machines[0]!, time: end + 30 * minute, state: 160_000 },
    ]);
    const late = (await pool.query<{ time: Date }>(
      `SELECT e.time FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1 AND e.state = 180000 ORDER BY e.time DESC LIMIT 1`, [machines[0]])).rows[0];
    if (late) await classifyStop({ asset: machines[0]!, start: late.time.toISOString(), reasonCode: 100_000 }, { ...caller, role: "SUPERVISOR" });
    const after = await expectSameAsRaw(start, end, now) as TOeeSummary;
    expect(before.machines[1]!.plannedStopTimeMs + 47 * minute - 1234).toBe(after.machines[1]!.plannedStopTimeMs);
    await expectSameAsRaw(start, end, now, "day");
    // The hour was rebuilt from the late events on.
    const { rows } = await pool.query<{ spans: string }>(
      `SELECT h.spans FROM state_hours h JOIN assets a ON a.id = h.asset_id WHERE a.path = $1 AND h.bucket = $2`,
      [machines[1], new Date(quietFrom + hour)]);
    expect(rows).toEqual([{ spans: `10000:${hour - (47 * minute - 1234)} 210000:${47 * minute - 1234}` }]);
  });

  it("stores hours cut at the calendar's break edges and local midnights, and re-cuts them when the calendar changes", async () => {
    const bucketsOf = async (path: string, from: number, to: number) => (await pool.query<{ bucket: Date }>(
      `SELECT h.bucket FROM state_hours h JOIN assets a ON a.id = h.asset_id WHERE a.path = $1 AND h.bucket >= $2 AND h.bucket < $3 ORDER BY h.bucket`,
      [path, new Date(from), new Date(to)])).rows.map((row) => row.bucket.getTime() - from);
    await expectSameAsRaw(start, end, now, "day");
    // Day 2 in UTC: Early's break 14:07–14:29 (+05:30) is 08:37–08:59; the site's midnight is 18:30.
    const day2 = await bucketsOf(machines[0]!, start + day, start + 2 * day);
    expect(day2).toEqual(expect.arrayContaining([8 * hour, 8 * hour + 37 * minute, 8 * hour + 59 * minute, 18 * hour + 30 * minute]));
    // And nowhere else: every other hour is stored whole.
    const cutsOfDay2 = statePieceCuts({ timeZone, patterns, exceptions: [] }, timeZone, start + day, start + 2 * day).map((instant) => instant - start - day);
    expect(day2.filter((offset) => offset % hour !== 0)).toEqual(cutsOfDay2);

    // From day 3 on, Early alone with its break at 15:41–15:53 (10:11–10:23 UTC).
    const changed = ZShiftPattern.parse({
      validFrom: new Date(start + 2 * day).toISOString().slice(0, 10),
      shifts: [{ name: "Early", start: "11:00", end: "19:00", days: [1, 2, 3, 4, 5, 6, 7], breaks: [{ start: "15:41", end: "15:53" }] }],
    });
    const siteAsset = await getDb().asset.findUniqueOrThrow({ where: { path: site } });
    await saveShiftPattern(siteAsset.id, changed, caller);
    patterns.push(changed);
    await expectSameAsRaw(start, end, now, "day");
    await expectSameAsRaw(start, end, now, "shift");
    const day3 = await bucketsOf(machines[1]!, start + 3 * day, start + 4 * day);
    expect(day3).toEqual(expect.arrayContaining([10 * hour + 11 * minute, 10 * hour + 23 * minute]));
    expect(day3).not.toContain(8 * hour + 37 * minute);
    expect(await bucketsOf(machines[1]!, start, start + day)).toContain(8 * hour + 37 * minute);
  });
});
