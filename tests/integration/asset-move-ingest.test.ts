import type { MqttClient } from "mqtt";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { moveAsset } from "@/lib/assets/move-asset";
import { retireAsset } from "@/lib/assets/retire-asset";
import { getDb } from "@/lib/db";
import { closeHarness, connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitFor, waitUntilSubscribed } from "../support/ingest-harness";

// A running worker caches path → asset. When an admin moves an asset, its old topic path must stop
// feeding it once the worker notices (its settings poll, every 5 s): data on the old path then becomes
// a new asset there, as the move dialog warns. A retired asset takes no new data at all.
const enterprise = uniqueEnterprise("move");
const oldPath = `${enterprise}/site/area/line-1/press`;
const newParent = `${enterprise}/site/area/line-2`;

let worker: TWorker;
let publisher: MqttClient;
let pool: pg.Pool;

const admin = { kind: "user" as const, id: "00000000-0000-4000-8000-000000000001", label: "move-test", role: "ADMIN" as const, email: "move-test@shopfloor.test", name: null, sitePaths: null };

async function samplesOf(path: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM samples x JOIN series s ON s.id = x.series_id JOIN assets a ON a.id = s.asset_id WHERE a.path = $1", [path]);
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  pool = testDb();
  ({ worker } = await startTestWorker(enterprise));
  publisher = await connectPublisher();
  await waitUntilSubscribed(publisher, pool, enterprise);
  await publishJson(publisher, `umh/v1/${oldPath}/_historian`, { timestamp_ms: Date.now() - 60_000, temperature: 1 });
  await publishJson(publisher, `umh/v1/${newParent}/_historian`, { timestamp_ms: Date.now() - 60_000, speed: 1 });
  await waitFor(() => samplesOf(oldPath), (n) => n === 1);
  // Actor rows reference users by id only when they exist; the audit keeps the label.
  await getDb().user.upsert({ where: { id: admin.id }, update: {}, create: { id: admin.id, email: admin.email, passwordHash: "x", role: "ADMIN" } });
}, 60_000);

afterAll(() => closeHarness({ publisher, worker, pool }));

describe("a running worker and the asset hierarchy", () => {
  it("stops feeding a moved asset from its old path, without a restart", async () => {
    const press = await getDb().asset.findUniqueOrThrow({ where: { path: oldPath } });
    const line2 = await getDb().asset.findUniqueOrThrow({ where: { path: newParent } });
    await moveAsset(press.id, { parentId: line2.id }, admin);
    const moved = await getDb().asset.findUniqueOrThrow({ where: { id: press.id } });
    expect(moved.path).toBe(`${newParent}/press`);

    // Published until the worker has noticed (its poll is 5 s): then a new asset appears at the old path.
    await waitFor(async () => {
      await publishJson(publisher, `umh/v1/${oldPath}/_historian`, { timestamp_ms: Date.now() - 1_000, temperature: 2 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      return getDb().asset.findUnique({ where: { path: oldPath } });
    }, (asset) => asset !== null, 20_000);
    const fresh = await getDb().asset.findUniqueOrThrow({ where: { path: oldPath } });
    expect(fresh.id).not.toBe(press.id);
    // Until the worker noticed, the old path still fed the moved asset; from then on, only the new one.
    const movedCount = await samplesOf(`${newParent}/press`);
    const freshCount = await samplesOf(oldPath);
    for (let i = 0; i < 3; i++) await publishJson(publisher, `umh/v1/${oldPath}/_historian`, { timestamp_ms: Date.now() - 100 + i, temperature: 4 });
    await waitFor(() => samplesOf(oldPath), (n) => n === freshCount + 3);
    expect(await samplesOf(`${newParent}/press`)).toBe(movedCount);
  }, 30_000);

  it("stops feeding a retired asset from its path", async () => {
    const fresh = await getDb().asset.findUniqueOrThrow({ where: { path: oldPath } });
    const before = await samplesOf(oldPath);
    await retireAsset(fresh.id, {}, admin);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await publishJson(publisher, `umh/v1/${oldPath}/_historian`, { timestamp_ms: Date.now() - 500, temperature: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM samples x JOIN series s ON s.id = x.series_id WHERE s.asset_id = $1", [fresh.id]);
    expect(Number(after.rows[0]?.n)).toBe(before);
  }, 30_000);
});
