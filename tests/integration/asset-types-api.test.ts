import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getType } from "@/app/api/v1/asset-types/[id]/route";
import { POST as moveAssets } from "@/app/api/v1/asset-types/[id]/versions/[version]/assets/route";
import { POST as postVersion } from "@/app/api/v1/asset-types/[id]/versions/route";
import { GET as listTypes, POST as postType } from "@/app/api/v1/asset-types/route";
import { findMetricDefinitionsInForce, typeVersionAt } from "@/lib/asset-types/find-type-version-at";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { callRoute, type TCallOptions, type TRouteHandler } from "../support/call-route";

const db = getDb();
let adminCookie = "";
let viewerCookie = "";
let admin: { id: string; email: string };
const run = randomUUID().slice(0, 8);

const call = (handler: TRouteHandler, method: string, url: string, options: TCallOptions = {}) =>
  callRoute(handler, method, url, { ...options, cookie: options.cookie ?? adminCookie });

const celsius = { name: "temperature", unit: "°C", dataType: "NUMBER", min: 10, max: 90, displayPrecision: 1 };
const fahrenheit = { name: "temperature", unit: "°F", dataType: "NUMBER", min: 50, max: 194, displayPrecision: 0 };
const power = { name: "power", unit: "kW", dataType: "NUMBER", min: 0, max: 75, displayPrecision: 1 };
const states = [{ code: 10000, name: "Producing" }, { code: 40000, name: "Unspecified stop" }];
const commands = [{ name: "safe-stop", description: "Stop at the end of the cycle", payloadSchema: { type: "object", properties: { reason: { type: "string" } } } }];

let keyCounter = 0;
const newKey = (label = "oven") => `${label}-${run}-${++keyCounter}`;
const createType = (body: Record<string, unknown>, cookie?: string) => call(postType, "POST", "/api/v1/asset-types", { body, cookie });
const typeBody = (overrides: Record<string, unknown> = {}) => ({ key: newKey(), name: "Curing oven", description: "Gas-fired", metrics: [celsius, power], states, commands, ...overrides });
const saveVersion = (id: string, body: Record<string, unknown>, cookie?: string) => call(postVersion, "POST", `/api/v1/asset-types/${id}/versions`, { body, cookie, params: { id } });
const move = (id: string, version: string | number, assetIds: string[], cookie?: string) =>
  call(moveAssets, "POST", `/api/v1/asset-types/${id}/versions/${version}/assets`, { body: { assetIds }, cookie, params: { id, version: String(version) } });
const detail = async (id: string) => (await call(getType, "GET", `/api/v1/asset-types/${id}`, { params: { id } })).body.data;

async function makeAsset(slug: string, typeVersionId: string | null = null) {
  return db.asset.create({ data: { name: `Oven ${slug}`, slug, path: `types-${run}/${slug}`, level: "WORK_CELL", typeVersionId }, select: { id: true, path: true } });
}

