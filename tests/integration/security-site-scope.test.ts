import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import { NextRequest } from "next/server";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { GET as getAssetById } from "@/app/api/v1/assets/[id]/route";
import { GET as getLatest } from "@/app/api/v1/assets/latest/route";
import { GET as getAssets } from "@/app/api/v1/assets/route";
import { GET as getOee } from "@/app/api/v1/oee/route";
import { GET as getReasonCodes } from "@/app/api/v1/reason-codes/route";
import { GET as getCalendar } from "@/app/api/v1/sites/[siteId]/shift-calendar/route";
import { GET as getStops, PATCH as patchStop } from "@/app/api/v1/stops/route";
import { GET as getTelemetry } from "@/app/api/v1/telemetry/route";
import { POST as postUser } from "@/app/api/v1/users/route";
import { PATCH as patchUser } from "@/app/api/v1/users/[id]/route";
import { hashPassword } from "@/lib/auth/password";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { closeHarness, connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitFor, waitUntilSubscribed } from "../support/ingest-harness";

// Security table, access rules: a user limited to one site reads and changes only that site, through every
// data route; the other site's assets answer exactly as if they did not exist. Each check fails if the scope
// check is removed from the data function behind the route.
const hour = 3_600_000;
const enterprise = uniqueEnterprise("scope");
const own = { site: `${enterprise}/north`, machine: `${enterprise}/north/area/line/press-1` };
const other = { site: `${enterprise}/south`, machine: `${enterprise}/south/area/line/press-9` };
const start = Date.now() - 3 * hour;
const range = { from: new Date(start - hour).toISOString(), to: new Date(start + 2 * hour).toISOString() };

let worker: TWorker;
let publisher: MqttClient;
let pool: pg.Pool;
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};

