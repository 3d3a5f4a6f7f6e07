import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { decodeSparkplugPayload } from "@/lib/ingest/sparkplug/codec";
import { encodeDBirth, encodeData, encodeNBirth, encodeNDeath, sparkplugTopic } from "@/lib/ingest/sparkplug/encode";
import { connectPublisher, startTestWorker, testDb, waitFor } from "../support/ingest-harness";

// A real edge node (this test, over the real broker) and the worker as primary host.
let worker: TWorker;
let edge: MqttClient;
let db: pg.Pool;
const suffix = randomUUID().slice(0, 8);
const hostId = `host-${suffix}`;
const enterprise = `spb-${suffix}`;
const group = `grp-${suffix}`;
const node = "node-1";
const device = "press-7";
const devicePath = `${enterprise}/${group}/${node}/${device}`;
const T = Date.now() - 60_000;

async function samples(path: string, metric: string) {
  const { rows } = await db.query<{ time: Date; value_num: number | null; value_bool: boolean | null }>(
    `SELECT s.time, s.value_num, s.value_bool FROM samples s JOIN series r ON r.id = s.series_id JOIN assets a ON a.id = r.asset_id
     WHERE a.path = $1 AND r.metric = $2 ORDER BY s.time`, [path, metric],
  );
  return rows;
}

const birthMetrics = [
  { name: "Process/Temperature", alias: 1, type: "Double" as const, value: 20.5 },
  { name: "Counters/Good", alias: 2, type: "UInt32" as const, value: 0 },
];

beforeAll(async () => {
  db = testDb();
  ({ worker } = await startTestWorker(enterprise, {
    SPARKPLUG_ENABLED: "true",
    SPARKPLUG_HOST_ID: hostId,
    SPARKPLUG_PATH_TEMPLATE: `${enterprise}/{group}/{edge_node}/{device}`,
  }));
  edge = await connectPublisher();
  // The host announces itself with a retained STATE message once it is subscribed.
  const state = await new Promise<{ online: boolean }>((resolve) => {
    edge.on("message", (topic, payload) => {
      if (topic === `spBv1.0/STATE/${hostId}`) resolve(JSON.parse(payload.toString()));
    });
    void edge.subscribeAsync(`spBv1.0/STATE/${hostId}`, { qos: 1 });
  });
  expect(state.online).toBe(true);
});

afterAll(async () => {
  await edge?.endAsync();
  await worker?.close();
  await db?.end();
});

describe("Sparkplug B primary host (real broker, real database)", () => {
  it("stores births and alias-only data under the mapped asset path", async () => {
    await edge.publishAsync(sparkplugTopic(group, "NBIRTH", node), encodeNBirth({ timestamp: T, bdSeq: 1, metrics: [] }), { qos: 0 });
    await edge.publishAsync(sparkplugTopic(group, "DBIRTH", node, device), encodeDBirth({ timestamp: T, seq: 1, metrics: birthMetrics.map((m) => ({ ...m, timestamp: T })) }), { qos: 0 });
    for (let index = 1; index <= 5; index += 1) {
      await edge.publishAsync(
        sparkplugTopic(group, "DDATA", node, device),
        encodeData({ timestamp: T + index * 1000, seq: 1 + index, metrics: [{ alias: 1, type: "Double", value: 20.5 + index }, { alias: 2, type: "UInt32", value: index * 10 }] }),
        { qos: 0 },
      );
    }
    const temperatures = await waitFor(() => samples(devicePath, "Process.Temperature"), (rows) => rows.length === 6);
    expect(temperatures.map((row) => row.value_num)).toEqual([20.5, 21.5, 22.5, 23.5, 24.5, 25.5]);
    expect((await samples(devicePath, "Counters.Good")).map((row) => row.value_num)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it("answers an unknown alias with a rebirth request and quarantines the message", async () => {
    const commands: Buffer[] = [];
    edge.on("message", (topic, payload) => {
      if (topic === sparkplugTopic(group, "NCMD", node)) commands.push(payload);
    });
    await edge.subscribeAsync(sparkplugTopic(group, "NCMD", node), { qos: 0 });
    const topic = sparkplugTopic(group, "DDATA", node, device);
    await edge.publishAsync(topic, encodeData({ timestamp: T + 10_000, seq: 7, metrics: [{ alias: 99, type: "Double", value: 1 }] }), { qos: 0 });
    await waitFor(async () => commands.length, (n) => n >= 1);
    const rebirth = decodeSparkplugPayload(commands[0]!);
    expect(rebirth.metrics.find((metric) => metric.name === "Node Control/Rebirth")?.value).toEqual({ kind: "boolean", value: true });
    const quarantined = await waitFor(
      () => db.query<{ reason: string }>("SELECT reason FROM quarantined_messages WHERE topic = $1", [topic]).then((r) => r.rows),
      (rows) => rows.length === 1,
    );
    expect(quarantined[0]?.reason).toMatch(/alias 99/);
  });

  it("marks the node's metrics STALE on a matching NDEATH and ignores a stale one", async () => {
    await edge.publishAsync(sparkplugTopic(group, "NDEATH", node), encodeNDeath({ bdSeq: 0 }), { qos: 0 });
    // A wrong bdSeq changes nothing…
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stale = () => db.query<{ stale_since: Date | null }>(
      "SELECT r.stale_since FROM series r JOIN assets a ON a.id = r.asset_id WHERE a.path = $1", [devicePath],
    ).then((r) => r.rows);
    expect((await stale()).every((row) => row.stale_since === null)).toBe(true);
    // …the matching one marks every metric of the device stale.
    await edge.publishAsync(sparkplugTopic(group, "NDEATH", node), encodeNDeath({ bdSeq: 1 }), { qos: 0 });
    const rows = await waitFor(stale, (result) => result.length > 0 && result.every((row) => row.stale_since !== null));
    expect(rows).toHaveLength(2);
  });
});