beforeAll(async () => {
  const adminUser = await db.user.create({ data: { email: `types-admin-${run}@shopfloor.test`, passwordHash: "unused", role: "ADMIN" } });
  const viewer = await db.user.create({ data: { email: `types-viewer-${run}@shopfloor.test`, passwordHash: "unused", role: "VIEWER" } });
  admin = adminUser;
  adminCookie = `shopfloor_session=${await createSession(adminUser.id, "vitest")}`;
  viewerCookie = `shopfloor_session=${await createSession(viewer.id, "vitest")}`;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("POST /api/v1/asset-types", () => {
  it("creates a type with version 1 and its declarations, audited in the same transaction", async () => {
    const body = typeBody();
    const created = await createType(body);
    expect(created.status).toBe(201);
    const type = created.body.data;
    expect(type).toMatchObject({ key: body.key, name: "Curing oven", description: "Gas-fired" });
    expect(type.versions).toHaveLength(1);
    expect(type.versions[0]).toMatchObject({
      version: 1, assetCount: 0, assets: [],
      metrics: [{ ...power }, { ...celsius }],
      states,
      commands,
    });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset_type", entityId: type.id } });
    expect(audit).toMatchObject({ action: "asset_type.create", actorId: admin.id, before: null });
    expect(audit.after).toMatchObject({ key: body.key, version: 1, metrics: [power, celsius] });
  });

  it("answers 409 for a taken key and leaves nothing behind", async () => {
    const body = typeBody();
    expect((await createType(body)).status).toBe(201);
    const again = await createType({ ...body, name: "Other" });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: "conflict", message: `An asset type with the key ${body.key} already exists.` });
    expect(await db.assetType.count({ where: { key: body.key } })).toBe(1);
    expect(await db.auditEntry.count({ where: { action: "asset_type.create", after: { path: ["key"], equals: body.key } } })).toBe(1);
  });

  it("answers 400 naming the field for every declaration rule, and creates nothing", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ metrics: [{ ...celsius, name: "temp/1" }] }, /metrics\.0\.name: name may use A-Z a-z 0-9 _ - : and single dots/],
      [{ metrics: [{ ...celsius, name: "timestamp_ms" }] }, /timestamp_ms is the message time/],
      [{ metrics: [{ ...celsius, name: "a".repeat(201) }] }, /at most 200 characters/],
      [{ metrics: [{ ...celsius, unit: "x".repeat(33) }] }, /metrics\.0\.unit: unit must be at most 32 characters/],
      [{ metrics: [{ ...celsius, dataType: "DECIMAL" }] }, /dataType must be NUMBER, BOOLEAN or STRING/],
      [{ metrics: [{ ...celsius, min: 95 }] }, /metrics\.0\.max: max must not be below min/],
      [{ metrics: [{ ...celsius, displayPrecision: 7 }] }, /displayPrecision must be a whole number from 0 to 6/],
      [{ metrics: [{ ...celsius, displayPrecision: -1 }] }, /displayPrecision must be a whole number from 0 to 6/],
      [{ metrics: [{ name: "door", dataType: "BOOLEAN", min: 0 }] }, /min applies to NUMBER metrics only/],
      [{ metrics: [celsius, { ...celsius, unit: "K" }] }, /metrics\.1\.name: metric temperature is declared twice/],
      [{ states: [{ code: 5000, name: "Too low" }] }, /states\.0\.code: code must be from 10000 to 229999/],
      [{ states: [{ code: 230000, name: "Too high" }] }, /code must be from 10000 to 229999/],
      [{ states: [{ code: 10000.5, name: "Fraction" }] }, /code must be a whole number/],
      [{ states: [{ code: 10000 }] }, /states\.0\.name/],
      [{ states: [{ code: 10000, name: "A" }, { code: 10000, name: "B" }] }, /states\.1\.code: state code 10000 is declared twice/],
      [{ commands: [{ name: "stop" }, { name: "stop" }] }, /commands\.1\.name: command stop is declared twice/],
      [{ commands: [{ name: "stop", payloadSchema: [] }] }, /payloadSchema must be a JSON object/],
      [{ commands: [{ name: "stop", payloadSchema: { type: "string" } }] }, /payloadSchema must describe an object payload/],
      [{ commands: [{ name: "stop now" }] }, /commands\.0\.name: name may use/],
      [{ key: "Has Spaces" }, /key may use a-z, 0-9 and single hyphens/],
      [{ name: "" }, /name: name must not be empty/],
      [{ name: "bell\u0007" }, /control characters/],
      [{ version: 2 }, /version/],
    ];
    for (const [overrides, message] of cases) {
      const body = typeBody(overrides);
      const answer = await createType(body);
      expect(answer.status, JSON.stringify(overrides)).toBe(400);
      expect(answer.body.error.message, JSON.stringify(overrides)).toMatch(message);
      expect(await db.assetType.count({ where: { key: String(body.key) } })).toBe(0);
    }
  });

  it("is for admins: a viewer gets 403, nobody signed in 401, a cross-site post 403", async () => {
    const body = typeBody();
    expect((await createType(body, viewerCookie)).status).toBe(403);
    expect((await createType(body, "")).status).toBe(401);
    const crossSite = await call(postType, "POST", "/api/v1/asset-types", { body, headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(await db.assetType.count({ where: { key: body.key } })).toBe(0);
  });

  it("stores names that look like markup or SQL as they are", async () => {
    const body = typeBody({ name: "<img src=x onerror=alert(1)>", description: "'); DROP TABLE asset_types;--" });
    const created = await createType(body);
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: "<img src=x onerror=alert(1)>", description: "'); DROP TABLE asset_types;--" });
  });
});