function request(method: string, path: string, who: string, body?: unknown) {
  const headers: Record<string, string> = { host: "localhost", origin: "http://localhost", cookie: cookies[who] ?? "" };
  if (body !== undefined) headers["content-type"] = "application/json";
  return new NextRequest(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
const none = { params: Promise.resolve({}) };
async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function userWith(who: string, role: Role, siteIds: string[]) {
  const email = `scope-${who}-${randomUUID()}@shopfloor.test`;
  const user = await getDb().user.create({ data: { email, passwordHash: await hashPassword("scope-test-pass"), role, siteIds } });
  cookies[who] = `shopfloor_session=${(await signIn({ email, password: "scope-test-pass" }, null)).token}`;
  return user;
}

beforeAll(async () => {
  pool = testDb();
  ({ worker } = await startTestWorker(enterprise));
  publisher = await connectPublisher();
  await waitUntilSubscribed(publisher, pool, enterprise);
  for (const machine of [own.machine, other.machine]) {
    await publishJson(publisher, `umh/v1/${machine}/_analytics/state`, { timestamp_ms: start, state: 10_000 });
    await publishJson(publisher, `umh/v1/${machine}/_analytics/state`, { timestamp_ms: start + 10 * 60_000, state: 40_000 });
    await publishJson(publisher, `umh/v1/${machine}/_historian`, { timestamp_ms: start, temperature: 70 });
  }
  await waitFor(async () => (await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path LIKE $1", [`${enterprise}/%`])).rows[0]?.n, (n) => Number(n) === 4);
  for (const asset of await getDb().asset.findMany({ where: { path: { in: [own.site, own.machine, other.site, other.machine] } } })) ids[asset.path] = asset.id;

  await userWith("viewer", "VIEWER", [ids[own.site] ?? ""]);
  await userWith("supervisor", "SUPERVISOR", [ids[own.site] ?? ""]);
  await userWith("everywhere", "VIEWER", []);
  const admin = await userWith("admin", "ADMIN", []);
  expect(admin.siteIds).toEqual([]);
}, 60_000);

afterAll(() => closeHarness({ publisher, worker, pool }));

describe("a user limited to one site", () => {
  it("sees only that site (under its enterprise) in the asset tree, while an unlimited viewer sees both", async () => {
    const paths = (forest: { path: string; children: unknown[] }[]): string[] =>
      forest.flatMap((node) => [node.path, ...paths(node.children as { path: string; children: unknown[] }[])]);
    const scoped = paths((await json(await getAssets(request("GET", "/api/v1/assets", "viewer"), none))).body.data);
    expect(scoped).toContain(enterprise);
    expect(scoped).toContain(own.machine);
    expect(scoped.filter((path) => path.startsWith(other.site))).toEqual([]);
    const everywhere = paths((await json(await getAssets(request("GET", "/api/v1/assets", "everywhere"), none))).body.data);
    expect(everywhere).toContain(other.machine);
    const withRetired = paths((await json(await getAssets(request("GET", "/api/v1/assets?retired=include", "viewer"), none))).body.data);
    expect(withRetired).toContain(own.machine);
    expect(withRetired.filter((path) => path.startsWith(other.site))).toEqual([]);
  });

  it("gets OEE, stops and telemetry of its site, and for the other site the very answer an unknown asset gets", async () => {
    for (const [handler, path] of [[getOee, "oee"], [getStops, "stops"]] as const) {
      const mine = await json(await handler(request("GET", `/api/v1/${path}?${query({ asset: own.machine, ...range, format: "json" })}`, "viewer"), none));
      expect(mine.status).toBe(200);
      const theirs = await json(await handler(request("GET", `/api/v1/${path}?${query({ asset: other.machine, ...range, format: "json" })}`, "viewer"), none));
      const unknown = await json(await handler(request("GET", `/api/v1/${path}?${query({ asset: `${other.site}/nothing`, ...range, format: "json" })}`, "viewer"), none));
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.message).toBe(unknown.body.error.message.replace("/nothing", "/area/line/press-9"));
      // The enterprise holds the other site's data too.
      expect((await json(await handler(request("GET", `/api/v1/${path}?${query({ asset: enterprise, ...range, format: "json" })}`, "viewer"), none))).status).toBe(404);
      expect((await json(await handler(request("GET", `/api/v1/${path}?${query({ asset: other.machine, ...range, format: "json" })}`, "everywhere"), none))).status).toBe(200);
    }
    const mine = await json(await getTelemetry(request("GET", `/api/v1/telemetry?${query({ asset: own.machine, metric: "temperature", ...range, bucket: "raw" })}`, "viewer"), none));
    expect(mine.body.data).toEqual([{ time: new Date(start).toISOString(), value: 70 }]);
    const theirs = await json(await getTelemetry(request("GET", `/api/v1/telemetry?${query({ asset: other.machine, metric: "temperature", ...range, bucket: "raw" })}`, "viewer"), none));
    expect(theirs.status).toBe(404);
    expect(theirs.body.data).toBeUndefined();
  });

  it("gets latest values of its site only, also when asking for the whole enterprise", async () => {
    const fromEnterprise = await json(await getLatest(request("GET", `/api/v1/assets/latest?path=${enterprise}`, "viewer"), none));
    expect(fromEnterprise.status).toBe(200);
    const paths = fromEnterprise.body.data.map((asset: { path: string }) => asset.path);
    expect(paths).toContain(own.machine);
    expect(paths.filter((path: string) => path.startsWith(other.site))).toEqual([]);
    expect((await json(await getLatest(request("GET", `/api/v1/assets/latest?path=${other.site}`, "viewer"), none))).status).toBe(404);
  });

  it("cannot read the other site's asset, reason codes or shift calendar by id or path", async () => {
    expect((await json(await getAssetById(request("GET", "/x", "viewer"), { params: Promise.resolve({ id: ids[other.machine] ?? "" }) }))).status).toBe(404);
    expect((await json(await getAssetById(request("GET", "/x", "viewer"), { params: Promise.resolve({ id: ids[own.machine] ?? "" }) }))).status).toBe(200);
    expect((await json(await getReasonCodes(request("GET", `/api/v1/reason-codes?site=${other.site}`, "viewer"), none))).status).toBe(404);
    expect((await json(await getReasonCodes(request("GET", `/api/v1/reason-codes?site=${own.site}`, "viewer"), none))).status).toBe(200);
    expect((await json(await getCalendar(request("GET", "/x", "viewer"), { params: Promise.resolve({ siteId: ids[other.site] ?? "" }) }))).status).toBe(404);
    expect((await json(await getCalendar(request("GET", "/x", "viewer"), { params: Promise.resolve({ siteId: ids[own.site] ?? "" }) }))).status).toBe(200);
  });

  it("as a supervisor classifies stops of its site but not of the other, which stays unclassified", async () => {
    const classify = (machine: string) => patchStop(request("PATCH", "/api/v1/stops", "supervisor", { asset: machine, start: new Date(start + 10 * 60_000).toISOString(), reasonCode: 180_000 }), none);
    expect((await classify(own.machine)).status).toBe(200);
    expect((await json(await classify(other.machine))).status).toBe(404);
    expect(await getDb().stopClassification.count({ where: { assetId: ids[other.machine] ?? "" } })).toBe(0);
  });
});

describe("site scope in the users API", () => {
  it("sets, audits and validates a user's sites; admins stay plant-wide", async () => {
    const email = `scoped-${randomUUID()}@shopfloor.test`;
    const created = await json(await postUser(request("POST", "/api/v1/users", "admin", { email, password: "a-long-enough-password", role: "viewer", siteIds: [ids[own.site]] }), none));
    expect(created.status).toBe(201);
    expect(created.body.data.siteIds).toEqual([ids[own.site]]);

    const widened = await json(await patchUser(request("PATCH", "/x", "admin", { siteIds: [] }), { params: Promise.resolve({ id: created.body.data.id }) }));
    expect(widened.body.data.siteIds).toEqual([]);
    const audit = await getDb().auditEntry.findFirst({ where: { entityId: created.body.data.id, action: "user.update" } });
    expect(audit?.before).toMatchObject({ siteIds: [ids[own.site]] });
    expect(audit?.after).toMatchObject({ siteIds: [] });

    const scopedAdmin = await json(await postUser(request("POST", "/api/v1/users", "admin", { email: `a-${email}`, password: "a-long-enough-password", role: "admin", siteIds: [ids[own.site]] }), none));
    expect(scopedAdmin.status).toBe(400);
    expect(scopedAdmin.body.error.message).toContain("Admins are plant-wide");
    const notASite = await json(await postUser(request("POST", "/api/v1/users", "admin", { email: `m-${email}`, password: "a-long-enough-password", role: "viewer", siteIds: [ids[own.machine]] }), none));
    expect(notASite.status).toBe(400);
    expect((await json(await patchUser(request("PATCH", "/x", "admin", { role: "admin", siteIds: [ids[own.site]] }), { params: Promise.resolve({ id: created.body.data.id }) }))).status).toBe(400);
    expect(await getDb().user.count({ where: { email: { in: [`a-${email}`, `m-${email}`] } } })).toBe(0);
  });
});
