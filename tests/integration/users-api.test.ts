import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH } from "@/app/api/v1/users/[id]/route";
import { GET, POST } from "@/app/api/v1/users/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { TCaller } from "@/lib/auth/caller";
import { hashPassword } from "@/lib/auth/password";
import { createSession, findSessionUser } from "@/lib/auth/session";
import { signIn } from "@/lib/auth/sign-in";
import { createPrismaClient, getDb } from "@/lib/db";
import { applyMigrations } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createScratchDatabase, type TScratchDatabase } from "@/lib/runtime/scratch-database";
import { updateUser } from "@/lib/users/update-user";
import { callRoute } from "../support/call-route";

const db = getDb();
// Sign-ins from this file count against an address of its own, not the shared "local" one.
const testIp = "198.51.100.21";
let adminCookie = "";
let admin: { id: string; email: string };

const call = callRoute;

const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@shopfloor.test`;
const createThroughApi = (body: Record<string, unknown>, cookie = adminCookie) => call(POST, "POST", "/api/v1/users", { cookie, body });
const patchThroughApi = (id: string, body: unknown, cookie = adminCookie) => call(PATCH, "PATCH", `/api/v1/users/${id}`, { cookie, body, params: { id } });

beforeAll(async () => {
  const user = await db.user.create({ data: { email: uniqueEmail("users-admin"), passwordHash: await hashPassword("users-admin-password"), role: "ADMIN" } });
  admin = user;
  adminCookie = `shopfloor_session=${await createSession(user.id, "vitest")}`;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("POST /api/v1/users", () => {
  it("creates a user (role in either case) and answers without the hash; audits user.create without secrets", async () => {
    const email = uniqueEmail("Create");
    const created = await createThroughApi({ email, password: "a-fine-password", role: "supervisor", name: "Ann Operator" });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.any(String), email: email.toLowerCase(), name: "Ann Operator", role: "SUPERVISOR", siteIds: [], disabledAt: null, createdAt: expect.any(String),
    });
    expect(JSON.stringify(created.body)).not.toMatch(/argon2|password/i);

    const upper = await createThroughApi({ email: uniqueEmail("upper"), password: "a-fine-password", role: "MANAGER" });
    expect(upper.status).toBe(201);
    expect(upper.body.data).toMatchObject({ role: "MANAGER", name: null });

    const stored = await db.user.findUniqueOrThrow({ where: { id: created.body.data.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "user", entityId: stored.id } });
    expect(audit).toMatchObject({ action: "user.create", actorId: admin.id, actorLabel: admin.email, before: null });
    expect(audit.after).toEqual({ email: email.toLowerCase(), name: "Ann Operator", role: "SUPERVISOR", siteIds: [], disabled: false });
    expect(JSON.stringify(audit.after)).not.toMatch(/argon2|a-fine-password/);
    // The new account signs in with its password.
    expect((await signIn({ email: email.toLowerCase(), password: "a-fine-password" }, null, testIp)).user.role).toBe("SUPERVISOR");
  });

  it("refuses a duplicate e-mail, in any case, with 409 and a clear message", async () => {
    const email = uniqueEmail("dup");
    expect((await createThroughApi({ email, password: "a-fine-password", role: "viewer" })).status).toBe(201);
    const again = await createThroughApi({ email: email.toUpperCase(), password: "another-password", role: "admin" });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: "conflict", message: `A user with the e-mail ${email} already exists.` });
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("answers 400 naming the field for a short password, an unknown role, a bad e-mail or an unknown field", async () => {
    const base = { email: uniqueEmail("bad"), password: "a-fine-password", role: "viewer" };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base, password: "short-11ch" }, /password must be at least 12 characters/],
      [{ ...base, password: "x".repeat(1025) }, /password must be at most 1024 characters/],
      [{ ...base, role: "owner" }, /role must be viewer, supervisor, manager or admin/],
      [{ ...base, email: "not-an-email" }, /email/],
      [{ ...base, passwordHash: "$argon2id$v=19$forged" }, /passwordHash/],
      [{ email: base.email, password: base.password }, /role/],
    ];
    for (const [body, message] of cases) {
      const answer = await createThroughApi(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    expect(await db.user.count({ where: { email: base.email } })).toBe(0);
  });

  it("is refused to an admin API token: accounts are managed by a signed-in admin", async () => {
    const creator = { kind: "user" as const, id: admin.id, label: admin.email, role: "ADMIN" as const, email: admin.email, name: null, sitePaths: null };
    const { secret } = await createApiToken({ name: `users-${randomUUID().slice(0, 6)}`, role: "ADMIN" }, creator);
    const email = uniqueEmail("by-token");
    const answer = await call(POST, "POST", "/api/v1/users", { headers: { authorization: `Bearer ${secret}` }, body: { email, password: "a-fine-password", role: "admin" } });
    expect(answer.status).toBe(403);
    expect(await db.user.count({ where: { email } })).toBe(0);
    // Reading the list is fine for an admin token.
    expect((await call(GET, "GET", "/api/v1/users", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
  });
});

describe("GET /api/v1/users", () => {
  it("lists users by e-mail, without password hashes", async () => {
    const email = uniqueEmail("listed");
    await createThroughApi({ email, password: "a-fine-password", role: "viewer", name: "Listed" });
    const answer = await call(GET, "GET", "/api/v1/users", { cookie: adminCookie });
    expect(answer.status).toBe(200);
    const users = answer.body.data as { email: string }[];
    expect(users.find((user) => user.email === email)).toEqual({ id: expect.any(String), email, name: "Listed", role: "VIEWER", siteIds: [], disabledAt: null, createdAt: expect.any(String) });
    expect(users.map((user) => user.email)).toEqual([...users.map((user) => user.email)].sort());
    expect(JSON.stringify(answer.body)).not.toMatch(/argon2|passwordHash/);
  });
});

describe("PATCH /api/v1/users/[id]", () => {
  async function makeUser(role: "VIEWER" | "ADMIN" = "VIEWER") {
    const email = uniqueEmail("patch");
    const created = await createThroughApi({ email, password: "first-password", role, name: "Before" });
    const id = created.body.data.id as string;
    const token = await createSession(id, "vitest");
    return { id, email, token };
  }

  it("changes role and name, audited with before and after", async () => {
    const user = await makeUser();
    const answer = await patchThroughApi(user.id, { role: "manager", name: "After" });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ id: user.id, role: "MANAGER", name: "After", disabledAt: null });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "user", entityId: user.id, action: "user.update" } });
    expect(audit.before).toEqual({ email: user.email, name: "Before", role: "VIEWER", siteIds: [], disabled: false });
    expect(audit.after).toEqual({ email: user.email, name: "After", role: "MANAGER", siteIds: [], disabled: false });
    // Role and name alone leave the sessions alone.
    expect(await findSessionUser(user.token)).toMatchObject({ role: "MANAGER" });
    expect((await patchThroughApi(user.id, { name: null })).body.data.name).toBeNull();
  });

  it("disabling ends the user's sessions and refuses sign-in; enabling lets the user back in", async () => {
    const user = await makeUser();
    const disabled = await patchThroughApi(user.id, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.data.disabledAt).toEqual(expect.any(String));
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await findSessionUser(user.token)).toBeNull();
    await expect(signIn({ email: user.email, password: "first-password" }, null, testIp)).rejects.toMatchObject({ code: "unauthorized" });

    expect((await patchThroughApi(user.id, { disabled: false })).body.data.disabledAt).toBeNull();
    expect((await signIn({ email: user.email, password: "first-password" }, null, testIp)).user.id).toBe(user.id);
    const audits = await db.auditEntry.findMany({ where: { entity: "user", entityId: user.id, action: "user.update" }, orderBy: { id: "asc" } });
    expect(audits.map((entry) => [(entry.before as { disabled: boolean }).disabled, (entry.after as { disabled: boolean }).disabled])).toEqual([[false, true], [true, false]]);
  });

  it("a password reset ends the sessions; the new password works, the old does not; no secret in the audit", async () => {
    const user = await makeUser();
    const answer = await patchThroughApi(user.id, { password: "second-password" });
    expect(answer.status).toBe(200);
    expect(await findSessionUser(user.token)).toBeNull();
    await expect(signIn({ email: user.email, password: "first-password" }, null, testIp)).rejects.toBeInstanceOf(AppError);
    expect((await signIn({ email: user.email, password: "second-password" }, null, testIp)).user.id).toBe(user.id);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "user", entityId: user.id, action: "user.update" } });
    expect(audit.after).toMatchObject({ passwordReset: true });
    expect(JSON.stringify([audit.before, audit.after])).not.toMatch(/argon2|second-password|first-password/);
    expect((await patchThroughApi(user.id, { password: "too-short" })).status).toBe(400);
  });

  it("answers 404 for an unknown or malformed id and 400 for an empty or unknown change", async () => {
    expect((await patchThroughApi(randomUUID(), { name: "x" })).status).toBe(404);
    expect((await patchThroughApi("not-a-uuid", { name: "x" })).status).toBe(404);
    const user = await makeUser();
    expect((await patchThroughApi(user.id, {})).body.error.message).toMatch(/at least one of role, name, disabled, password/);
    expect((await patchThroughApi(user.id, { email: "new@shopfloor.test" })).status).toBe(400);
    expect((await patchThroughApi(user.id, { disabled: "true" })).status).toBe(400);
  });

  it("lets an admin demote themself while other active admins remain", async () => {
    const self = await makeUser("ADMIN");
    const cookie = `shopfloor_session=${self.token}`;
    const answer = await patchThroughApi(self.id, { role: "viewer" }, cookie);
    expect(answer.status).toBe(200);
    expect(answer.body.data.role).toBe("VIEWER");
  });
});

// The shared test database always has other admins, so "the last admin" gets a database of its own.
describe("the last active admin", () => {
  let scratch: TScratchDatabase;
  let scratchDb: PrismaClient;

  beforeAll(async () => {
    scratch = await createScratchDatabase("shopfloor_users", process.env.DATABASE_URL, path.join(process.cwd(), ".test-data"));
    await applyMigrations({ connectionString: scratch.url, log: () => undefined });
    scratchDb = createPrismaClient(scratch.url, 4);
  }, 120_000);

  afterAll(async () => {
    await scratchDb?.$disconnect();
    await scratch?.drop();
  });

  async function scratchAdmin(email: string): Promise<TCaller & { kind: "user" }> {
    const user = await scratchDb.user.create({ data: { email, passwordHash: "unused", role: "ADMIN" } });
    return { kind: "user", id: user.id, label: email, role: "ADMIN", email, name: null, sitePaths: null };
  }
  const outcome = (promise: Promise<unknown>) => promise.then(() => "ok", (error: unknown) => (error instanceof AppError ? error.code : String(error)));

  it("cannot demote or disable themself (409) until another admin exists; concurrent demotions leave one admin", async () => {
    const only = await scratchAdmin("only@shopfloor.test");
    await expect(updateUser(only.id, { role: "VIEWER" }, only, scratchDb)).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/last active admin/) });
    await expect(updateUser(only.id, { disabled: true }, only, scratchDb)).rejects.toMatchObject({ code: "conflict" });
    // Other changes to the last admin are fine.
    expect((await updateUser(only.id, { name: "Still admin", role: "ADMIN", disabled: false }, only, scratchDb)).name).toBe("Still admin");
    // A disabled admin does not count as an active one.
    const dormant = await scratchAdmin("dormant@shopfloor.test");
    await updateUser(dormant.id, { disabled: true }, only, scratchDb);
    await expect(updateUser(only.id, { role: "MANAGER" }, only, scratchDb)).rejects.toMatchObject({ code: "conflict" });

    const second = await scratchAdmin("second@shopfloor.test");
    const results = await Promise.all([
      outcome(updateUser(only.id, { role: "VIEWER" }, only, scratchDb)),
      outcome(updateUser(second.id, { role: "VIEWER" }, second, scratchDb)),
    ]);
    expect(results.sort()).toEqual(["conflict", "ok"]);
    expect(await scratchDb.user.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);
    // The refused change left nothing behind, not even an audit row.
    expect(await scratchDb.auditEntry.count({ where: { action: "user.update" } })).toBe(3);
  });
});
