import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteOne, GET as getOne } from "@/app/api/v1/quarantine/[id]/route";
import { POST as retry } from "@/app/api/v1/quarantine/[id]/retry/route";
import { DELETE as deleteMatching, GET as listQuarantine } from "@/app/api/v1/quarantine/route";
import { GET as getSettings, PUT as putSettings } from "@/app/api/v1/settings/ingest/route";
import { POST as ignore } from "@/app/api/v1/topics/unmapped/[path]/ignore/route";
import { POST as map } from "@/app/api/v1/topics/unmapped/[path]/map/route";
import { POST as reject } from "@/app/api/v1/topics/unmapped/[path]/reject/route";
import { POST as restore } from "@/app/api/v1/topics/unmapped/[path]/restore/route";
import { GET as listUnmapped } from "@/app/api/v1/topics/unmapped/route";
import type { TWorker } from "@/ingest-worker/worker";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, uniquePath, waitFor } from "../support/ingest-harness";
import { callRoute, type TCallOptions, type TRouteHandler } from "../support/call-route";

/**
 * The topic mapping admin against the real broker, worker and database. The worker pins
 * auto-registration off (INGEST_AUTO_REGISTER=false), so this file never flips the plant-wide
 * setting that other test files' workers follow.
 */
const prisma = getDb();
const enterprise = uniqueEnterprise("topics");
let worker: TWorker;
let publisher: MqttClient;
let db: pg.Pool;
let adminCookie = "";
let viewerCookie = "";
let admin: { id: string; email: string };
let target: { id: string; path: string };

const call = (handler: TRouteHandler, method: string, url: string, options: TCallOptions = {}) =>
  callRoute(handler, method, url, { ...options, cookie: options.cookie ?? adminCookie });

const topicAction = (handler: TRouteHandler, action: string, path: string, body?: unknown, cookie?: string) =>
  call(handler, "POST", `/api/v1/topics/unmapped/${encodeURIComponent(path)}/${action}`, { params: { path: encodeURIComponent(path) }, body, cookie });

const unmappedRow = async (path: string) =>
  (await db.query<{ message_count: string; status: string }>("SELECT message_count, status FROM unmapped_topics WHERE path = $1", [path])).rows[0];
const messageCount = async (path: string) => Number((await unmappedRow(path))?.message_count ?? 0);
const quarantinedFor = async (topic: string) =>
  (await db.query<{ id: string; reason: string }>("SELECT id::text AS id, reason FROM quarantined_messages WHERE topic = $1 ORDER BY id", [topic])).rows;
const samplesOf = async (assetId: string, metric: string) =>
  (await db.query<{ value: number }>(
    "SELECT s.value_num AS value FROM samples s JOIN series r ON r.id = s.series_id WHERE r.asset_id = $1 AND r.metric = $2 ORDER BY s.time", [assetId, metric],
  )).rows.map((row) => row.value);

/** Publishes probes on a new path until the worker has parked it as unmapped; returns how many it counted. */
async function parkPath(path: string): Promise<number> {
  let probes = 0;
  await waitFor(async () => {
    probes += 1;
    await publishJson(publisher, `umh/v1/${path}/_historian`, { timestamp_ms: Date.now(), probe: probes });
    return messageCount(path);
  }, (count) => count > 0);
  // A probe sent before the worker's subscription was live is lost; wait for those in flight to land.
  let counted = await messageCount(path);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await messageCount(path);
    if (now === counted) return counted;
    counted = now;
  }
}

