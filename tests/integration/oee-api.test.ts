import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import { NextRequest } from "next/server";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { GET } from "@/app/api/v1/oee/route";
import { hashPassword } from "@/lib/auth/password";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import { closeHarness, connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitFor, waitUntilSubscribed } from "../support/ingest-harness";

// A full 8-hour shift of two machines, driven through the real broker and the real ingest worker,
// then read back through GET /api/v1/oee and checked against figures worked out by hand below.
const minute = 60_000;
const hour = 60 * minute;
const enterprise = uniqueEnterprise("oee");
const line = `${enterprise}/site-1/area-1/line-1`;
const press = `${line}/press-1`;
const cnc = `${line}/cnc-1`;
// Yesterday 06:00–14:00 UTC: in the past, as the ingest worker requires, and a whole shift.
const today = new Date();
const shiftStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 6);
const shiftEnd = shiftStart + 8 * hour;
const at = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(":").map(Number);
  return shiftStart - 6 * hour + (hours ?? 0) * hour + (minutes ?? 0) * minute;
};
const range = { from: new Date(shiftStart).toISOString(), to: new Date(shiftEnd).toISOString() };

let worker: TWorker;
let publisher: MqttClient;
let pool: pg.Pool;
let cookie = "";

const topic = (path: string, schema: string) => `umh/v1/${path}/_analytics/${schema}`;

