import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import { NextRequest } from "next/server";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { GET as getOee } from "@/app/api/v1/oee/route";
import { GET as getReasonCodes, POST as postReasonCode } from "@/app/api/v1/reason-codes/route";
import { GET as getStops, PATCH as patchStop } from "@/app/api/v1/stops/route";
import { hashPassword } from "@/lib/auth/password";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { closeHarness, connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitFor, waitUntilSubscribed } from "../support/ingest-harness";

// Stops of a machine after a shift ingested through MQTT: listed, reclassified by a supervisor with a
// reason code an admin added, audited, exported as CSV, and reflected in OEE.
const minute = 60_000;
const hour = 60 * minute;
const enterprise = uniqueEnterprise("stops");
const site = `${enterprise}/plant-a`;
const machine = `${site}/area-1/line-1/saw-1`;
const today = new Date();
const shiftStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 6);
const shiftEnd = shiftStart + 8 * hour;
const at = (minutesIntoShift: number) => shiftStart + minutesIntoShift * minute;
const range = { asset: machine, from: new Date(shiftStart).toISOString(), to: new Date(shiftEnd).toISOString() };
const unspecifiedStart = new Date(at(60)).toISOString();
const failureStart = new Date(at(180)).toISOString();
const formula = '=HYPERLINK("http://evil.example","click")';

let worker: TWorker;
let publisher: MqttClient;
let pool: pg.Pool;
const cookies: Partial<Record<Role, string>> = {};

const topic = (schema: string) => `umh/v1/${machine}/_analytics/${schema}`;