beforeAll(async () => {
  db = testDb();
  const suffix = randomUUID().slice(0, 8);
  admin = await prisma.user.create({ data: { email: `topics-admin-${suffix}@shopfloor.test`, passwordHash: await hashPassword("topics-admin-password"), role: "ADMIN" } });
  const viewer = await prisma.user.create({ data: { email: `topics-viewer-${suffix}@shopfloor.test`, passwordHash: await hashPassword("topics-viewer-password"), role: "VIEWER" } });
  adminCookie = `shopfloor_session=${await createSession(admin.id, "vitest")}`;
  viewerCookie = `shopfloor_session=${await createSession(viewer.id, "vitest")}`;
  const root = await prisma.asset.create({ data: { name: enterprise, slug: enterprise, path: enterprise, level: "ENTERPRISE" } });
  target = await prisma.asset.create({ data: { name: "Press 9", slug: "press-9", path: `${enterprise}/press-9`, level: "SITE", parentId: root.id }, select: { id: true, path: true } });
  ({ worker } = await startTestWorker(enterprise, { INGEST_AUTO_REGISTER: "false" }));
  publisher = await connectPublisher();
});

afterAll(async () => {
  await publisher?.endAsync();
  await worker?.close();
  await db?.end();
  await prisma.$disconnect();
});

describe("unmapped topics → map (real broker and worker, no restart)", () => {
  it("lists a new path, maps it, stores the next message for the chosen asset and retries the parked ones once", async () => {
    const path = uniquePath(enterprise);
    const topic = `umh/v1/${path}/_historian`;
    const probes = await parkPath(path);

    const listed = await call(listUnmapped, "GET", "/api/v1/topics/unmapped");
    expect(listed.status).toBe(200);
    expect(listed.body.data.find((row: { path: string }) => row.path === path)).toMatchObject({
      path, exampleTopic: topic, messageCount: probes, status: "pending", mappedTo: null, firstSeenAt: expect.any(String), lastSeenAt: expect.any(String),
    });
    const parked = await quarantinedFor(topic);
    expect(parked).toHaveLength(probes);
    expect(parked[0]!.reason).toBe(`unmapped asset path "${path}"`);

    const mapped = await topicAction(map, "map", path, { assetId: target.id });
    expect(mapped.status).toBe(200);
    expect(mapped.body.data).toMatchObject({ path, status: "mapped", mappedTo: { id: target.id, path: target.path } });
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "topic.map", entityId: path } });
    expect(audit).toMatchObject({ actorId: admin.id, before: { status: "pending" }, after: { status: "mapped", assetId: target.id, assetPath: target.path } });

    // The same worker, still running: the next message lands on the mapped asset.
    await publishJson(publisher, topic, { timestamp_ms: Date.now(), temperature: 42.5 });
    expect(await waitFor(() => samplesOf(target.id, "temperature"), (values) => values.length === 1)).toEqual([42.5]);
    expect((await db.query("SELECT 1 FROM assets WHERE path = $1", [path])).rowCount).toBe(0);
    expect(await quarantinedFor(topic)).toHaveLength(probes);

    // A parked message, retried: stored for the asset, its row gone in the same commit, audited.
    const first = parked[0]!;
    const retried = await call(retry, "POST", `/api/v1/quarantine/${first.id}/retry`, { params: { id: first.id } });
    expect(retried.status).toBe(200);
    expect(retried.body.data).toEqual({ id: first.id, outcome: "stored", assetIds: [target.id] });
    const replayedValue = await samplesOf(target.id, "probe");
    expect(replayedValue).toHaveLength(1);
    expect((await quarantinedFor(topic)).map((row) => row.id)).not.toContain(first.id);
    expect(await prisma.auditEntry.findFirst({ where: { action: "quarantine.retry", entityId: first.id } })).toMatchObject({ actorId: admin.id, after: { outcome: "stored" } });
    // Retrying again finds nothing to do and stores nothing twice.
    expect((await call(retry, "POST", `/api/v1/quarantine/${first.id}/retry`, { params: { id: first.id } })).status).toBe(404);
    expect(await samplesOf(target.id, "probe")).toEqual(replayedValue);

    expect((await topicAction(map, "map", path, { assetId: target.id })).status).toBe(409);
    const mappedList = await call(listUnmapped, "GET", "/api/v1/topics/unmapped?status=mapped");
    expect(mappedList.body.data.find((row: { path: string }) => row.path === path)).toMatchObject({ status: "mapped", mappedTo: { id: target.id } });
    expect((await call(listUnmapped, "GET", "/api/v1/topics/unmapped")).body.data.some((row: { path: string }) => row.path === path)).toBe(false);
  });

  it("ignore drops a path's messages but keeps counting them; restore makes it pending again", async () => {
    const path = uniquePath(enterprise);
    const topic = `umh/v1/${path}/_historian`;
    const probes = await parkPath(path);
    const ignored = await topicAction(ignore, "ignore", path);
    expect(ignored.status).toBe(200);
    expect(ignored.body.data).toEqual({ path, status: "ignored" });
    expect(await prisma.auditEntry.findFirst({ where: { action: "topic.ignore", entityId: path } })).toMatchObject({ before: { status: "pending" }, after: { status: "ignored" } });

    for (let index = 0; index < 3; index += 1) await publishJson(publisher, topic, { timestamp_ms: Date.now() + index, ignored: index });
    await waitFor(() => messageCount(path), (count) => count === probes + 3);
    expect(await quarantinedFor(topic)).toHaveLength(probes);
    expect((await db.query("SELECT 1 FROM assets WHERE path = $1", [path])).rowCount).toBe(0);

    expect((await topicAction(restore, "restore", path)).body.data).toEqual({ path, status: "pending" });
    await publishJson(publisher, topic, { timestamp_ms: Date.now(), after: 1 });
    await waitFor(() => quarantinedFor(topic), (rows) => rows.length === probes + 1);
  });

  it("reject quarantines a path's messages with that reason", async () => {
    const path = uniquePath(enterprise);
    const topic = `umh/v1/${path}/_historian`;
    const probes = await parkPath(path);
    expect((await topicAction(reject, "reject", path)).body.data).toEqual({ path, status: "rejected" });
    expect(await prisma.auditEntry.findFirst({ where: { action: "topic.reject", entityId: path } })).toMatchObject({ after: { status: "rejected" } });
    await publishJson(publisher, topic, { timestamp_ms: Date.now(), rejected: 1 });
    const rows = await waitFor(() => quarantinedFor(topic), (result) => result.length === probes + 1);
    expect(rows.at(-1)!.reason).toBe(`asset path "${path}" is rejected by an admin`);
    expect(await messageCount(path)).toBe(probes + 1);
    expect((await unmappedRow(path))?.status).toBe("rejected");
  });
});

