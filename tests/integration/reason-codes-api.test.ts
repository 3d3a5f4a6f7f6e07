import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as removeRoute } from "@/app/api/v1/reason-codes/[code]/route";
import { GET as listRoute, POST as saveRoute } from "@/app/api/v1/reason-codes/route";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { callRoute, type TCallOptions, type TRouteHandler } from "../support/call-route";

// Reason codes as the admin page manages them: plant-wide and site rows added, renamed, reclassified and
// removed (reverting to the layer beneath), every change audited, removal refused while stops use the code.
// Plant-wide rows are shared by every test file, so this file only adds plant-wide codes of its own
// (the 2281xx sub-codes of "other technical stop"); standard codes are only overridden at its own site.
const db = getDb();
const enterprise = `rc-${randomUUID().slice(0, 8)}`;
const site = `${enterprise}/plant-a`;
const otherSite = `${enterprise}/plant-b`;
const machine = `${site}/area-1/line-1/press-1`;
const otherMachine = `${otherSite}/line-1/press-1`;
const machineIds: Record<string, string> = {};
let adminCookie = "";
let supervisorCookie = "";

const call = (handler: TRouteHandler, method: string, url: string, options: TCallOptions = {}) =>
  callRoute(handler, method, url, { ...options, cookie: options.cookie ?? adminCookie });

type TListed = { code: number; name: string; category: string; source: string; inherited?: unknown };
const save = (body: Record<string, unknown>, cookie?: string) => call(saveRoute, "POST", "/api/v1/reason-codes", { body, cookie });
const list = async (scope: string | null, inherited = true) => {
  const query = new URLSearchParams({ ...(scope ? { site: scope } : {}), ...(inherited ? { inherited: "true" } : {}) });
  const answer = await call(listRoute, "GET", `/api/v1/reason-codes?${query}`);
  expect(answer.status).toBe(200);
  return answer.body.data as TListed[];
};
const listed = async (scope: string | null, code: number) => (await list(scope)).find((reason) => reason.code === code);
const remove = (code: number | string, scope: string | null, options: { cookie?: string; headers?: Record<string, string> } = {}) =>
  call(removeRoute, "DELETE", `/api/v1/reason-codes/${code}${scope ? `?${new URLSearchParams({ site: scope })}` : ""}`, { ...options, params: { code: String(code) } });
const audits = (code: number) => db.auditEntry.findMany({ where: { entity: "reason_code", action: { startsWith: "reason_code." }, after: { path: ["code"], equals: code } }, orderBy: { id: "asc" } });
const deletions = (code: number) => db.auditEntry.findMany({ where: { entity: "reason_code", action: "reason_code.delete", before: { path: ["code"], equals: code } }, orderBy: { id: "asc" } });

async function classifyStopsWith(code: number, machinePath: string, count: number) {
  for (let index = 0; index < count; index += 1) {
    await db.stopClassification.create({
      data: { assetId: machineIds[machinePath]!, startTime: new Date(Date.UTC(2026, 11, 1, 6, index)), reasonCode: code, classifiedBy: "vitest" },
    });
  }
}

beforeAll(async () => {
  const passwordHash = await hashPassword("reason-codes-password");
  const admin = await db.user.create({ data: { email: `rc-admin-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash, role: "ADMIN" } });
  const supervisor = await db.user.create({ data: { email: `rc-sup-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash, role: "SUPERVISOR" } });
  adminCookie = `shopfloor_session=${await createSession(admin.id, "vitest")}`;
  supervisorCookie = `shopfloor_session=${await createSession(supervisor.id, "vitest")}`;

  const levels = ["ENTERPRISE", "SITE", "AREA", "LINE", "WORK_CELL"] as const;
  for (const path of [machine, otherMachine]) {
    const segments = path.split("/");
    let parentId: string | null = null;
    for (let depth = 0; depth < segments.length; depth += 1) {
      const assetPath = segments.slice(0, depth + 1).join("/");
      const level = depth === segments.length - 1 ? "WORK_CELL" : levels[depth]!;
      const asset: { id: string } = await db.asset.upsert({
        where: { path: assetPath },
        create: { name: segments[depth]!, slug: segments[depth]!, path: assetPath, level, parentId },
        update: {},
        select: { id: true },
      });
      parentId = asset.id;
    }
    machineIds[path] = parentId!;
  }
});

