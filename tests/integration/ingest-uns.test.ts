import type { MqttClient } from "mqtt";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitUntilSubscribed, uniquePath as pathUnder, waitFor } from "../support/ingest-harness";

let worker: TWorker;
let publisher: MqttClient;
let db: pg.Pool;
const enterprise = uniqueEnterprise();
const uniquePath = (_prefix?: string) => pathUnder(enterprise);
const base = Date.UTC(2026, 10, 25, 6, 0, 0);

async function sampleCount(path: string, metric?: string) {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id
     WHERE a.path = $1 AND ($2::text IS NULL OR r.metric = $2)`,
    [path, metric ?? null],
  );
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  db = testDb();
  ({ worker } = await startTestWorker(enterprise));
  publisher = await connectPublisher();
  await waitUntilSubscribed(publisher, db, enterprise);
});

afterAll(async () => {
  await publisher?.endAsync();
  await worker?.close();
  await db?.end();
});

describe("UNS JSON ingest (real broker, real database)", () => {
  it("stores _historian values once, registers the asset path, and rolls them up exactly", async () => {
    const path = uniquePath();
    const topic = `umh/v1/${path}/_historian`;
    const temperatures = [70, 71.5, 69, 73.25, 72];
    for (const [index, temperature] of temperatures.entries()) {
      const message = { timestamp_ms: base + index * 10_000, temperature, running: index % 2 === 0, axis: { x: index } };
      await publishJson(publisher, topic, message);
      // Every message delivered twice, as after a QoS 1 redelivery: stored once.
      await publishJson(publisher, topic, message);
    }
    await waitFor(() => sampleCount(path), (n) => n === 15);

    const ancestry = path.split("/").map((_segment, index, segments) => segments.slice(0, index + 1).join("/"));
    const { rows: assets } = await db.query<{ path: string; level: string }>(
      "SELECT path, level FROM assets WHERE path = ANY($1::text[]) ORDER BY length(path)", [ancestry],
    );
    expect(assets.map((asset) => asset.level)).toEqual(["ENTERPRISE", "SITE", "AREA", "LINE", "WORK_CELL"]);

    const { rows } = await db.query<{ count: number; sum: number; min: number; max: number; last_value: number }>(
      `SELECT m.count, m.sum, m.min, m.max, m.last_value FROM sample_minutes m JOIN series r ON r.id = m.series_id
       JOIN assets a ON a.id = r.asset_id WHERE a.path = $1 AND r.metric = 'temperature' ORDER BY m.bucket`, [path],
    );
    // 06:00:00–06:00:40 fall in one minute bucket.
    expect(rows).toEqual([{ count: 5, sum: 355.75, min: 69, max: 73.25, last_value: 72 }]);
    expect(await sampleCount(path, "axis.x")).toBe(5);
    expect(await sampleCount(path, "running")).toBe(5);
  });

  it("keeps the latest value by event time when data arrives out of order", async () => {
    const path = uniquePath();
    const topic = `umh/v1/${path}/_historian/spindle/speed`;
    for (const [offset, value] of [[30_000, 3], [10_000, 1], [20_000, 2]] as const) {
      await publishJson(publisher, topic, { timestamp_ms: base + offset, value });
    }
    await waitFor(() => sampleCount(path, "spindle.speed"), (n) => n === 3);
    const { rows } = await db.query<{ last_value: number; count: number }>(
      `SELECT h.last_value, h.count FROM sample_hours h JOIN series r ON r.id = h.series_id JOIN assets a ON a.id = r.asset_id
       WHERE a.path = $1`, [path],
    );
    expect(rows).toEqual([{ last_value: 3, count: 3 }]);
  });

  it("counts parts exactly once and keeps hourly totals in step", async () => {
    const path = uniquePath();
    const topic = `umh/v1/${path}/_analytics/count`;
    const counts = [{ count: 10, scrap: 1 }, { count: 12 }, { count: 9, scrap: 2 }];
    for (const [index, count] of counts.entries()) {
      const message = { timestamp_ms: base + index * 60_000, ...count };
      await publishJson(publisher, topic, message);
      await publishJson(publisher, topic, message);
    }
    const { rows } = await waitFor(
      () => db.query<{ count: string; scrap: string }>(
        `SELECT h.count, h.scrap FROM production_hours h JOIN assets a ON a.id = h.asset_id WHERE a.path = $1`, [path],
      ),
      (result) => result.rows[0]?.count === "31",
    );
    expect(rows).toEqual([{ count: "31", scrap: "3" }]);
    const raw = await db.query("SELECT 1 FROM production_counts c JOIN assets a ON a.id = c.asset_id WHERE a.path = $1", [path]);
    expect(raw.rowCount).toBe(3);
  });

  it("records states, shifts, product types and work orders", async () => {
    const path = uniquePath();
    const analytics = `umh/v1/${path}/_analytics`;
    await publishJson(publisher, `${analytics}/state`, { timestamp_ms: base, state: 10000 });
    await publishJson(publisher, `${analytics}/state`, { timestamp_ms: base + 60_000, state: 180001 });
    await publishJson(publisher, `${analytics}/shift/add`, { startTime: base, endTime: base + 8 * 3_600_000 });
    await publishJson(publisher, `${analytics}/product-type/create`, { externalProductTypeId: "W-100", cycleTimeMs: 1000 });
    await publishJson(publisher, `${analytics}/work-order/create`, { externalWorkOrderId: "WO-1", externalProductTypeId: "W-100", quantity: 20000 });
    await publishJson(publisher, `${analytics}/work-order/start`, { externalWorkOrderId: "WO-1", startTime: base });
    await publishJson(publisher, `${analytics}/work-order/stop`, { externalWorkOrderId: "WO-1", endTime: base + 3_600_000 });
    await publishJson(publisher, `${analytics}/shift/add`, { startTime: base + 86_400_000, endTime: base + 86_400_000 + 3_600_000 });
    await publishJson(publisher, `${analytics}/shift/delete`, { startTime: base + 86_400_000 });

    const order = await waitFor(
      () => db.query<{ quantity: number; start_time: Date | null; end_time: Date | null; cycle_time_ms: number }>(
        `SELECT w.quantity, w.start_time, w.end_time, p.cycle_time_ms FROM work_orders w JOIN product_types p ON p.id = w.product_type_id
         JOIN assets a ON a.id = w.asset_id WHERE a.path = $1 AND w.external_id = 'WO-1'`, [path],
      ),
      (result) => result.rows[0]?.end_time != null,
    );
    expect(order.rows[0]).toMatchObject({ quantity: 20000, cycle_time_ms: 1000, start_time: new Date(base), end_time: new Date(base + 3_600_000) });
    const states = await db.query("SELECT state FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1 ORDER BY time", [path]);
    expect(states.rows.map((row) => row.state)).toEqual([10000, 180001]);
    const shifts = await waitFor(
      () => db.query("SELECT start_time FROM shifts s JOIN assets a ON a.id = s.asset_id WHERE a.path = $1", [path]),
      (result) => result.rowCount === 1,
    );
    expect(shifts.rows[0].start_time).toEqual(new Date(base));
  });

  it("completes planning data that arrives out of order, without guessing a cycle time", async () => {
    const path = uniquePath();
    const analytics = `umh/v1/${path}/_analytics`;
    const order = () => db.query<{ quantity: number | null; start_time: Date | null; cycle_time_ms: number | null; product: string | null }>(
      `SELECT w.quantity, w.start_time, p.cycle_time_ms, p.external_id AS product FROM work_orders w
       LEFT JOIN product_types p ON p.id = w.product_type_id JOIN assets a ON a.id = w.asset_id
       WHERE a.path = $1 AND w.external_id = 'WO-9'`, [path],
    ).then((result) => result.rows[0]);
    // The start first, then the order, then (much later) its product type.
    await publishJson(publisher, `${analytics}/work-order/start`, { externalWorkOrderId: "WO-9", startTime: base });
    await waitFor(order, (row) => row?.start_time != null);
    await publishJson(publisher, `${analytics}/work-order/create`, { externalWorkOrderId: "WO-9", externalProductTypeId: "P-LATE", quantity: 5 });
    const waiting = await waitFor(order, (row) => row?.quantity === 5);
    expect(waiting).toEqual({ quantity: 5, start_time: new Date(base), cycle_time_ms: null, product: "P-LATE" });
    await publishJson(publisher, `${analytics}/product-type/create`, { externalProductTypeId: "P-LATE", cycleTimeMs: 2500 });
    const complete = await waitFor(order, (row) => row?.cycle_time_ms != null);
    expect(complete).toEqual({ quantity: 5, start_time: new Date(base), cycle_time_ms: 2500, product: "P-LATE" });
    // A later re-declaration does not silently change the ideal cycle time the figures used.
    await publishJson(publisher, `${analytics}/product-type/create`, { externalProductTypeId: "P-LATE", cycleTimeMs: 1 });
    await publishJson(publisher, `${analytics}/state`, { timestamp_ms: base, state: 10000 });
    await waitFor(() => db.query("SELECT 1 FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1", [path]).then((r) => r.rowCount), (n) => n === 1);
    expect((await order())?.cycle_time_ms).toBe(2500);
  });
});