describe("quarantine viewer API", () => {
  it("shows a hostile payload byte for byte, retries it into the same reason, deletes it with an audit row", async () => {
    const topic = `umh/v1/${enterprise}/hostile-${randomUUID().slice(0, 6)}/_historian`;
    const hostile = "<img src=x onerror=alert(1)>";
    await publisher.publishAsync(topic, hostile, { qos: 1 });
    const [row] = await waitFor(() => quarantinedFor(topic), (rows) => rows.length === 1);

    const page = await call(listQuarantine, "GET", `/api/v1/quarantine?topic=${encodeURIComponent(topic.toUpperCase())}&reason=JSON`);
    expect(page.status).toBe(200);
    expect(page.body.meta).toEqual({ total: 1, nextBefore: null });
    expect(page.body.data[0]).toMatchObject({ id: row!.id, topic, storedBytes: hostile.length, payloadBytes: hostile.length, retryHint: null });
    expect(Buffer.from(page.body.data[0].payloadBase64, "base64").toString("utf8")).toBe(hostile);
    expect(page.body.data[0].reason).toMatch(/not valid JSON/);

    const retried = await call(retry, "POST", `/api/v1/quarantine/${row!.id}/retry`, { params: { id: row!.id } });
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ id: row!.id, outcome: "quarantined", reason: expect.stringMatching(/not valid JSON/) });
    expect(await quarantinedFor(topic)).toHaveLength(1);

    const one = await call(getOne, "GET", `/api/v1/quarantine/${row!.id}`, { params: { id: row!.id } });
    expect(Buffer.from(one.body.data.payloadBase64, "base64").toString("utf8")).toBe(hostile);
    expect((await call(deleteOne, "DELETE", `/api/v1/quarantine/${row!.id}`, { params: { id: row!.id } })).body.data).toEqual({ id: row!.id, deleted: 1 });
    expect(await prisma.auditEntry.findFirst({ where: { action: "quarantine.delete", entityId: row!.id } })).toMatchObject({ actorId: admin.id, before: { topic, payloadBytes: hostile.length } });
    expect((await call(getOne, "GET", `/api/v1/quarantine/${row!.id}`, { params: { id: row!.id } })).status).toBe(404);
    expect((await call(deleteOne, "DELETE", `/api/v1/quarantine/${row!.id}`, { params: { id: row!.id } })).status).toBe(404);
  });

  it("pages newest first and bulk-deletes by filter only (never everything by accident)", async () => {
    const prefix = `umh/v1/${enterprise}/bulk-${randomUUID().slice(0, 6)}`;
    for (let index = 0; index < 3; index += 1) await publisher.publishAsync(`${prefix}/_historian`, `{"broken": ${index}`, { qos: 1 });
    await waitFor(() => quarantinedFor(`${prefix}/_historian`), (rows) => rows.length === 3);

    const first = await call(listQuarantine, "GET", `/api/v1/quarantine?topic=${encodeURIComponent(prefix)}&limit=2`);
    expect(first.body.meta.total).toBe(3);
    expect(first.body.data).toHaveLength(2);
    const second = await call(listQuarantine, "GET", `/api/v1/quarantine?topic=${encodeURIComponent(prefix)}&limit=2&before=${first.body.meta.nextBefore}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.meta.nextBefore).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((message: { id: string }) => BigInt(message.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));

    expect((await call(deleteMatching, "DELETE", "/api/v1/quarantine")).status).toBe(400);
    const deleted = await call(deleteMatching, "DELETE", `/api/v1/quarantine?topic=${encodeURIComponent(prefix)}`);
    expect(deleted.body.data).toEqual({ deleted: 3 });
    expect(await quarantinedFor(`${prefix}/_historian`)).toHaveLength(0);
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "quarantine.delete_matching", actorId: admin.id }, orderBy: { id: "desc" } });
    expect(audit.after).toEqual({ reason: null, topic: prefix, all: false, deleted: 3 });
  });
});

describe("ingest settings", () => {
  it("reads and changes the Sparkplug rule with an audit row; refuses rules that would merge devices", async () => {
    const before = (await call(getSettings, "GET", "/api/v1/settings/ingest")).body.data;
    expect(before).toEqual({ autoRegister: expect.any(Boolean), sparkplugPathTemplate: expect.any(String) });
    const template = `plant-${randomUUID().slice(0, 6)}/{group}/{edge_node}/{device}`;
    try {
      const saved = await call(putSettings, "PUT", "/api/v1/settings/ingest", { body: { sparkplugPathTemplate: template } });
      expect(saved.status).toBe(200);
      expect(saved.body.data).toEqual({ ...before, sparkplugPathTemplate: template });
      expect((await call(getSettings, "GET", "/api/v1/settings/ingest")).body.data.sparkplugPathTemplate).toBe(template);
      const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "setting.update", entityId: "ingest.sparkplugPathTemplate", actorId: admin.id }, orderBy: { id: "desc" } });
      expect(audit).toMatchObject({ before: { value: before.sparkplugPathTemplate }, after: { value: template } });
      // Saving the same value again changes nothing and audits nothing.
      const auditCount = await prisma.auditEntry.count({ where: { entityId: "ingest.sparkplugPathTemplate" } });
      await call(putSettings, "PUT", "/api/v1/settings/ingest", { body: { sparkplugPathTemplate: template, autoRegister: before.autoRegister } });
      expect(await prisma.auditEntry.count({ where: { entityId: "ingest.sparkplugPathTemplate" } })).toBe(auditCount);
    } finally {
      await call(putSettings, "PUT", "/api/v1/settings/ingest", { body: { sparkplugPathTemplate: before.sparkplugPathTemplate } });
    }

    for (const body of [
      {},
      { autoRegister: "yes" },
      { sparkplugPathTemplate: "{group}/{edge_node}" },
      { sparkplugPathTemplate: "{device}" },
      { sparkplugPathTemplate: "a/b/c/d/e/{device}" },
      { sparkplugPathTemplate: "plant/{group}/{group}/{device}" },
      { sparkplugPathTemplate: "plant/../{device}" },
      { sparkplugPathTemplate: "plant/{Group}/{device}" },
      { sparkplugPathTemplate: "plant/{edge_node}/{device}", extra: 1 },
    ]) {
      const refused = await call(putSettings, "PUT", "/api/v1/settings/ingest", { body });
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
    }
  });
});

describe("access and bad input", () => {
  it("refuses viewers (403) and cross-site posts; answers 400 for bad bodies and 404 for unknown paths, assets and ids", async () => {
    const path = `${enterprise}/nowhere-${randomUUID().slice(0, 6)}`;
    const viewerCalls = [
      await call(listUnmapped, "GET", "/api/v1/topics/unmapped", { cookie: viewerCookie }),
      await topicAction(map, "map", path, { assetId: target.id }, viewerCookie),
      await topicAction(ignore, "ignore", path, undefined, viewerCookie),
      await topicAction(reject, "reject", path, undefined, viewerCookie),
      await call(getSettings, "GET", "/api/v1/settings/ingest", { cookie: viewerCookie }),
      await call(putSettings, "PUT", "/api/v1/settings/ingest", { cookie: viewerCookie, body: { autoRegister: true } }),
      await call(listQuarantine, "GET", "/api/v1/quarantine", { cookie: viewerCookie }),
      await call(deleteMatching, "DELETE", "/api/v1/quarantine?all=true", { cookie: viewerCookie }),
      await call(retry, "POST", "/api/v1/quarantine/1/retry", { cookie: viewerCookie, params: { id: "1" } }),
      await call(deleteOne, "DELETE", "/api/v1/quarantine/1", { cookie: viewerCookie, params: { id: "1" } }),
    ];
    expect(viewerCalls.map((response) => response.status)).toEqual(viewerCalls.map(() => 403));

    const crossSite = await call(ignore, "POST", `/api/v1/topics/unmapped/${encodeURIComponent(path)}/ignore`, { params: { path }, headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);

    expect((await topicAction(map, "map", path, { assetId: "press-9" })).status).toBe(400);
    expect((await topicAction(map, "map", path, { assetId: target.id, extra: true })).status).toBe(400);
    expect((await topicAction(map, "map", path, { assetId: target.id })).status).toBe(404);
    expect((await topicAction(map, "map", "../etc/passwd", { assetId: target.id })).status).toBe(404);
    expect((await topicAction(ignore, "ignore", "a/b/c/d/e/f")).status).toBe(404);
    expect((await call(listUnmapped, "GET", "/api/v1/topics/unmapped?status=everything")).status).toBe(400);

    const parked = uniquePath(enterprise);
    await parkPath(parked);
    expect((await topicAction(map, "map", parked, { assetId: randomUUID() })).status).toBe(404);
    expect((await unmappedRow(parked))?.status).toBe("pending");

    for (const query of ["limit=0", "limit=201", "limit=ten", "before=-1", "reason=", "colour=red"]) {
      expect({ query, status: (await call(listQuarantine, "GET", `/api/v1/quarantine?${query}`)).status }).toEqual({ query, status: 400 });
    }
    for (const id of ["abc", "0", "-1", "1e3", "99999999999999999999", "9223372036854775"]) {
      expect({ id, status: (await call(retry, "POST", `/api/v1/quarantine/${id}/retry`, { params: { id } })).status }).toEqual({ id, status: 404 });
    }
  });
});
