import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { DELETE as revokeRoute } from "@/app/api/v1/tokens/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/tokens/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { sha256 } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db";
import { callRoute } from "../support/call-route";

// API tokens through their routes: created with the secret shown once, listed without secrets,
// revoked with DELETE (audited, 409 the second time) and refused at once afterwards.
const db = getDb();
let admin: { id: string; email: string };
let adminCookie = "";
let managerCookie = "";

const call = callRoute;

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const create = (body: unknown, cookie = adminCookie) => call(createRoute, "POST", "/api/v1/tokens", { cookie, body });
const revoke = (id: string, options: { cookie?: string; bearer?: string; headers?: Record<string, string> } = { cookie: adminCookie }) =>
  call(revokeRoute, "DELETE", `/api/v1/tokens/${id}`, { ...options, params: { id } });
const me = (bearer: string) => call(getMe, "GET", "/api/v1/me", { bearer });

beforeAll(async () => {
  const passwordHash = await hashPassword("tokens-test-password");
  admin = await db.user.create({ data: { email: `tokens-admin-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash, role: "ADMIN" } });
  const manager = await db.user.create({ data: { email: `tokens-manager-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash, role: "MANAGER" } });
  adminCookie = `shopfloor_session=${await createSession(admin.id, "vitest")}`;
  managerCookie = `shopfloor_session=${await createSession(manager.id, "vitest")}`;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("POST /api/v1/tokens and GET /api/v1/tokens", () => {
  it("creates a token whose secret is answered once, works as a bearer, and is listed without secret or hash", async () => {
    const name = uniqueName("line-bridge");
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created = await create({ name, role: "supervisor", expiresAt });
    expect(created.status).toBe(201);
    const secret = created.body.data.secret as string;
    expect(secret).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
    expect(created.body.data).toMatchObject({ name, role: "SUPERVISOR", prefix: secret.slice(0, 10), expiresAt });

    expect(await me(secret)).toMatchObject({ status: 200, body: { data: { kind: "token", label: `token:${name}`, role: "SUPERVISOR" } } });

    const list = await call(listRoute, "GET", "/api/v1/tokens", { cookie: adminCookie });
    expect(list.status).toBe(200);
    const listed = (list.body.data as { id: string }[]).find((token) => token.id === created.body.data.id);
    expect(listed).toEqual({
      id: created.body.data.id, name, role: "SUPERVISOR", prefix: secret.slice(0, 10), createdAt: expect.any(String), expiresAt,
      lastUsedAt: expect.any(String), revokedAt: null, createdBy: { email: admin.email }, status: "active",
    });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain(sha256(secret));
  });

  it("answers 400 naming the field for an empty or control-character name, an unknown role, a past or zone-less expiry, an unknown field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: "  ", role: "viewer" }, /name must not be empty/],
      [{ name: "x".repeat(101), role: "viewer" }, /name must be at most 100 characters/],
      [{ name: "bell\u0007", role: "viewer" }, /name must not contain control characters/],
      [{ name: "ok", role: "owner" }, /role must be viewer, supervisor, manager or admin/],
      [{ name: "ok", role: "viewer", expiresAt: new Date(Date.now() - 60_000).toISOString() }, /expiresAt must be in the future/],
      [{ name: "ok", role: "viewer", expiresAt: "2030-01-01T00:00:00" }, /expiresAt must be an ISO 8601 date-time with a zone/],
      [{ name: "ok", role: "viewer", tokenHash: "forged" }, /tokenHash/],
    ];
    const before = await db.apiToken.count();
    for (const [body, message] of cases) {
      const answer = await create(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    expect(await db.apiToken.count()).toBe(before);
  });

  it("is for admins only, and never for an API token", async () => {
    expect((await create({ name: uniqueName("by-manager"), role: "viewer" }, managerCookie)).status).toBe(403);
    expect((await call(listRoute, "GET", "/api/v1/tokens", { cookie: managerCookie })).status).toBe(403);
    const { secret } = await createApiToken({ name: uniqueName("admin-token"), role: "ADMIN" }, { kind: "user", id: admin.id, label: admin.email, role: "ADMIN", email: admin.email, name: null, sitePaths: null });
    expect((await call(createRoute, "POST", "/api/v1/tokens", { bearer: secret, body: { name: uniqueName("minted"), role: "admin" } })).status).toBe(403);
  });
});

describe("DELETE /api/v1/tokens/[id]", () => {
  it("revokes: the bearer answers 401 on its very next call, the row stays, and the audit has before and after", async () => {
    const name = uniqueName("revoked");
    const created = await create({ name, role: "viewer" });
    const { id, secret } = created.body.data as { id: string; secret: string };
    expect((await me(secret)).status).toBe(200);

    const revoked = await revoke(id);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ id, name, role: "VIEWER", status: "revoked", revokedAt: expect.any(String), createdBy: { email: admin.email } });

    const refused = await me(secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unauthorized");
    expect(await db.apiToken.findUnique({ where: { id }, select: { revokedAt: true } })).toEqual({ revokedAt: new Date(revoked.body.data.revokedAt) });

    const audits = await db.auditEntry.findMany({ where: { entity: "api_token", entityId: id }, orderBy: { id: "asc" } });
    expect(audits.map((audit) => audit.action)).toEqual(["api_token.create", "api_token.revoke"]);
    expect(audits[1]).toMatchObject({ actorId: admin.id, actorLabel: admin.email });
    expect(audits[1]?.before).toEqual({ name, role: "VIEWER", prefix: secret.slice(0, 10), expiresAt: null, revokedAt: null });
    expect(audits[1]?.after).toEqual({ name, role: "VIEWER", prefix: secret.slice(0, 10), expiresAt: null, revokedAt: revoked.body.data.revokedAt });
    expect(JSON.stringify(audits.map((audit) => [audit.before, audit.after]))).not.toContain(secret);
  });

  it("answers 409 to a second revoke, changing nothing and writing no second audit row", async () => {
    const { id } = (await create({ name: uniqueName("twice"), role: "viewer" })).body.data as { id: string };
    const first = await revoke(id);
    const second = await revoke(id);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/was already revoked at/);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt?.toISOString()).toBe(first.body.data.revokedAt);
    expect(await db.auditEntry.count({ where: { entity: "api_token", entityId: id, action: "api_token.revoke" } })).toBe(1);
  });

  it("answers 404 for an unknown id or something that is not an id", async () => {
    const unknown = await revoke(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: "not_found", message: "No such API token." });
    expect((await revoke("not-a-uuid")).status).toBe(404);
  });

  it("refuses non-admins (403), API tokens (403), callers without a session (401) and cross-site browsers (403)", async () => {
    const { id } = (await create({ name: uniqueName("kept"), role: "viewer" })).body.data as { id: string };
    expect((await revoke(id, { cookie: managerCookie })).status).toBe(403);
    const adminToken = await createApiToken({ name: uniqueName("admin-token"), role: "ADMIN" }, { kind: "user", id: admin.id, label: admin.email, role: "ADMIN", email: admin.email, name: null, sitePaths: null });
    const byToken = await revoke(id, { bearer: adminToken.secret });
    expect(byToken.status).toBe(403);
    expect(byToken.body.error.message).toMatch(/signed-in admin/);
    expect((await revoke(id, {})).status).toBe(401);
    expect((await revoke(id, { cookie: adminCookie, headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });
});

describe("expired tokens", () => {
  it("answer 401 and are listed as expired", async () => {
    const name = uniqueName("expired");
    const created = await create({ name, role: "viewer", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const { id, secret } = created.body.data as { id: string; secret: string };
    expect((await me(secret)).status).toBe(200);
    // Time passes: the expiry is now behind us.
    await db.apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await me(secret)).status).toBe(401);
    const list = await call(listRoute, "GET", "/api/v1/tokens", { cookie: adminCookie });
    expect((list.body.data as { id: string; status: string }[]).find((token) => token.id === id)?.status).toBe("expired");
  });
});
