import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as MOVE } from "@/app/api/v1/assets/[id]/move/route";
import { POST as RESTORE } from "@/app/api/v1/assets/[id]/restore/route";
import { POST as RETIRE } from "@/app/api/v1/assets/[id]/retire/route";
import { GET as GET_ONE, PATCH } from "@/app/api/v1/assets/[id]/route";
import { GET, POST } from "@/app/api/v1/assets/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { callRoute, type TCallOptions, type TRouteHandler } from "../support/call-route";

const db = getDb();
let adminCookie = "";
let viewerCookie = "";
let admin: { id: string; email: string };

type TAnswer = { status: number; body: { data?: Record<string, unknown> & { id: string; path: string }; error?: { code: string; message: string } } };

const call = (handler: TRouteHandler, method: string, url: string, options?: TCallOptions): Promise<TAnswer> => callRoute(handler, method, url, options);

const create = (body: Record<string, unknown>, cookie = adminCookie) => call(POST, "POST", "/api/v1/assets", { cookie, body });
const patch = (id: string, body: unknown, cookie = adminCookie) => call(PATCH, "PATCH", `/api/v1/assets/${id}`, { cookie, body, params: { id } });
const move = (id: string, parentId: string | null, cookie = adminCookie) => call(MOVE, "POST", `/api/v1/assets/${id}/move`, { cookie, body: { parentId }, params: { id } });
const retire = (id: string, body: unknown = {}, cookie = adminCookie) => call(RETIRE, "POST", `/api/v1/assets/${id}/retire`, { cookie, body, params: { id } });
const restore = (id: string, body: unknown = {}, cookie = adminCookie) => call(RESTORE, "POST", `/api/v1/assets/${id}/restore`, { cookie, body, params: { id } });

