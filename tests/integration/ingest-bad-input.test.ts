import type { MqttClient } from "mqtt";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitUntilSubscribed, uniquePath as pathUnder, waitFor } from "../support/ingest-harness";

// security.md's bad-input table, the rows about ingest: every bad message is quarantined with a
// reason and its raw bytes, nothing of it is stored, and the worker keeps going.
let worker: TWorker;
let publisher: MqttClient;
let db: pg.Pool;
const enterprise = uniqueEnterprise();
const uniquePath = (_prefix?: string) => pathUnder(enterprise);

async function quarantineFor(topic: string) {
  const { rows } = await db.query<{ reason: string; payload: Buffer; payload_bytes: number }>(
    "SELECT reason, payload, payload_bytes FROM quarantined_messages WHERE topic = $1 ORDER BY id", [topic],
  );
  return rows;
}

async function storedRowsFor(path: string) {
  const { rows } = await db.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id WHERE a.path = $1)
          + (SELECT count(*) FROM production_counts c JOIN assets a ON a.id = c.asset_id WHERE a.path = $1)
          + (SELECT count(*) FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1) AS n`, [path],
  );
  return Number(rows[0]?.n);
}

/** Publishes a bad message followed by a good one on the same path, and waits for both outcomes. */
async function expectQuarantined(schemaTail: string, payload: string | Buffer, reason: RegExp) {
  const path = uniquePath();
  const topic = `umh/v1/${path}/${schemaTail}`;
  await publisher.publishAsync(topic, payload, { qos: 1 });
  await publishJson(publisher, `umh/v1/${path}/_historian`, { timestamp_ms: Date.now(), after: 1 });
  const rows = await waitFor(() => quarantineFor(topic), (result) => result.length === 1);
  expect(rows[0]?.reason).toMatch(reason);
  expect(Buffer.compare(rows[0]!.payload, Buffer.from(payload).subarray(0, rows[0]!.payload.length))).toBe(0);
  // The good message after it went through, and nothing of the bad one was stored.
  await waitFor(() => storedRowsFor(path), (n) => n === 1);
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

describe("bad input is quarantined, never half-stored (security.md rows 1–6, 10–12)", () => {
  const now = () => Date.now();
  it("1: malformed JSON", () => expectQuarantined("_historian", '{"timestamp_ms": 1732521600000, "t": ', /json/i));
  it("2: a string where a number belongs", () => expectQuarantined("_analytics/count", JSON.stringify({ timestamp_ms: now(), count: "12" }), /count/));
  it("2: an object where a value belongs, with valid values beside it", () =>
    expectQuarantined("_historian/line/speed", JSON.stringify({ timestamp_ms: now(), value: { nested: true } }), /line\.speed.*object/));
  it("3: Infinity (1e999)", () => expectQuarantined("_historian", `{"timestamp_ms": ${now()}, "ok": 1, "t": 1e999}`, /finite|range/i));
  it("4: a negative count", () => expectQuarantined("_analytics/count", JSON.stringify({ timestamp_ms: now(), count: -3 }), /count/));
  it("5: an oversized payload", () => expectQuarantined("_historian", JSON.stringify({ timestamp_ms: now(), blob: "x".repeat(300_000) }), /large|size|bytes/i));
  it("5: thousands of metrics", () => {
    const body: Record<string, number> = { timestamp_ms: now() };
    for (let index = 0; index < 5_000; index += 1) body[`m${index}`] = index;
    return expectQuarantined("_historian", JSON.stringify(body), /metrics/i);
  });
  it("6: a __proto__ key", () => expectQuarantined("_historian", `{"timestamp_ms": ${now()}, "__proto__": {"polluted": 1}, "t": 1}`, /__proto__|prototype/));
  it("6: a constructor key in a nested object", () => expectQuarantined("_historian", `{"timestamp_ms": ${now()}, "a": {"constructor": {"prototype": 1}}}`, /constructor|prototype/));
  it("10: a timestamp far in the future", () => expectQuarantined("_historian", JSON.stringify({ timestamp_ms: now() + 86_400_000, t: 1 }), /ahead of the receiving clock/));
  it("10: epoch 0", () => expectQuarantined("_historian", JSON.stringify({ timestamp_ms: 0, t: 1 }), /2000|before/i));
  it("10: seconds instead of milliseconds", () => expectQuarantined("_historian", JSON.stringify({ timestamp_ms: Math.floor(now() / 1000), t: 1 }), /seconds/i));
  it("12: bad UTF-8 in the payload", () => expectQuarantined("_historian", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /utf-?8/i));
  it("12: a topic level with characters outside a-z A-Z 0-9 - _", async () => {
    const topic = `umh/v1/${enterprise}/bad level!/x/_historian`;
    await publishJson(publisher, topic, { timestamp_ms: now(), t: 1 });
    const rows = await waitFor(() => quarantineFor(topic), (result) => result.length === 1);
    expect(rows[0]?.reason).toMatch(/level|topic/i);
  });
  it("12: a very long topic level", async () => {
    // (Brokers refuse topics of more than ~200 levels themselves; a long level reaches us.)
    const topic = `umh/v1/${enterprise}/${"b".repeat(600)}/_historian`;
    await publishJson(publisher, topic, { timestamp_ms: now(), t: 1 });
    const rows = await waitFor(() => quarantineFor(topic), (result) => result.length === 1);
    expect(rows[0]?.reason).toMatch(/long|levels/i);
  });

  it("caps the stored bytes of a huge payload but records its real size", async () => {
    const path = uniquePath();
    const topic = `umh/v1/${path}/_historian`;
    const payload = JSON.stringify({ timestamp_ms: now(), blob: "y".repeat(400_000) });
    await publisher.publishAsync(topic, payload, { qos: 1 });
    const rows = await waitFor(() => quarantineFor(topic), (result) => result.length === 1);
    expect(rows[0]?.payload_bytes).toBe(Buffer.byteLength(payload));
    expect(rows[0]?.payload.length).toBeLessThanOrEqual(65_536);
  });
});

describe("unknown asset paths with auto-registration off (row 11)", () => {
  it("parks the path in unmapped_topics with a count instead of creating the asset", async () => {
    const strictEnterprise = uniqueEnterprise("strict");
    const { worker: strictWorker } = await startTestWorker(strictEnterprise, { INGEST_AUTO_REGISTER: "false" });
    try {
      const path = pathUnder(strictEnterprise);
      const topic = `umh/v1/${path}/_historian`;
      // Probe messages prove the subscription is live; then three more.
      let probes = 0;
      const countOf = async () => Number((await db.query<{ message_count: string }>("SELECT message_count FROM unmapped_topics WHERE path = $1", [path])).rows[0]?.message_count ?? 0);
      await waitFor(async () => {
        probes += 1;
        await publishJson(publisher, topic, { timestamp_ms: Date.now(), t: 0 });
        return countOf();
      }, (n) => n > 0);
      await waitFor(countOf, (n) => n === probes);
      for (let index = 1; index <= 3; index += 1) await publishJson(publisher, topic, { timestamp_ms: Date.now() + index, t: index });
      const { rows } = await waitFor(
        () => db.query<{ message_count: string; status: string }>("SELECT message_count, status FROM unmapped_topics WHERE path = $1", [path]),
        (result) => Number(result.rows[0]?.message_count) === probes + 3,
      );
      expect(rows[0]?.status).toBe("pending");
      expect((await db.query("SELECT 1 FROM assets WHERE path = $1", [path])).rowCount).toBe(0);
      expect((await db.query("SELECT 1 FROM assets WHERE path = $1", [strictEnterprise])).rowCount).toBe(0);
      expect(await quarantineFor(topic)).toHaveLength(probes + 3);
    } finally {
      await strictWorker.close();
    }
  });
});