afterAll(async () => {
  await db.$disconnect();
});

describe("reason codes for the admin page", () => {
  it("adds a plant-wide sub-code, renames and reclassifies it, each change audited with before and after", async () => {
    const code = 228_101;
    const created = await save({ code, name: "Hydraulic leak", category: "unplannedStop" });
    expect(created).toEqual({ status: 201, body: { data: { code, name: "Hydraulic leak", category: "unplannedStop", source: "plant", site: null } } });
    expect(await listed(null, code)).toEqual({ code, name: "Hydraulic leak", category: "unplannedStop", source: "plant", inherited: null });
    // Every site sees the plant-wide row, which is not the site's own to remove (no inherited).
    expect(await listed(site, code)).toEqual({ code, name: "Hydraulic leak", category: "unplannedStop", source: "plant" });

    const renamed = await save({ code, name: "Hydraulic leak (main pump)", category: "plannedStop" });
    expect(renamed.status).toBe(200);
    expect(await listed(null, code)).toMatchObject({ name: "Hydraulic leak (main pump)", category: "plannedStop", source: "plant" });

    const rows = await audits(code);
    expect(rows.map((row) => row.action)).toEqual(["reason_code.create", "reason_code.update"]);
    expect(rows[1]?.before).toMatchObject({ code, name: "Hydraulic leak", category: "unplannedStop" });
    expect(rows[1]?.after).toMatchObject({ code, name: "Hydraulic leak (main pump)", category: "plannedStop" });
  });

  it("shows where a site overrides the plant-wide row, and what each row hides (inherited=true)", async () => {
    const code = 228_102;
    await save({ code, name: "Seal worn", category: "unplannedStop" });
    await save({ site, code, name: "Seal worn (planned swap)", category: "plannedStop" });
    expect(await listed(site, code)).toEqual({
      code, name: "Seal worn (planned swap)", category: "plannedStop", source: "site",
      inherited: { code, name: "Seal worn", category: "unplannedStop", source: "plant" },
    });
    expect(await listed(otherSite, code)).toMatchObject({ name: "Seal worn", source: "plant" });
    // A site row over a standard code hides the standard one; without inherited=true the shape stays as before.
    await save({ site, code: 210_000, name: "PM (counts as loss here)", category: "unplannedStop" });
    expect(await listed(site, 210_000)).toMatchObject({ source: "site", inherited: { code: 210_000, name: "Preventive maintenance", category: "plannedStop", source: "default" } });
    expect((await list(site, false)).find((reason) => reason.code === 210_000)).toEqual({ code: 210_000, name: "PM (counts as loss here)", category: "unplannedStop", source: "site" });
    expect(await listed(site, 40_000)).toEqual({ code: 40_000, name: "Unspecified stop", category: "unplannedStop", source: "default" });
  });

  it("removes a site row, reverting to the standard code or to the plant-wide row, audited as reason_code.delete", async () => {
    const standard = await remove(210_000, site);
    expect(standard).toEqual({
      status: 200,
      body: { data: { removed: { code: 210_000, name: "PM (counts as loss here)", category: "unplannedStop", source: "site", site }, reverted: { name: "Preventive maintenance", category: "plannedStop", source: "default" } } },
    });
    expect(await listed(site, 210_000)).toEqual({ code: 210_000, name: "Preventive maintenance", category: "plannedStop", source: "default" });

    const code = 228_102;
    // Stops at the site carry the code, but the plant-wide row keeps it known: removal is fine.
    await classifyStopsWith(code, machine, 2);
    const toPlant = await remove(code, site);
    expect(toPlant.status).toBe(200);
    expect(toPlant.body.data.reverted).toEqual({ name: "Seal worn", category: "unplannedStop", source: "plant" });
    expect(await listed(site, code)).toMatchObject({ name: "Seal worn", source: "plant" });

    const rows = await deletions(code);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.before).toEqual({ code, name: "Seal worn (planned swap)", category: "plannedStop", source: "site", site });
    expect(rows[0]?.after).toEqual({ code, name: "Seal worn", category: "unplannedStop", source: "plant", site });
  });

  it("refuses with 409 to remove a custom code that classified stops still carry, and removes it once they do not", async () => {
    const code = 228_103;
    await save({ code, name: "Hose burst", category: "unplannedStop" });
    await classifyStopsWith(code, otherMachine, 3);
    const refused = await remove(code, null);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: "conflict",
      message: `Code ${code} "Hose burst" is still the reason of 3 classified stops; without this row it would be unknown. Reclassify those stops first, or rename the code instead of removing it.`,
    });
    expect(await listed(null, code)).toMatchObject({ source: "plant" });
    expect(await deletions(code)).toHaveLength(0);

    // A site that defines the code itself keeps its stops' code known when the plant-wide row goes.
    await save({ site: otherSite, code, name: "Hose burst (plant B)", category: "unplannedStop" });
    expect((await remove(code, null)).status).toBe(200);
    expect(await listed(otherSite, code)).toMatchObject({ name: "Hose burst (plant B)", source: "site", inherited: null });
    expect(await listed(null, code)).toBeUndefined();
    // …and now the site row is the last one standing.
    const siteRefused = await remove(code, otherSite);
    expect(siteRefused.status).toBe(409);
    expect(siteRefused.body.error.message).toMatch(new RegExp(`3 classified stops at ${otherSite}`));

    await db.stopClassification.deleteMany({ where: { reasonCode: code } });
    expect((await remove(code, otherSite)).body.data).toEqual({
      removed: { code, name: "Hose burst (plant B)", category: "unplannedStop", source: "site", site: otherSite }, reverted: null,
    });
    expect(await listed(otherSite, code)).toBeUndefined();
  });

  it("answers 404 for a scope without a row of its own, a code that is not one, an unknown site", async () => {
    const standard = await remove(180_000, null);
    expect(standard.status).toBe(404);
    expect(standard.body.error.message).toBe("the plant has no row of its own for code 180000: it already uses the standard one.");
    expect((await remove(228_199, site)).body.error.message).toBe(`site ${site} has no row of its own for code 228199.`);
    for (const code of ["abc", "9999", "1000000", "180000.5", "-180000"]) expect((await remove(code, null)).status, code).toBe(404);
    expect((await remove(228_101, `${enterprise}/nowhere`)).status).toBe(404);
  });

  it("validates input with clear messages, and leaves changes to admins in the console's own origin", async () => {
    expect((await save({ code: 9_999, name: "Too low", category: "unplannedStop" })).body.error.message).toMatch(/code must be at least 10000/);
    expect((await save({ code: 180_001.5, name: "Half", category: "unplannedStop" })).body.error.message).toMatch(/code must be an integer/);
    expect((await save({ code: 228_104, name: "x".repeat(81), category: "unplannedStop" })).body.error.message).toMatch(/name must be at most 80 characters/);
    expect((await save({ code: 228_104, name: "   ", category: "unplannedStop" })).body.error.message).toMatch(/name must not be empty/);
    expect((await save({ code: 228_104, name: "ok", category: "unplannedStop", colour: "red" })).status).toBe(400);
    expect((await call(listRoute, "GET", "/api/v1/reason-codes?inherited=yes")).status).toBe(400);

    expect((await save({ code: 228_104, name: "By a supervisor", category: "unplannedStop" }, supervisorCookie)).status).toBe(403);
    expect((await remove(228_101, null, { cookie: supervisorCookie })).status).toBe(403);
    expect((await remove(228_101, null, { headers: { origin: "null" } })).status).toBe(403);
    expect(await listed(null, 228_101)).toMatchObject({ source: "plant" });
    expect(await listed(null, 228_104)).toBeUndefined();
  });
});