async function get(query: Record<string, string>) {
  const url = `http://localhost/api/v1/oee?${new URLSearchParams(query)}`;
  const response = await GET(new NextRequest(url, { headers: { cookie } }), { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

async function countOf(table: "state_events" | "production_counts", path: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} t JOIN assets a ON a.id = t.asset_id WHERE a.path = $1`, [path]);
  return Number(rows[0]?.n);
}

async function publishStates(path: string, states: [string, number][]) {
  for (const [time, state] of states) await publishJson(publisher, topic(path, "state"), { timestamp_ms: at(time), state });
}

async function publishCounts(path: string, counts: [string, number, number][]) {
  for (const [time, count, scrap] of counts) await publishJson(publisher, topic(path, "count"), { timestamp_ms: at(time), count, scrap });
}

beforeAll(async () => {
  pool = testDb();
  ({ worker } = await startTestWorker(enterprise));
  publisher = await connectPublisher();
  await waitUntilSubscribed(publisher, pool, enterprise);

  const email = `oee-${randomUUID()}@shopfloor.test`;
  await getDb().user.create({ data: { email, passwordHash: await hashPassword("oee-viewer-pass"), role: "VIEWER" } });
  cookie = `shopfloor_session=${(await signIn({ email, password: "oee-viewer-pass" }, null)).token}`;

  // The shift is planned on the line, so it applies to both machines under it.
  await publishJson(publisher, topic(line, "shift/add"), { startTime: shiftStart, endTime: shiftEnd });

  // press-1: brackets, ideal cycle time 2 s, on a work order started before the shift.
  await publishJson(publisher, topic(press, "product-type/create"), { externalProductTypeId: "bracket", cycleTimeMs: 2000 });
  await publishJson(publisher, topic(press, "work-order/create"), { externalWorkOrderId: "WO-1", externalProductTypeId: "bracket", quantity: 20_000 });
  await publishJson(publisher, topic(press, "work-order/start"), { externalWorkOrderId: "WO-1", startTime: at("05:30") });
  await publishStates(press, [
    ["05:30", 10_000], // producing since before the shift: the state in force at 06:00
    ["08:00", 150_000], ["08:15", 10_000], // operator break, planned: 15 min
    ["10:00", 180_000], ["10:30", 10_000], // equipment failure, unplanned: 30 min
    ["12:00", 50_000], ["12:02", 10_000], // micro-stop: stays run time, a performance loss: 2 min
    ["13:00", 40_000], ["13:10", 10_000], // unspecified stop, unplanned: 10 min
    ["14:30", 160_000], // after the shift: outside the range
  ]);
  await publishCounts(press, [["05:45", 999, 9], ["07:00", 1500, 10], ["09:00", 2500, 20], ["11:00", 2000, 15], ["13:30", 3000, 25], ["14:15", 888, 8]]);

  // cnc-1: housings, ideal cycle time 3 s.
  await publishJson(publisher, topic(cnc, "product-type/create"), { externalProductTypeId: "housing", cycleTimeMs: 3000 });
  await publishJson(publisher, topic(cnc, "work-order/create"), { externalWorkOrderId: "WO-2", externalProductTypeId: "housing", quantity: 9000 });
  await publishJson(publisher, topic(cnc, "work-order/start"), { externalWorkOrderId: "WO-2", startTime: at("05:00") });
  await publishStates(cnc, [
    ["06:00", 10_000],
    ["09:00", 100_000], ["09:40", 10_000], // changeover, unplanned (set-up loss): 40 min
    ["11:00", 210_000], ["11:30", 10_000], // preventive maintenance, planned: 30 min
  ]);
  await publishCounts(cnc, [["07:00", 3000, 30], ["10:00", 2000, 20], ["12:30", 2500, 50]]);

  await waitFor(async () => [await countOf("state_events", press), await countOf("production_counts", press), await countOf("state_events", cnc), await countOf("production_counts", cnc)],
    (counts) => counts.join() === "10,6,5,3");
  await waitFor(async () => (await pool.query(
    `SELECT count(*)::int AS n FROM work_orders w JOIN assets a ON a.id = w.asset_id JOIN product_types p ON p.id = w.product_type_id
     WHERE a.path = ANY($1::text[]) AND w.start_time IS NOT NULL AND p.cycle_time_ms IS NOT NULL`, [[press, cnc]])).rows[0]?.n,
  (n) => n === 2);
  await waitFor(async () => (await pool.query("SELECT count(*)::int AS n FROM shifts s JOIN assets a ON a.id = s.asset_id WHERE a.path = $1", [line])).rows[0]?.n, (n) => n === 1);
}, 60_000);

afterAll(() => closeHarness({ publisher, worker, pool }));

describe("GET /api/v1/oee over a full shift ingested through MQTT", () => {
  it("computes press-1's OEE and every input figure as worked out by hand", async () => {
    // Shift 06:00–14:00 = 480 min of calendar time.
    // Planned stops: break 15 min → planned production time (PPT) = 480 − 15 = 465 min = 27 900 000 ms.
    // Unplanned stops: failure 30 + unspecified 10 = 40 min → run time = 465 − 40 = 425 min = 25 500 000 ms
    //   (the 2-min micro-stop stays in run time). Availability = 425 / 465 = 0.913978.
    // Counts inside the shift (05:45 and 14:15 lie outside the range): 1500 + 2500 + 2000 + 3000 = 9000,
    //   scrap 10 + 20 + 15 + 25 = 70, good 8930.
    // Performance = 9000 × 2 s / 25 500 s = 18 000 / 25 500 = 0.705882.
    // Quality = 8930 / 9000 = 0.992222.
    // OEE = 0.913978 × 0.705882 × 0.992222 = good × ideal / PPT = 17 860 / 27 900 = 0.640143.
    // TEEP = OEE × PPT / calendar = 17 860 / 28 800 = 0.620139.
    const { status, body } = await get({ asset: press, ...range });
    expect(status).toBe(200);
    const oee = body.data;
    expect(oee.availability).toBeCloseTo(425 / 465, 4);
    expect(oee.availability).toBeCloseTo(0.914, 3);
    expect(oee.performance).toBeCloseTo(0.7059, 4);
    expect(oee.quality).toBeCloseTo(0.9922, 4);
    expect(oee.oee).toBeCloseTo(0.6401, 4);
    expect(oee.teep).toBeCloseTo(0.6201, 4);
    expect(oee).toMatchObject({
      plannedProductionTimeMs: 465 * minute,
      runTimeMs: 425 * minute,
      unplannedStopTimeMs: 40 * minute,
      plannedStopTimeMs: 15 * minute,
      calendarTimeMs: 480 * minute,
      totalCount: 9000,
      goodCount: 8930,
      scrapCount: 70,
      idealCycleTimeMs: 2000,
      idealProductionTimeMs: 18_000_000,
      warnings: [],
    });
    // Six big losses: breakdowns 40 min, small stops 2 min, reduced speed 425 − 300 − 2 = 123 min, rejects 70 × 2 s.
    expect(oee.losses).toEqual({
      breakdownsMs: 40 * minute, setupAdjustmentMs: 0, smallStopsMs: 2 * minute, reducedSpeedMs: 123 * minute, startupRejectsMs: 0, productionRejectsMs: 140_000,
    });
    expect(oee.machines).toHaveLength(1);
    expect(oee.machines[0]).toMatchObject({ path: press, name: "press-1", totalCount: 9000 });
  });

  it("groups by hour: eight buckets in time order whose counts add up to the shift's", async () => {
    const { body } = await get({ asset: press, ...range, groupBy: "hour" });
    const buckets = body.data as { from: string; to: string; totalCount: number; scrapCount: number; runTimeMs: number; plannedProductionTimeMs: number }[];
    expect(buckets.map((bucket) => bucket.from)).toEqual(Array.from({ length: 8 }, (_, index) => new Date(shiftStart + index * hour).toISOString()));
    expect(buckets.at(-1)?.to).toBe(range.to);
    expect(buckets.map((bucket) => bucket.totalCount)).toEqual([0, 1500, 0, 2500, 0, 2000, 0, 3000]);
    expect(buckets.reduce((sum, bucket) => sum + bucket.totalCount, 0)).toBe(9000);
    expect(buckets.reduce((sum, bucket) => sum + bucket.scrapCount, 0)).toBe(70);
    expect(buckets.reduce((sum, bucket) => sum + bucket.runTimeMs, 0)).toBe(425 * minute);
    // 08:00–09:00 holds the 15-min break; 10:00–11:00 the 30-min failure.
    expect(buckets[2]?.plannedProductionTimeMs).toBe(45 * minute);
    expect(buckets[4]?.runTimeMs).toBe(30 * minute);
  });

  it("aggregates a line by time and counts, not by averaging its machines' percentages", async () => {
    // cnc-1: PPT = 480 − 30 (maintenance) = 450 min, run = 450 − 40 (changeover) = 410 min, 7500 parts, 100 scrap,
    //   ideal 3 s: OEE = 7400 × 3 / (450 × 60) = 22 200 / 27 000 = 0.822222.
    // Line: PPT = 465 + 450 = 915 min, run = 425 + 410 = 835 min → availability = 835 / 915 = 0.912568;
    //   ideal time = 9000 × 2 + 7500 × 3 = 40 500 s → performance = 40 500 / 50 100 = 0.808383;
    //   quality = 16 330 / 16 500 = 0.989697 (good / total, count-weighted as domain.md §4 defines it);
    //   OEE = A × P × Q = (40 500 / 54 900) × 0.989697 = 0.737705 × 0.989697 = 0.730104
    //   (the mean of 0.640143 and 0.822222 would be 0.731183); TEEP = OEE × 915 / 960 (machine-time) = 0.695881.
    const { status, body } = await get({ asset: line, ...range });
    expect(status).toBe(200);
    const oee = body.data;
    expect(oee.machines.map((machine: { path: string }) => machine.path)).toEqual([cnc, press]);
    expect(oee.machines[0].oee).toBeCloseTo(0.8222, 4);
    expect(oee).toMatchObject({ plannedProductionTimeMs: 915 * minute, runTimeMs: 835 * minute, totalCount: 16_500, goodCount: 16_330, scrapCount: 170 });
    expect(oee.availability).toBeCloseTo(0.9126, 4);
    expect(oee.performance).toBeCloseTo(0.8084, 4);
    expect(oee.quality).toBeCloseTo(0.9897, 4);
    expect(oee.oee).toBeCloseTo(0.7301, 4);
    expect(oee.oee).not.toBeCloseTo((0.640143 + 0.822222) / 2, 3);
    expect(oee.teep).toBeCloseTo(0.6959, 4);
    expect(oee.idealCycleTimeMs).toBeCloseTo(40_500_000 / 16_500, 6);
    expect(oee.losses.setupAdjustmentMs).toBe(40 * minute);
    // The site reads the same two machines.
    expect((await get({ asset: `${enterprise}/site-1`, ...range })).body.data.oee).toBeCloseTo(0.7301, 4);
  });

  it("gives the same answer from hourly totals over a long range as from raw rows over the shift", async () => {
    const short = (await get({ asset: line, ...range })).body.data;
    // Three days: long enough to read state_hours and production_hours wherever no boundary cuts an hour.
    const long = (await get({ asset: line, from: new Date(shiftStart - 30 * hour).toISOString(), to: new Date(shiftEnd + 30 * hour).toISOString() })).body.data;
    for (const key of ["plannedProductionTimeMs", "runTimeMs", "unplannedStopTimeMs", "plannedStopTimeMs", "totalCount", "goodCount", "scrapCount", "idealProductionTimeMs"]) {
      expect(long[key], key).toBe(short[key]);
    }
    const days = (await get({ asset: line, from: new Date(shiftStart - 30 * hour).toISOString(), to: new Date(shiftEnd + 30 * hour).toISOString(), groupBy: "day" })).body.data;
    expect(days.reduce((sum: number, day: { totalCount: number }) => sum + day.totalCount, 0)).toBe(16_500);
    const shifts = (await get({ asset: line, from: new Date(shiftStart - 30 * hour).toISOString(), to: new Date(shiftEnd + 30 * hour).toISOString(), groupBy: "shift" })).body.data;
    expect(shifts).toHaveLength(1);
    expect(shifts[0]).toMatchObject({ from: range.from, to: range.to, runTimeMs: 835 * minute, totalCount: 16_500 });
  });

  it("changes the next answer when a count arrives late", async () => {
    const before = (await get({ asset: press, ...range })).body.data;
    expect(before.totalCount).toBe(9000);
    await publishCounts(press, [["13:45", 600, 5]]);
    await waitFor(() => countOf("production_counts", press), (n) => n === 7);
    // 9600 parts, 75 scrap: performance = 19 200 / 25 500 = 0.752941, quality = 9525 / 9600 = 0.992188,
    // OEE = 9525 × 2 / 27 900 = 0.682796.
    const after = (await get({ asset: press, ...range })).body.data;
    expect(after).toMatchObject({ totalCount: 9600, scrapCount: 75, goodCount: 9525, runTimeMs: 425 * minute });
    expect(after.performance).toBeCloseTo(0.7529, 4);
    expect(after.quality).toBeCloseTo(0.9922, 4);
    expect(after.oee).toBeCloseTo(0.6828, 4);
  });

  it("refuses bad input with a clear 400, an unknown asset with 404, and strangers with 401", async () => {
    const missingAsset = await get({ ...range });
    expect(missingAsset.status).toBe(400);
    expect(missingAsset.body.error.message).toMatch(/asset: is required/);
    const reversed = await get({ asset: press, from: range.to, to: range.from });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toMatch(/from must be before to/);
    const notIso = await get({ asset: press, from: "yesterday", to: range.to });
    expect(notIso.status).toBe(400);
    expect(notIso.body.error.message).toMatch(/from: must be an ISO 8601 date-time/);
    const noZone = await get({ asset: press, from: "2026-11-25T06:00:00", to: range.to });
    expect(noZone.status).toBe(400);
    const groupBy = await get({ asset: press, ...range, groupBy: "month" });
    expect(groupBy.status).toBe(400);
    expect(groupBy.body.error.message).toMatch(/groupBy must be one of shift, hour, day, week/);
    const tooLong = await get({ asset: press, from: "2024-01-01T00:00:00Z", to: "2025-06-01T00:00:00Z" });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/at most 400 days/);
    const unknown = await get({ asset: `${enterprise}/no/such/asset`, ...range });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    const signedIn = cookie;
    cookie = "";
    try {
      expect((await get({ asset: press, ...range })).status).toBe(401);
    } finally {
      cookie = signedIn;
    }
  });
});