function request(method: string, path: string, role: Role | null, body?: unknown) {
  const headers: Record<string, string> = { host: "localhost", origin: "http://localhost" };
  if (role) headers.cookie = cookies[role] ?? "";
  if (body !== undefined) headers["content-type"] = "application/json";
  return new NextRequest(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const context = { params: Promise.resolve({}) };

async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}

const listStops = async (role: Role = "VIEWER") => json(await getStops(request("GET", `/api/v1/stops?${new URLSearchParams(range)}`, role), context));
const classify = async (role: Role, body: unknown) => json(await patchStop(request("PATCH", "/api/v1/stops", role, body), context));
const availability = async () => (await json(await getOee(request("GET", `/api/v1/oee?${new URLSearchParams(range)}`, "VIEWER"), context))).body.data.availability as number;

beforeAll(async () => {
  pool = testDb();
  ({ worker } = await startTestWorker(enterprise));
  publisher = await connectPublisher();
  await waitUntilSubscribed(publisher, pool, enterprise);
  for (const role of ["VIEWER", "SUPERVISOR", "ADMIN"] as const) {
    const email = `stops-${role.toLowerCase()}-${randomUUID()}@shopfloor.test`;
    await getDb().user.create({ data: { email, passwordHash: await hashPassword("stops-test-pass"), role } });
    cookies[role] = `shopfloor_session=${(await signIn({ email, password: "stops-test-pass" }, null)).token}`;
  }

  await publishJson(publisher, topic("shift/add"), { startTime: shiftStart, endTime: shiftEnd });
  // 06:00 producing · 07:00 unspecified stop (20 min) · 09:00 equipment failure (30 min) · 11:00 micro-stop (1 min, run time).
  for (const [minutes, state] of [[0, 10_000], [60, 40_000], [80, 10_000], [180, 180_000], [210, 10_000], [300, 50_000], [301, 10_000]] as const) {
    await publishJson(publisher, topic("state"), { timestamp_ms: at(minutes), state });
  }
  await waitFor(async () => (await pool.query(
    "SELECT count(*)::int AS n FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1", [machine])).rows[0]?.n, (n) => n === 7);
  await waitFor(async () => (await pool.query(
    "SELECT count(*)::int AS n FROM shifts s JOIN assets a ON a.id = s.asset_id WHERE a.path = $1", [machine])).rows[0]?.n, (n) => n === 1);
}, 60_000);

afterAll(() => closeHarness({ publisher, worker, pool }));

describe("stops and reason codes", () => {
  it("lists the stops newest first, micro-stops (run time) left out", async () => {
    const { status, body } = await listStops();
    expect(status).toBe(200);
    expect(body.data).toEqual([
      {
        assetPath: machine, assetName: "saw-1", start: failureStart, end: new Date(at(210)).toISOString(), durationMs: 30 * minute,
        stateCode: 180_000, reasonCode: 180_000, reasonName: "Equipment failure", category: "unplannedStop", comment: null, classifiedBy: null, classifiedAt: null,
      },
      {
        assetPath: machine, assetName: "saw-1", start: unspecifiedStart, end: new Date(at(80)).toISOString(), durationMs: 20 * minute,
        stateCode: 40_000, reasonCode: 40_000, reasonName: "Unspecified stop", category: "unplannedStop", comment: null, classifiedBy: null, classifiedAt: null,
      },
    ]);
    // Unplanned 20 + 30 min of a 480-min shift: availability = 430 / 480.
    expect(await availability()).toBeCloseTo(430 / 480, 4);
  });

  it("lets an admin add a site reason code, and lists it with the defaults", async () => {
    const supervisor = await json(await postReasonCode(request("POST", "/api/v1/reason-codes", "SUPERVISOR", { site, code: 180_001, name: "Saw blade", category: "unplannedStop" }), context));
    expect(supervisor.status).toBe(403);
    const badCategory = await json(await postReasonCode(request("POST", "/api/v1/reason-codes", "ADMIN", { site, code: 180_001, name: "Saw blade", category: "broken" }), context));
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.error.message).toMatch(/category must be one of running, plannedStop, unplannedStop/);

    const created = await json(await postReasonCode(request("POST", "/api/v1/reason-codes", "ADMIN", { site, code: 180_001, name: formula, category: "unplannedStop" }), context));
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ code: 180_001, name: formula, category: "unplannedStop", source: "site", site });
    const planned = await json(await postReasonCode(request("POST", "/api/v1/reason-codes", "ADMIN", { site: machine, code: 180_002, name: "Blade change (planned)", category: "plannedStop" }), context));
    expect(planned.status).toBe(201);
    expect(planned.body.data.site).toBe(site);

    const list = await json(await getReasonCodes(request("GET", `/api/v1/reason-codes?site=${encodeURIComponent(site)}`, "VIEWER"), context));
    expect(list.status).toBe(200);
    expect(list.body.data).toContainEqual({ code: 40_000, name: "Unspecified stop", category: "unplannedStop", source: "default" });
    expect(list.body.data).toContainEqual({ code: 150_000, name: "Operator break", category: "plannedStop", source: "default" });
    expect(list.body.data).toContainEqual({ code: 180_001, name: formula, category: "unplannedStop", source: "site" });
    const plantWide = await json(await getReasonCodes(request("GET", "/api/v1/reason-codes", "VIEWER"), context));
    expect(plantWide.body.data.map((reason: { code: number }) => reason.code)).not.toContain(180_001);
  });

  it("reclassifies the unspecified stop, audits it, and OEE follows the new code's category", async () => {
    const unplanned = await classify("SUPERVISOR", { asset: machine, start: unspecifiedStart, reasonCode: 180_001, comment: "blade broke" });
    expect(unplanned.status).toBe(200);
    expect(unplanned.body.data).toMatchObject({
      start: unspecifiedStart, stateCode: 40_000, reasonCode: 180_001, reasonName: formula, category: "unplannedStop", comment: "blade broke", durationMs: 20 * minute,
    });
    expect(unplanned.body.data.classifiedBy).toMatch(/^stops-supervisor-/);
    // Unplanned before and after: availability unchanged.
    expect(await availability()).toBeCloseTo(430 / 480, 4);

    const planned = await classify("SUPERVISOR", { asset: machine, start: unspecifiedStart, reasonCode: 180_002 });
    expect(planned.body.data).toMatchObject({ reasonCode: 180_002, category: "plannedStop", comment: null });
    // Now planned: PPT = 480 − 20 = 460 min, unplanned 30 min → availability = 430 / 460 = 0.934783.
    expect(await availability()).toBeCloseTo(430 / 460, 4);
    expect((await listStops()).body.data[1]).toMatchObject({ start: unspecifiedStart, reasonCode: 180_002, reasonName: "Blade change (planned)", category: "plannedStop" });

    const assetId = (await getDb().asset.findUniqueOrThrow({ where: { path: machine } })).id;
    const audits = await getDb().auditEntry.findMany({ where: { action: "stop.classify", entity: "stop", entityId: `${assetId}@${unspecifiedStart}` }, orderBy: { id: "asc" } });
    expect(audits).toHaveLength(2);
    expect(audits[0]?.before).toMatchObject({ stateCode: 40_000, reasonCode: 40_000, comment: null, classifiedBy: null });
    expect(audits[0]?.after).toMatchObject({ reasonCode: 180_001, comment: "blade broke", asset: machine, start: unspecifiedStart });
    expect(audits[1]?.before).toMatchObject({ reasonCode: 180_001, comment: "blade broke" });
    expect(audits[1]?.after).toMatchObject({ reasonCode: 180_002, comment: null });
    expect(audits[1]?.actorLabel).toMatch(/^stops-supervisor-/);
  });

  it("refuses viewers, unknown codes and stops that do not exist", async () => {
    const viewer = await classify("VIEWER", { asset: machine, start: failureStart, reasonCode: 180_001 });
    expect(viewer.status).toBe(403);
    const unknownCode = await classify("SUPERVISOR", { asset: machine, start: failureStart, reasonCode: 187_654 });
    expect(unknownCode.status).toBe(400);
    expect(unknownCode.body.error.message).toMatch(/Unknown reason code 187654/);
    const noEvent = await classify("SUPERVISOR", { asset: machine, start: new Date(at(61)).toISOString(), reasonCode: 180_001 });
    expect(noEvent.status).toBe(404);
    const running = await classify("SUPERVISOR", { asset: machine, start: new Date(at(0)).toISOString(), reasonCode: 180_001 });
    expect(running.status).toBe(404);
    const longComment = await classify("SUPERVISOR", { asset: machine, start: failureStart, reasonCode: 180_001, comment: "x".repeat(501) });
    expect(longComment.status).toBe(400);
    const unsigned = await json(await patchStop(request("PATCH", "/api/v1/stops", null, { asset: machine, start: failureStart, reasonCode: 180_001 }), context));
    expect(unsigned.status).toBe(401);
  });

  it("exports CSV whose cells cannot run as spreadsheet formulas", async () => {
    await classify("SUPERVISOR", { asset: machine, start: failureStart, reasonCode: 180_001, comment: "+1 says \"sharpen\"" });
    const response = await getStops(request("GET", `/api/v1/stops?${new URLSearchParams({ ...range, format: "csv" })}`, "VIEWER"), context);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe('"assetPath","assetName","start","end","durationMs","stateCode","reasonCode","reasonName","category","comment","classifiedBy","classifiedAt"');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"${failureStart}","${new Date(at(210)).toISOString()}","1800000","180000","180001","'=HYPERLINK(""http://evil.example"",""click"")","unplannedStop","'+1 says ""sharpen"""`);
  });
});
