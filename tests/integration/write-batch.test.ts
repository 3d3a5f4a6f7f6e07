import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestCaches, type TBatchMessage, writeBatch } from "@/lib/ingest/write-batch";
import type { TSampleRecord } from "@/lib/ingest/records";
import { testDb, uniqueEnterprise, uniquePath } from "../support/ingest-harness";

let db: pg.Pool;
const enterprise = uniqueEnterprise("wb");
const options = { autoRegister: true, quarantinePayloadCap: 1024 };

beforeAll(() => {
  db = testDb();
});

afterAll(async () => {
  await db?.end();
});

function messageOf(records: TSampleRecord[]): TBatchMessage {
  return { topic: `umh/v1/${records[0]!.path}/_historian`, payload: Buffer.from("{}"), receivedAt: Date.now(), outcome: { records } };
}

async function storedRows(path: string) {
  const { rows } = await db.query<{ metric: string; time: Date; value_num: number | null; value_bool: boolean | null; value_text: string | null }>(
    `SELECT r.metric, s.time, s.value_num, s.value_bool, s.value_text FROM samples s JOIN series r ON r.id = s.series_id
     JOIN assets a ON a.id = r.asset_id WHERE a.path = $1 ORDER BY r.metric, s.time`, [path],
  );
  return rows;
}

describe("writeBatch on the bulk (binary COPY) path", () => {
  it("stores every value type exactly, with its roll-ups, and a replay of the batch changes nothing", async () => {
    const path = uniquePath(enterprise);
    const base = Date.UTC(2026, 10, 25, 6, 0, 0);
    const texts = ["tab\there", "new\nline", "back\\slash", "ünïcødé ✓ 漢字", "", "'; DROP TABLE samples; --"];
    const messages: TBatchMessage[] = [];
    // 7,000 rows: above the single-statement limit, so the batch goes through COPY.
    for (let index = 0; index < 1_000; index += 1) {
      const time = base + index * 1_000;
      messages.push(messageOf([
        { kind: "sample", path, metric: "temperature", time, value: 20 + index / 8 },
        { kind: "sample", path, metric: "negative", time, value: -1e-9 * index - Number.MAX_SAFE_INTEGER },
        { kind: "sample", path, metric: "running", time, value: index % 2 === 0 },
        { kind: "sample", path, metric: "note", time, value: texts[index % texts.length]! },
        { kind: "sample", path, metric: "zero", time, value: 0 },
        { kind: "sample", path, metric: "huge", time, value: 1.7976931348623157e308 },
        { kind: "sample", path, metric: "early", time: Date.UTC(2000, 0, 1, 0, 0, 0, 1) + index, value: index },
      ]));
    }
    const caches = new IngestCaches();
    const client = await db.connect();
    try {
      const first = await writeBatch(client, messages, caches, options);
      expect(first.samplesInserted).toBe(7_000);
      const replay = await writeBatch(client, messages, caches, options);
      expect(replay.samplesInserted).toBe(0);
    } finally {
      client.release();
    }

    const rows = await storedRows(path);
    expect(rows).toHaveLength(7_000);
    const byMetric = (metric: string) => rows.filter((row) => row.metric === metric);
    expect(byMetric("temperature").map((row) => row.value_num)).toEqual(Array.from({ length: 1_000 }, (_, index) => 20 + index / 8));
    expect(byMetric("temperature").map((row) => row.time.getTime())).toEqual(Array.from({ length: 1_000 }, (_, index) => base + index * 1_000));
    expect(byMetric("negative").map((row) => row.value_num)).toEqual(Array.from({ length: 1_000 }, (_, index) => -1e-9 * index - Number.MAX_SAFE_INTEGER));
    expect(byMetric("running").map((row) => [row.value_bool, row.value_num, row.value_text])).toEqual(Array.from({ length: 1_000 }, (_, index) => [index % 2 === 0, null, null]));
    expect(byMetric("note").map((row) => row.value_text)).toEqual(Array.from({ length: 1_000 }, (_, index) => texts[index % texts.length]));
    expect(byMetric("zero").every((row) => row.value_num === 0)).toBe(true);
    expect(byMetric("huge").every((row) => row.value_num === 1.7976931348623157e308)).toBe(true);
    expect(byMetric("early").map((row) => row.time.getTime())).toEqual(Array.from({ length: 1_000 }, (_, index) => Date.UTC(2000, 0, 1, 0, 0, 0, 1) + index));

    // Roll-ups count each stored row once, even though the batch was written twice.
    const { rows: minutes } = await db.query<{ count: number; sum: number; min: number; max: number }>(
      `SELECT sum(m.count)::int AS count, sum(m.sum) AS sum, min(m.min) AS min, max(m.max) AS max FROM sample_minutes m
       JOIN series r ON r.id = m.series_id JOIN assets a ON a.id = r.asset_id WHERE a.path = $1 AND r.metric = 'temperature'`, [path],
    );
    const values = Array.from({ length: 1_000 }, (_, index) => 20 + index / 8);
    expect(minutes[0]).toEqual({ count: 1_000, sum: values.reduce((a, b) => a + b, 0), min: 20, max: 20 + 999 / 8 });
  });
});