async function created(body: Record<string, unknown>) {
  const answer = await create(body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.data!;
}

/** An enterprise of this test's own, with a site, an area and a line, so tests never see each other's assets. */
async function plant() {
  const tag = randomUUID().slice(0, 8);
  const enterprise = await created({ parentId: null, name: `Test Co ${tag}`, slug: `test-co-${tag}` });
  const site = await created({ parentId: enterprise.id, name: "Berlin Plant", timeZone: "Europe/Berlin" });
  const area = await created({ parentId: site.id, name: "Press Shop" });
  const line = await created({ parentId: area.id, name: "Line 1" });
  return { tag, enterprise, site, area, line };
}

async function userCookie(role: Role) {
  const user = await db.user.create({ data: { email: `assets-${role.toLowerCase()}-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash: await hashPassword("assets-password"), role } });
  return { user, cookie: `shopfloor_session=${await createSession(user.id, "vitest")}` };
}

beforeAll(async () => {
  const adminUser = await userCookie("ADMIN");
  admin = adminUser.user;
  adminCookie = adminUser.cookie;
  viewerCookie = (await userCookie("VIEWER")).cookie;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("POST /api/v1/assets", () => {
  it("creates each level below its parent, deriving the slug and the path; audited as asset.create", async () => {
    const { tag, enterprise, site, area, line } = await plant();
    expect(enterprise).toMatchObject({ level: "ENTERPRISE", parentId: null, path: `test-co-${tag}` });
    expect(site).toMatchObject({ level: "SITE", slug: "berlin-plant", path: `test-co-${tag}/berlin-plant`, timeZone: "Europe/Berlin" });
    expect(area).toMatchObject({ level: "AREA", path: `test-co-${tag}/berlin-plant/press-shop` });
    const machine = await created({ parentId: line.id, name: "Presse Nr. 3 (Ölkühlung)", idealCycleTimeMs: 1500, notes: "Bought 2019.\nService: Schuler" });
    expect(machine).toMatchObject({
      level: "WORK_CELL", slug: "presse-nr-3-olkuhlung", path: `test-co-${tag}/berlin-plant/press-shop/line-1/presse-nr-3-olkuhlung`,
      idealCycleTimeMs: 1500, notes: "Bought 2019.\nService: Schuler", retiredAt: null, type: null,
    });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset", entityId: machine.id } });
    expect(audit).toMatchObject({ action: "asset.create", actorId: admin.id, actorLabel: admin.email, before: null });
    expect(audit.after).toMatchObject({ name: "Presse Nr. 3 (Ölkühlung)", path: machine.path, level: "WORK_CELL", idealCycleTimeMs: 1500, retired: false });
  });

  it("refuses a slug already used among the siblings with 409 naming the holder, retired or not; other parents may reuse it", async () => {
    const { area, line, site } = await plant();
    const first = await created({ parentId: line.id, name: "Press 1", slug: "press-1" });
    const again = await create({ parentId: line.id, name: "Another press", slug: "press-1" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", message: expect.stringContaining(`The slug "press-1" is already used here by Press 1`) });
    // Derived from the name the same way.
    expect((await create({ parentId: line.id, name: "Press 1" })).status).toBe(409);
    // A retired asset keeps its path (its history is stored under it).
    expect((await retire(first.id)).status).toBe(200);
    const retiredClash = await create({ parentId: line.id, name: "Press 1 again", slug: "press-1" });
    expect(retiredClash.status).toBe(409);
    expect(retiredClash.body.error?.message).toMatch(/retired asset Press 1.*restore it, or choose another slug/);
    const otherLine = await created({ parentId: area.id, name: "Line 2" });
    expect((await create({ parentId: otherLine.id, name: "Press 1", slug: "press-1" })).status).toBe(201);
    expect(await db.asset.count({ where: { parentId: line.id } })).toBe(1);
    expect(site.level).toBe("SITE");
  });

  it("answers 400 naming the field for bad input, and stores nothing", async () => {
    const { line, area, site, tag } = await plant();
    const machine = await created({ parentId: line.id, name: "Press 9" });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ parentId: line.id, name: "x", slug: "has space" }, /slug may contain only a-z A-Z 0-9 - _/],
      [{ parentId: line.id, name: "x", slug: "a/b" }, /slug may contain only/],
      [{ parentId: line.id, name: "x", slug: "_historian" }, /must not start with _/],
      [{ parentId: line.id, name: "x", slug: "x".repeat(65) }, /slug must be at most 64 characters/],
      [{ parentId: line.id, name: "   " }, /name must not be empty/],
      [{ parentId: line.id, name: "bell\u0007" }, /control characters/],
      [{ parentId: line.id, name: "!!!" }, /give a slug/],
      [{ parentId: line.id, name: "x", idealCycleTimeMs: 0 }, /idealCycleTimeMs must be greater than 0/],
      [{ parentId: line.id, name: "x", idealCycleTimeMs: -5 }, /greater than 0/],
      [{ parentId: line.id, name: "x", idealCycleTimeMs: "1500" }, /idealCycleTimeMs must be a number/],
      [{ parentId: area.id, name: "x", idealCycleTimeMs: 1500 }, /only machines \(work cells\) have an ideal cycle time/],
      [{ parentId: site.id, name: "x", timeZone: "Europe/Berlin" }, /only sites have a time zone/],
      [{ parentId: site.id.replace(/.$/, ""), name: "x" }, /parentId/],
      [{ parentId: machine.id, name: "x" }, /machines have no children/],
      [{ parentId: line.id, name: "x", typeVersionId: "v1" }, /typeVersionId/],
      [{ parentId: line.id, name: "x", owner: "me" }, /owner/],
      [JSON.parse(`{"parentId": "${line.id}", "name": "x", "__proto__": {"level": "ENTERPRISE"}}`), /__proto__/],
      [{ name: "x" }, /parentId/],
    ];
    const enterprise = await db.asset.findFirstOrThrow({ where: { path: `test-co-${tag}` } });
    for (const [body, message] of cases) {
      const answer = await create(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.message).toMatch(message);
    }
    const badZone = await create({ parentId: enterprise.id, name: "Mars base", timeZone: "Mars/Olympus_Mons" });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error?.message).toMatch(/IANA time zone/);
    // The plant's site, area and line, and the one machine.
    expect(await db.asset.count({ where: { path: { startsWith: `test-co-${tag}/` } } })).toBe(4);
  });

  it("stores names that look like SQL or markup literally", async () => {
    const { line } = await plant();
    const sql = await created({ parentId: line.id, name: "'); DROP TABLE assets;--" });
    const markup = await created({ parentId: line.id, name: "<img src=x onerror=alert(1)>" });
    expect(sql).toMatchObject({ name: "'); DROP TABLE assets;--", slug: "drop-table-assets" });
    expect(markup).toMatchObject({ name: "<img src=x onerror=alert(1)>", slug: "img-src-x-onerror-alert-1" });
    expect(await db.asset.count()).toBeGreaterThan(0);
  });

  it("answers 404 for an unknown parent or type version, and 409 under a retired parent", async () => {
    const { line } = await plant();
    expect((await create({ parentId: randomUUID(), name: "x" })).status).toBe(404);
    const noType = await create({ parentId: line.id, name: "x", typeVersionId: randomUUID() });
    expect(noType.status).toBe(404);
    expect(noType.body.error?.message).toMatch(/No asset type version/);
    await retire(line.id);
    const underRetired = await create({ parentId: line.id, name: "x" });
    expect(underRetired.status).toBe(409);
    expect(underRetired.body.error?.message).toMatch(/is retired: restore it before adding assets under it/);
  });
});

describe("access", () => {
  it("refuses every change to a viewer (403) and reads for them; an admin API token may build the plant", async () => {
    const { line } = await plant();
    expect((await create({ parentId: line.id, name: "By viewer" }, viewerCookie)).status).toBe(403);
    expect((await patch(line.id, { name: "By viewer" }, viewerCookie)).status).toBe(403);
    expect((await move(line.id, null, viewerCookie)).status).toBe(403);
    expect((await retire(line.id, {}, viewerCookie)).status).toBe(403);
    expect((await restore(line.id, {}, viewerCookie)).status).toBe(403);
    expect(await db.asset.count({ where: { parentId: line.id } })).toBe(0);
    expect((await db.asset.findUniqueOrThrow({ where: { id: line.id } })).name).toBe("Line 1");
    expect((await call(GET_ONE, "GET", `/api/v1/assets/${line.id}`, { cookie: viewerCookie, params: { id: line.id } })).body.data).toMatchObject({ id: line.id, activeDescendants: 0 });
    expect((await call(GET, "GET", "/api/v1/assets?retired=include", { cookie: viewerCookie })).status).toBe(200);

    const creator = { kind: "user" as const, id: admin.id, label: admin.email, role: "ADMIN" as const, email: admin.email, name: null, sitePaths: null };
    const { secret } = await createApiToken({ name: `assets-${randomUUID().slice(0, 6)}`, role: "ADMIN" }, creator);
    const byToken = await call(POST, "POST", "/api/v1/assets", { headers: { authorization: `Bearer ${secret}` }, body: { parentId: line.id, name: "By script" } });
    expect(byToken.status).toBe(201);
    expect((await db.auditEntry.findFirstOrThrow({ where: { entity: "asset", entityId: byToken.body.data!.id } })).actorLabel).toMatch(/^token:assets-/);
  });

  it("refuses a cross-site change", async () => {
    const { line } = await plant();
    const answer = await call(PATCH, "PATCH", `/api/v1/assets/${line.id}`, { cookie: adminCookie, body: { name: "x" }, params: { id: line.id }, headers: { origin: "https://evil.example" } });
    expect(answer.status).toBe(403);
  });
});

describe("PATCH /api/v1/assets/[id]", () => {
  it("renames without touching the path; audited with before and after; an unchanged asset writes no audit row", async () => {
    const { line } = await plant();
    const answer = await patch(line.id, { name: "Press Line One", notes: "Rebuilt 2024" });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ name: "Press Line One", slug: "line-1", path: line.path, notes: "Rebuilt 2024", descendantsMoved: 0 });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset", entityId: line.id, action: "asset.update" } });
    expect(audit.before).toMatchObject({ name: "Line 1", notes: null, path: line.path });
    expect(audit.after).toMatchObject({ name: "Press Line One", notes: "Rebuilt 2024", path: line.path });
    expect((await patch(line.id, { name: "Press Line One" })).status).toBe(200);
    expect(await db.auditEntry.count({ where: { entity: "asset", entityId: line.id, action: "asset.update" } })).toBe(1);
  });

  it("changes the topic segment: the asset's and its subtree's paths, one audit row per descendant", async () => {
    const { area, line } = await plant();
    const machines = [await created({ parentId: line.id, name: "M1" }), await created({ parentId: line.id, name: "M2" })];
    const answer = await patch(area.id, { slug: "stamping_hall" });
    expect(answer.status).toBe(200);
    const newArea = area.path.replace(/press-shop$/, "stamping_hall");
    expect(answer.body.data).toMatchObject({ slug: "stamping_hall", path: newArea, descendantsMoved: 3 });
    const rows = await db.asset.findMany({ where: { id: { in: [line.id, ...machines.map((machine) => machine.id)] } }, orderBy: { path: "asc" } });
    expect(rows.map((row) => row.path)).toEqual([`${newArea}/line-1`, `${newArea}/line-1/m1`, `${newArea}/line-1/m2`]);
    const pathAudit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset", entityId: machines[0]!.id, action: "asset.path" } });
    expect(pathAudit.before).toEqual({ path: `${area.path}/line-1/m1` });
    expect(pathAudit.after).toMatchObject({ path: `${newArea}/line-1/m1` });
    // The old path is free again: it can be created anew (what the ingest worker would do with old topics).
    expect((await db.asset.findUnique({ where: { path: area.path } }))).toBeNull();
  });

  it("a segment change that collides with a sibling is 409 and changes nothing", async () => {
    const { area, site } = await plant();
    const other = await created({ parentId: site.id, name: "Assembly" });
    const answer = await patch(other.id, { slug: "press-shop", name: "Renamed too" });
    expect(answer.status).toBe(409);
    expect(answer.body.error?.message).toMatch(/already used here by Press Shop/);
    expect(await db.asset.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ name: "Assembly", slug: "assembly" });
    expect(area.slug).toBe("press-shop");
  });

  it("sets and clears the type version (an unknown one is 404, a malformed one 400); level rules apply", async () => {
    const { line, site } = await plant();
    const machine = await created({ parentId: line.id, name: "Typed" });
    const type = await db.assetType.create({ data: { key: `test-type-${randomUUID().slice(0, 8)}`, name: "Test type", versions: { create: { version: 1 } } }, include: { versions: true } });
    const versionId = type.versions[0]!.id;
    const typed = await patch(machine.id, { typeVersionId: versionId, idealCycleTimeMs: 2400 });
    expect(typed.status).toBe(200);
    expect(typed.body.data).toMatchObject({ typeVersionId: versionId, idealCycleTimeMs: 2400, type: { key: type.key, name: "Test type", version: 1, versionId } });
    expect((await patch(machine.id, { typeVersionId: randomUUID() })).status).toBe(404);
    expect((await patch(machine.id, { typeVersionId: "nope" })).status).toBe(400);
    expect((await patch(machine.id, { typeVersionId: null })).body.data).toMatchObject({ typeVersionId: null, type: null });
    expect((await patch(machine.id, { timeZone: "Europe/Berlin" })).status).toBe(400);
    expect((await patch(site.id, { timeZone: "Asia/Tokyo" })).body.data).toMatchObject({ timeZone: "Asia/Tokyo" });
    expect((await patch(site.id, { timeZone: "Asia/Atlantis" })).status).toBe(400);
  });

  it("answers 404 for an unknown or malformed id, 400 for an empty or unknown change, 409 for a retired asset", async () => {
    expect((await patch(randomUUID(), { name: "x" })).status).toBe(404);
    expect((await patch("not-a-uuid", { name: "x" })).status).toBe(404);
    expect((await call(GET_ONE, "GET", "/api/v1/assets/x", { cookie: adminCookie, params: { id: "x" } })).status).toBe(404);
    const { line } = await plant();
    expect((await patch(line.id, {})).body.error?.message).toMatch(/send at least one of name, slug/);
    expect((await patch(line.id, { path: "a/b" })).status).toBe(400);
    expect((await patch(line.id, { level: "SITE" })).status).toBe(400);
    await retire(line.id);
    const retiredChange = await patch(line.id, { name: "x" });
    expect(retiredChange.status).toBe(409);
    expect(retiredChange.body.error?.message).toMatch(/restore it before changing it/);
  });
});

describe("POST /api/v1/assets/[id]/move", () => {
  it("moves a line with its machines to another area: the subtree's paths follow in one transaction, audited", async () => {
    const { site, line } = await plant();
    const machine = await created({ parentId: line.id, name: "Robot 1" });
    const otherArea = await created({ parentId: site.id, name: "Welding" });
    const answer = await move(line.id, otherArea.id);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ parentId: otherArea.id, path: `${otherArea.path}/line-1`, descendantsMoved: 1 });
    expect((await db.asset.findUniqueOrThrow({ where: { id: machine.id } })).path).toBe(`${otherArea.path}/line-1/robot-1`);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset", entityId: line.id, action: "asset.move" } });
    expect(audit.before).toMatchObject({ parentId: line.parentId, path: line.path });
    expect(audit.after).toMatchObject({ parentId: otherArea.id, path: `${otherArea.path}/line-1`, descendantsMoved: 1 });
    expect(await db.auditEntry.count({ where: { entity: "asset", entityId: machine.id, action: "asset.path" } })).toBe(1);
    // Moving to where it is already is a no-op.
    expect((await move(line.id, otherArea.id)).body.data).toMatchObject({ descendantsMoved: 0 });
    expect(await db.auditEntry.count({ where: { entity: "asset", entityId: line.id, action: "asset.move" } })).toBe(1);
  });

  it("refuses a parent of the wrong level and a move into its own subtree with 400, changing nothing", async () => {
    const { site, area, line, enterprise } = await plant();
    const machine = await created({ parentId: line.id, name: "Press" });
    const wrongLevel = await move(line.id, site.id);
    expect(wrongLevel.status).toBe(400);
    expect(wrongLevel.body.error?.message).toBe("Line 1 is a line: its parent must be an area, and Berlin Plant is a site.");
    expect((await move(machine.id, area.id)).status).toBe(400);
    expect((await move(area.id, null)).body.error?.message).toMatch(/only an enterprise can be at the top/);
    expect((await move(enterprise.id, site.id)).body.error?.message).toMatch(/cannot be moved under Berlin Plant, which is inside it/);
    const cycle = await move(area.id, machine.id);
    expect(cycle.status).toBe(400);
    expect(cycle.body.error?.message).toBe("Press Shop cannot be moved under Press, which is inside it.");
    expect((await move(line.id, line.id)).body.error?.message).toMatch(/cannot be moved under itself/);
    const unchanged = await db.asset.findMany({ where: { id: { in: [line.id, machine.id, area.id] } } });
    expect(unchanged.map((row) => row.path).sort()).toEqual([area.path, line.path, `${line.path}/press`].sort());
  });

  it("refuses a slug taken under the new parent (409), a retired target (409) and an unknown one (404)", async () => {
    const { area, site, line } = await plant();
    const otherArea = await created({ parentId: site.id, name: "Welding" });
    await created({ parentId: otherArea.id, name: "Line 1" });
    const clash = await move(line.id, otherArea.id);
    expect(clash.status).toBe(409);
    expect(clash.body.error?.message).toMatch(/already used here by Line 1/);
    const retiredArea = await created({ parentId: site.id, name: "Old hall" });
    await retire(retiredArea.id);
    expect((await move(line.id, retiredArea.id)).status).toBe(409);
    expect((await move(line.id, randomUUID())).status).toBe(404);
    expect((await db.asset.findUniqueOrThrow({ where: { id: line.id } })).parentId).toBe(area.id);
  });

  it("two lines with one slug moved into the same area at once: one moves, the other gets 409", async () => {
    const { site, area } = await plant();
    const [a, b] = [await created({ parentId: site.id, name: "Hall A" }), await created({ parentId: site.id, name: "Hall B" })];
    const lineA = await created({ parentId: a.id, name: "Shared" });
    const lineB = await created({ parentId: b.id, name: "Shared" });
    const results = await Promise.all([move(lineA.id, area.id), move(lineB.id, area.id)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const rows = await db.asset.findMany({ where: { id: { in: [lineA.id, lineB.id] } } });
    for (const row of rows) expect(row.path).toBe(`${row.parentId === area.id ? area.path : row.parentId === a.id ? a.path : b.path}/shared`);
    expect(rows.filter((row) => row.parentId === area.id)).toHaveLength(1);
  });
});

describe("retire and restore", () => {
  it("refuses to retire a parent with active children unless the subtree is asked for; restore is the undo", async () => {
    const { line } = await plant();
    const machines = [await created({ parentId: line.id, name: "M1" }), await created({ parentId: line.id, name: "M2" })];
    const refused = await retire(line.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toBe("Line 1 has 2 active assets below it: retire them first, move them elsewhere, or retire the whole subtree.");
    expect((await db.asset.findUniqueOrThrow({ where: { id: line.id } })).retiredAt).toBeNull();

    // One machine retired on its own first: restoring the subtree later must not bring it back.
    const single = await retire(machines[0]!.id);
    expect(single.body.data).toMatchObject({ affected: 1, retiredAt: expect.any(String) });
    const subtree = await retire(line.id, { subtree: true });
    expect(subtree.status).toBe(200);
    expect(subtree.body.data).toMatchObject({ affected: 2 });
    const retiredRows = await db.asset.findMany({ where: { id: { in: [line.id, machines[1]!.id] } } });
    expect(retiredRows.every((row) => row.retiredAt?.getTime() === retiredRows[0]!.retiredAt?.getTime())).toBe(true);
    expect(await db.auditEntry.count({ where: { entity: "asset", entityId: { in: [line.id, machines[1]!.id] }, action: "asset.retire" } })).toBe(2);

    // Hidden from the plain tree, listed with retired=include; still readable one by one.
    const plain = JSON.stringify((await call(GET, "GET", "/api/v1/assets", { cookie: viewerCookie })).body);
    expect(plain).not.toContain(line.id);
    expect(JSON.stringify((await call(GET, "GET", "/api/v1/assets?retired=include", { cookie: viewerCookie })).body)).toContain(line.id);

    // A machine cannot come back inside a retired line.
    const orphan = await restore(machines[1]!.id);
    expect(orphan.status).toBe(409);
    expect(orphan.body.error?.message).toMatch(/which is retired: restore Line 1 first/);

    const undo = await restore(line.id, { subtree: true });
    expect(undo.body.data).toMatchObject({ affected: 2, retiredAt: null });
    const after = await db.asset.findMany({ where: { id: { in: machines.map((machine) => machine.id) } }, orderBy: { name: "asc" } });
    expect(after.map((row) => row.retiredAt === null)).toEqual([false, true]);
    const restoreAudit = await db.auditEntry.findFirstOrThrow({ where: { entity: "asset", entityId: machines[1]!.id, action: "asset.restore" } });
    expect(restoreAudit.before).toMatchObject({ retired: true });
    expect(restoreAudit.after).toMatchObject({ retired: false, with: line.path });
    expect((await restore(machines[0]!.id)).body.data).toMatchObject({ affected: 1, retiredAt: null });
  });

  it("keeps history: samples of a retired asset stay queryable", async () => {
    const { line } = await plant();
    const machine = await created({ parentId: line.id, name: "With data" });
    const series = await db.series.create({ data: { assetId: machine.id, metric: "temperature" } });
    await db.$executeRaw`INSERT INTO samples (series_id, time, value_num) VALUES (${series.id}, now(), 71.5)`;
    await retire(machine.id);
    expect(await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM samples WHERE series_id = ${series.id}`).toEqual([{ n: 1 }]);
  });

  it("answers 400 for a bad body and 404 for an unknown asset", async () => {
    const { line } = await plant();
    expect((await retire(line.id, { subtree: "yes" })).status).toBe(400);
    expect((await retire(line.id, { everything: true })).status).toBe(400);
    expect((await retire(randomUUID())).status).toBe(404);
    expect((await restore(randomUUID())).status).toBe(404);
  });
});