describe("GET /api/v1/asset-types", () => {
  it("lists every type with its versions and their asset counts, for viewers too", async () => {
    const created = (await createType(typeBody())).body.data;
    const v1 = created.versions[0].id as string;
    await makeAsset(`list-a-${run}`, v1);
    await makeAsset(`list-b-${run}`, v1);
    const retired = await makeAsset(`list-c-${run}`, v1);
    await db.asset.update({ where: { id: retired.id }, data: { retiredAt: new Date() } });

    const answer = await call(listTypes, "GET", "/api/v1/asset-types", { cookie: viewerCookie });
    expect(answer.status).toBe(200);
    const listed = (answer.body.data as { id: string }[]).find((type) => type.id === created.id);
    expect(listed).toEqual({
      id: created.id, key: created.key, name: "Curing oven", description: "Gas-fired",
      versions: [{ id: v1, version: 1, createdAt: expect.any(String), assetCount: 2 }],
    });
    expect((await call(listTypes, "GET", "/api/v1/asset-types", { cookie: "" })).status).toBe(401);
  });
});

describe("GET /api/v1/asset-types/[id]", () => {
  it("answers 404 for an unknown or malformed id", async () => {
    expect((await call(getType, "GET", "/api/v1/asset-types/x", { params: { id: randomUUID() } })).status).toBe(404);
    expect((await call(getType, "GET", "/api/v1/asset-types/x", { params: { id: "not-a-uuid" } })).status).toBe(404);
  });
});

