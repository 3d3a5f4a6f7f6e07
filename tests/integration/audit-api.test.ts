import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/audit/route";
import { POST as createUserRoute } from "@/app/api/v1/users/route";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

// The audit API over rows of an entity name of this file's own, so other files' rows never interfere.
const db = getDb();
const entity = `it-audit-${randomUUID().slice(0, 8)}`;
const t0 = Date.UTC(2026, 11, 4, 8, 0, 0);
let adminCookie = "";
let admin: { id: string; email: string };
let other: { id: string; email: string };

async function get(query: Record<string, string>, cookie = adminCookie) {
  const request = new NextRequest(`http://localhost/api/v1/audit?${new URLSearchParams(query)}`, { headers: { cookie } });
  const response = await GET(request, { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
}

beforeAll(async () => {
  const passwordHash = await hashPassword("audit-admin-password");
  admin = await db.user.create({ data: { email: `audit-admin-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash, role: "ADMIN" } });
  other = await db.user.create({ data: { email: `audit-other-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash, role: "MANAGER" } });
  adminCookie = `shopfloor_session=${await createSession(admin.id, "vitest")}`;
  // Ten rows a minute apart, alternating between two actors; row 5 has no before/after.
  await db.auditEntry.createMany({
    data: Array.from({ length: 10 }, (_, index) => {
      const actor = index % 2 === 0 ? admin : other;
      return {
        at: new Date(t0 + index * 60_000), actorId: actor.id, actorLabel: actor.email, action: `${entity}.update`, entity, entityId: `row-${index}`,
        before: index === 5 ? undefined : { value: index - 1 }, after: index === 5 ? undefined : { value: index },
      };
    }),
  });
});

afterAll(async () => {
  await db.$disconnect();
});

describe("GET /api/v1/audit", () => {
  it("answers the entity's rows newest first in the documented shape", async () => {
    const { status, body } = await get({ entity });
    expect(status).toBe(200);
    expect(body.data.map((row: { entityId: string }) => row.entityId)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((index) => `row-${index}`));
    expect(body.data[0]).toEqual({
      at: new Date(t0 + 9 * 60_000).toISOString(), actor: other.email, action: `${entity}.update`, entity, entityId: "row-9", before: { value: 8 }, after: { value: 9 },
    });
    expect(body.data[4]).toMatchObject({ entityId: "row-5", before: null, after: null });
  });

  it("filters by the actor's e-mail (any case) or user id", async () => {
    const byEmail = await get({ entity, user: other.email.toUpperCase() });
    expect(byEmail.body.data.map((row: { entityId: string }) => row.entityId)).toEqual(["row-9", "row-7", "row-5", "row-3", "row-1"]);
    const byId = await get({ entity, user: admin.id });
    expect(byId.body.data.map((row: { entityId: string }) => row.entityId)).toEqual(["row-8", "row-6", "row-4", "row-2", "row-0"]);
    expect((await get({ entity, user: "nobody@shopfloor.test" })).body.data).toEqual([]);
  });

  it("bounds the time with from (inclusive) and to (exclusive), in any zone offset", async () => {
    // 10:02+02:00 is 08:02Z; 03:05-05:00 is 08:05Z.
    const { body } = await get({ entity, from: "2026-12-04T10:02:00+02:00", to: "2026-12-04T03:05:00-05:00" });
    expect(body.data.map((row: { entityId: string }) => row.entityId)).toEqual(["row-4", "row-3", "row-2"]);
  });

  it("limits to 200 by default and at most 1000, and rejects bad input with 400", async () => {
    expect((await get({ entity, limit: "3" })).body.data.map((row: { entityId: string }) => row.entityId)).toEqual(["row-9", "row-8", "row-7"]);
    expect((await get({ limit: "1000" })).status).toBe(200);
    const tooMany = await get({ limit: "1001" });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/limit must be at most 1000/);
    expect((await get({ from: "2026-12-04T08:00:00" })).status).toBe(400);
    expect((await get({ from: "2026-12-04T09:00:00Z", to: "2026-12-04T08:00:00Z" })).body.error.message).toMatch(/from must be before to/);
    expect((await get({ format: "xml" })).status).toBe(400);

    const bulkEntity = `${entity}-bulk`;
    await db.auditEntry.createMany({ data: Array.from({ length: 205 }, (_, index) => ({ actorLabel: "system", action: "bulk", entity: bulkEntity, entityId: String(index) })) });
    expect((await get({ entity: bulkEntity })).body.data).toHaveLength(200);
  });

  it("exports CSV: text/csv, one quoted line per changed field, formula-like cells neutralised", async () => {
    const { status, headers, text } = await get({ entity, user: admin.email, to: new Date(t0 + 5 * 60_000).toISOString(), format: "csv" });
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("content-disposition")).toContain("attachment");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe('"at","actor","action","entity","entityId","field","before","after"');
    expect(lines.slice(1)).toEqual([4, 2, 0].map((index) =>
      `"${new Date(t0 + index * 60_000).toISOString()}","${admin.email}","${entity}.update","${entity}","row-${index}","value","${index === 0 ? "'-1" : index - 1}","${index}"`));
  });

  it("shows changes made through the API with the acting admin", async () => {
    const email = `audited-${randomUUID().slice(0, 8)}@shopfloor.test`;
    const created = await createUserRoute(
      new NextRequest("http://localhost/api/v1/users", {
        method: "POST",
        headers: { host: "localhost", origin: "http://localhost", cookie: adminCookie, "content-type": "application/json" },
        body: JSON.stringify({ email, password: "an-audited-password", role: "viewer" }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(created.status).toBe(201);
    const { body } = await get({ entity: "user", user: admin.email });
    expect(body.data[0]).toMatchObject({ actor: admin.email, action: "user.create", entity: "user", before: null, after: { email, role: "VIEWER", disabled: false, name: null } });
    expect(JSON.stringify(body.data[0])).not.toContain("an-audited-password");
  });

  it("pages with nextCursor, newest first, without skipping or repeating rows that share a time", async () => {
    // Seven rows at three instants (ties on `at`), so the cursor must break ties by id.
    const pagedEntity = `${entity}-paged`;
    const instants = [0, 0, 0, 1, 1, 2, 2].map((minutes) => new Date(t0 + minutes * 60_000));
    await db.auditEntry.createMany({ data: instants.map((at, index) => ({ at, actorLabel: "system", action: "paged", entity: pagedEntity, entityId: `p-${index}` })) });
    const all = (await get({ entity: pagedEntity })).body;
    expect(all.nextCursor).toBeNull();
    expect(all.data.map((row: { entityId: string }) => row.entityId)).toEqual(["p-6", "p-5", "p-4", "p-3", "p-2", "p-1", "p-0"]);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const { status, body } = await get({ entity: pagedEntity, limit: "3", ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      seen.push(...body.data.map((row: { entityId: string }) => row.entityId));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(["p-6", "p-5", "p-4", "p-3", "p-2", "p-1", "p-0"]);
    expect(cursor).toBeNull();
    // A page that ends exactly at the last row has no next page.
    expect((await get({ entity: pagedEntity, limit: "7" })).body.nextCursor).toBeNull();
    expect((await get({ entity: pagedEntity, limit: "6" })).body.nextCursor).toMatch(/^\d+\.\d+$/);

    const bad = await get({ entity: pagedEntity, cursor: "yesterday" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/cursor must be a nextCursor from an earlier answer/);
  });

  it("is for admins only", async () => {
    const managerCookie = `shopfloor_session=${await createSession(other.id, "vitest")}`;
    expect((await get({ entity }, managerCookie)).status).toBe(403);
    expect((await get({ entity }, "")).status).toBe(401);
  });
});
