import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/telemetry/route";
import { hashPassword } from "@/lib/auth/password";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import { parseUnsMessage } from "@/lib/ingest/parse-uns";
import { IngestCaches, writeBatch, type TBatchMessage } from "@/lib/ingest/write-batch";

// The telemetry API over data written by the real ingest writer.
const db = getDb();
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
const path = `tele-${randomUUID().slice(0, 8)}/site/area/line/cell`;
const t0 = Date.UTC(2026, 10, 24, 22, 0, 0);
let cookie = "";

function historian(time: number, body: Record<string, unknown>): TBatchMessage {
  const payload = Buffer.from(JSON.stringify({ timestamp_ms: time, ...body }));
  const parsed = parseUnsMessage(`umh/v1/${path}/_historian`, payload, Date.now());
  if (!parsed.ok) throw new Error(parsed.reason);
  return { topic: "t", payload, receivedAt: Date.now(), outcome: { records: parsed.records } };
}

async function get(query: Record<string, string>) {
  const url = `http://localhost/api/v1/telemetry?${new URLSearchParams(query)}`;
  const response = await GET(new NextRequest(url, { headers: { cookie } }), { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  const email = `tele-${randomUUID()}@shopfloor.test`;
  await db.user.create({ data: { email, passwordHash: await hashPassword("telemetry-pass"), role: "VIEWER" } });
  const { token } = await signIn({ email, password: "telemetry-pass" }, null);
  cookie = `shopfloor_session=${token}`;
  // Two hours of a temperature every 20 minutes, sent out of order, plus a boolean.
  const messages = [5, 0, 3, 1, 4, 2].map((index) => historian(t0 + index * 20 * 60_000, { temperature: 60 + index, running: index % 2 === 0 }));
  const client = await pool.connect();
  try {
    await writeBatch(client, messages, new IngestCaches(), { autoRegister: true, quarantinePayloadCap: 1024 });
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("GET /api/v1/telemetry", () => {
  const range = { asset: path, metric: "temperature", from: new Date(t0).toISOString(), to: new Date(t0 + 3 * 3_600_000).toISOString() };

  it("returns raw values in time order", async () => {
    const { status, body } = await get({ ...range, bucket: "raw" });
    expect(status).toBe(200);
    expect(body.data).toEqual([0, 1, 2, 3, 4, 5].map((index) => ({ time: new Date(t0 + index * 20 * 60_000).toISOString(), value: 60 + index })));
  });

  it("returns booleans as booleans", async () => {
    const { body } = await get({ ...range, metric: "running", bucket: "raw" });
    expect(body.data.map((point: { value: boolean }) => point.value)).toEqual([true, false, true, false, true, false]);
  });

  it("returns hourly buckets from the roll-ups", async () => {
    const { body } = await get({ ...range, bucket: "1h" });
    expect(body.data).toEqual([
      { time: new Date(t0).toISOString(), avg: 61, min: 60, max: 62, count: 3, last: 62 },
      { time: new Date(t0 + 3_600_000).toISOString(), avg: 64, min: 63, max: 65, count: 3, last: 65 },
    ]);
  });

  it("returns minute buckets and daily buckets in the requested zone", async () => {
    expect((await get({ ...range, bucket: "1m" })).body.data).toHaveLength(6);
    // 22:00–23:40 UTC is one day in UTC, and one day (starting 10:00 UTC) in Honolulu.
    const utc = (await get({ ...range, bucket: "1d", tz: "UTC" })).body.data;
    expect(utc).toEqual([{ time: new Date(Date.UTC(2026, 10, 24)).toISOString(), avg: 62.5, min: 60, max: 65, count: 6, last: 65 }]);
    const honolulu = (await get({ ...range, bucket: "1d", tz: "Pacific/Honolulu" })).body.data;
    expect(honolulu).toHaveLength(1);
    expect(honolulu[0].time).toBe("2026-11-24T10:00:00.000Z");
  });

  it("rejects bad input with a clear 400, an unknown asset with 404, and strangers with 401", async () => {
    expect((await get({ ...range, from: "yesterday" })).status).toBe(400);
    expect((await get({ ...range, from: range.to, to: range.from })).body.error.message).toMatch(/from must be before to/);
    expect((await get({ ...range, bucket: "5m" })).status).toBe(400);
    expect((await get({ ...range, bucket: "1d", tz: "Mars/Olympus" })).body.error.message).toMatch(/time zone/);
    expect((await get({ ...range, asset: "no/such/asset" })).status).toBe(404);
    cookie = "";
    expect((await get(range)).status).toBe(401);
  });
});