describe("POST /api/v1/asset-types/[id]/versions", () => {
  it("saves an edit as version N+1, keeps version N as it was, moves no asset, and audits before and after", async () => {
    const type = (await createType(typeBody())).body.data;
    const asset = await makeAsset(`keep-${run}`, type.versions[0].id);
    const saved = await saveVersion(type.id, { baseVersion: 1, metrics: [fahrenheit, power], states, commands: [] });
    expect(saved.status).toBe(201);
    expect(saved.body.data).toMatchObject({ version: 2, assetCount: 0, metrics: [power, fahrenheit], commands: [] });

    const after = await detail(type.id);
    expect(after.versions.map((version: { version: number }) => version.version)).toEqual([1, 2]);
    expect(after.versions[0]).toMatchObject({ metrics: [power, celsius], commands, assets: [{ id: asset.id, path: asset.path }] });
    expect((await db.asset.findUniqueOrThrow({ where: { id: asset.id } })).typeVersionId).toBe(type.versions[0].id);

    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset_type", entityId: type.id, action: "asset_type.version" } });
    expect(audit.before).toMatchObject({ version: 1, metrics: [power, celsius] });
    expect(audit.after).toMatchObject({ version: 2, metrics: [power, fahrenheit], commands: [] });

    expect((await saveVersion(type.id, { baseVersion: 2, metrics: [celsius], states: [], commands: [] })).body.data.version).toBe(3);
  });

  it("refuses a stale baseVersion and an edit that changes nothing with 409; bad declarations with 400", async () => {
    const type = (await createType(typeBody())).body.data;
    expect((await saveVersion(type.id, { baseVersion: 1, metrics: [fahrenheit], states, commands })).status).toBe(201);
    const stale = await saveVersion(type.id, { baseVersion: 1, metrics: [celsius], states, commands });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/Version 2 was saved after version 1/);
    // The same declaration in another order (and payload keys reordered) is no change.
    const same = await saveVersion(type.id, { metrics: [fahrenheit], states: [...states].reverse(), commands: [{ ...commands[0], payloadSchema: { properties: { reason: { type: "string" } }, type: "object" } }] });
    expect(same.status).toBe(409);
    expect(same.body.error.message).toMatch(/Nothing changed: this is what version 2 declares/);
    const duplicate = await saveVersion(type.id, { metrics: [fahrenheit, fahrenheit], states, commands });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toMatch(/metrics\.1\.name: metric temperature is declared twice/);
    expect(await db.assetTypeVersion.count({ where: { typeId: type.id } })).toBe(2);
  });

  it("answers 404 for an unknown type and 403 to a viewer", async () => {
    expect((await saveVersion(randomUUID(), { metrics: [celsius], states, commands })).status).toBe(404);
    const type = (await createType(typeBody())).body.data;
    expect((await saveVersion(type.id, { metrics: [fahrenheit], states, commands }, viewerCookie)).status).toBe(403);
  });

  it("gives two concurrent saves versions 2 and 3, never a duplicate or a 500", async () => {
    const type = (await createType(typeBody())).body.data;
    const answers = await Promise.all([
      saveVersion(type.id, { metrics: [fahrenheit], states, commands }),
      saveVersion(type.id, { metrics: [power], states, commands }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers.map((answer) => answer.body.data.version).sort()).toEqual([2, 3]);
  });
});

describe("POST /api/v1/asset-types/[id]/versions/[version]/assets", () => {
  it("moves assets of the type and untyped ones explicitly, one audit row per asset; an asset already there is unchanged", async () => {
    const type = (await createType(typeBody())).body.data;
    const v2 = (await saveVersion(type.id, { metrics: [fahrenheit], states, commands })).body.data;
    const typed = await makeAsset(`move-a-${run}`, type.versions[0].id);
    const untyped = await makeAsset(`move-b-${run}`);
    const already = await makeAsset(`move-c-${run}`, v2.id);

    const answer = await move(type.id, 2, [typed.id, untyped.id, already.id]);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      version: 2,
      moved: [{ id: typed.id, path: typed.path, fromVersion: 1 }, { id: untyped.id, path: untyped.path, fromVersion: null }],
      unchanged: [{ id: already.id, path: already.path }],
    });
    expect((await db.asset.findMany({ where: { id: { in: [typed.id, untyped.id] } } })).map((asset) => asset.typeVersionId)).toEqual([v2.id, v2.id]);
    const audits = await db.auditEntry.findMany({ where: { entity: "asset_type", entityId: type.id, action: "asset_type.move_asset" }, orderBy: { id: "asc" } });
    expect(audits.map((entry) => [entry.before, entry.after])).toEqual([
      [{ assetId: typed.id, path: typed.path, version: 1 }, { assetId: typed.id, path: typed.path, version: 2 }],
      [{ assetId: untyped.id, path: untyped.path, version: null }, { assetId: untyped.id, path: untyped.path, version: 2 }],
    ]);
    expect((await detail(type.id)).versions[1].assets.map((asset: { id: string }) => asset.id).sort()).toEqual([typed.id, untyped.id, already.id].sort());
    // Moving back to version 1 is how a move is undone.
    expect((await move(type.id, 1, [typed.id])).body.data.moved).toEqual([{ id: typed.id, path: typed.path, fromVersion: 2 }]);
  });

  it("refuses an asset of another type or a retired one with 409, and then moves none", async () => {
    const type = (await createType(typeBody())).body.data;
    const other = (await createType(typeBody({ key: newKey("press"), name: "Press" }))).body.data;
    const mine = await makeAsset(`mine-${run}`, type.versions[0].id);
    const foreign = await makeAsset(`foreign-${run}`, other.versions[0].id);
    await saveVersion(type.id, { metrics: [fahrenheit], states, commands });

    const refused = await move(type.id, 2, [mine.id, foreign.id]);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(`${foreign.path} is a ${other.key}, not a ${type.key}; only assets of this type or without a type can move to it.`);
    expect((await db.asset.findUniqueOrThrow({ where: { id: mine.id } })).typeVersionId).toBe(type.versions[0].id);
    expect(await db.auditEntry.count({ where: { entityId: type.id, action: "asset_type.move_asset" } })).toBe(0);

    await db.asset.update({ where: { id: mine.id }, data: { retiredAt: new Date() } });
    expect((await move(type.id, 2, [mine.id])).status).toBe(409);
  });

  it("answers 404 for an unknown type, version or asset and 400 for a bad list; 403 to a viewer", async () => {
    const type = (await createType(typeBody())).body.data;
    const asset = await makeAsset(`nf-${run}`, type.versions[0].id);
    expect((await move(randomUUID(), 1, [asset.id])).status).toBe(404);
    const noVersion = await move(type.id, 7, [asset.id]);
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.error.message).toBe("This asset type has no version 7.");
    expect((await move(type.id, "0", [asset.id])).status).toBe(404);
    expect((await move(type.id, "abc", [asset.id])).status).toBe(404);
    const unknownAsset = randomUUID();
    expect((await move(type.id, 1, [unknownAsset])).body.error).toEqual({ code: "not_found", message: `No such asset: ${unknownAsset}.` });
    expect((await move(type.id, 1, [])).status).toBe(400);
    expect((await move(type.id, 1, [asset.id, asset.id])).body.error.message).toMatch(/must not repeat an asset/);
    expect((await move(type.id, 1, ["not-a-uuid"])).status).toBe(400);
    expect((await move(type.id, 1, [asset.id], viewerCookie)).status).toBe(403);
  });
});

describe("history recorded under an old version still reads with it", () => {
  it("after moving an asset from v1 (°C, precision 1) to v2 (°F), a time before the move resolves v1", async () => {
    const type = (await createType(typeBody({ metrics: [celsius] }))).body.data;
    const asset = await makeAsset(`history-${run}`, type.versions[0].id);
    await saveVersion(type.id, { metrics: [fahrenheit], states, commands });
    const beforeMove = new Date();
    // Rows are stamped at the database's transaction time (ms precision): make sure the move is later.
    await db.$executeRaw`SELECT pg_sleep(0.01)`;
    expect((await move(type.id, 2, [asset.id])).status).toBe(200);
    const afterMove = new Date(Date.now() + 1);

    const past = await typeVersionAt(asset.id, beforeMove);
    expect(past).toMatchObject({ typeId: type.id, key: type.key, version: 1, metrics: [{ name: "temperature", unit: "°C", displayPrecision: 1, min: 10, max: 90 }] });
    // Data older than the asset itself (backfill) reads with its first version too.
    expect((await typeVersionAt(asset.id, new Date("2020-01-01T00:00:00Z")))?.version).toBe(1);
    expect((await typeVersionAt(asset.id, afterMove))?.metrics).toEqual([{ name: "temperature", unit: "°F", dataType: "NUMBER", min: 50, max: 194, displayPrecision: 0 }]);

    const periods = await findMetricDefinitionsInForce(asset.id, new Date(beforeMove.getTime() - 3_600_000), new Date(afterMove.getTime() + 3_600_000));
    expect(periods.map((period) => [period.version, period.metrics[0]?.unit])).toEqual([[1, "°C"], [2, "°F"]]);
    expect(periods[0]?.to.getTime()).toBe(periods[1]?.from.getTime());
    expect(periods[0]?.to.getTime()).toBeGreaterThan(beforeMove.getTime());

    // The history rows: v1 closed at the move, v2 open.
    const rows = await db.assetTypeAssignment.findMany({ where: { assetId: asset.id }, orderBy: { validFrom: "asc" }, include: { typeVersion: { select: { version: true } } } });
    expect(rows.map((row) => [row.typeVersion.version, row.validTo === null])).toEqual([[1, false], [2, true]]);
  });

  it("records every change of an asset's version, whoever makes it, and none for an untyped asset", async () => {
    const type = (await createType(typeBody())).body.data;
    const untyped = await makeAsset(`plain-${run}`);
    expect(await typeVersionAt(untyped.id, new Date())).toBeNull();
    expect(await db.assetTypeAssignment.count({ where: { assetId: untyped.id } })).toBe(0);
    // A direct update (the asset form, the seed) is recorded by the trigger as well.
    await db.asset.update({ where: { id: untyped.id }, data: { typeVersionId: type.versions[0].id } });
    await db.asset.update({ where: { id: untyped.id }, data: { name: "Renamed" } });
    expect(await db.assetTypeAssignment.count({ where: { assetId: untyped.id, validTo: null } })).toBe(1);
    expect((await typeVersionAt(untyped.id, new Date(Date.now() + 1000)))?.version).toBe(1);
    await expect(typeVersionAt(randomUUID(), new Date())).rejects.toMatchObject({ code: "not_found" });
  });
});
