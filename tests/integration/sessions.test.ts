import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createApiToken, findApiTokenCaller } from "@/lib/auth/api-tokens";
import { hashPassword } from "@/lib/auth/password";
import { findSessionUser } from "@/lib/auth/session";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

const db = getDb();
const email = `sessions-${randomUUID()}@shopfloor.test`;
const password = "a-long-enough-password";

async function makeUser(role: "VIEWER" | "ADMIN" = "VIEWER") {
  return db.user.create({ data: { email: `${role.toLowerCase()}-${randomUUID()}@shopfloor.test`, passwordHash: await hashPassword(password), role } });
}

afterAll(async () => {
  await db.$disconnect();
});

describe("sessions", () => {
  it("signs in case-insensitively and resolves the session to its user", async () => {
    await db.user.create({ data: { email, passwordHash: await hashPassword(password), role: "SUPERVISOR" } });
    const { token, user } = await signIn({ email, password }, "vitest");
    expect(user).toMatchObject({ email, role: "SUPERVISOR" });
    expect(await findSessionUser(token)).toMatchObject({ email, role: "SUPERVISOR" });
    // Only the hash of the token is stored.
    expect(await db.session.count({ where: { tokenHash: token } })).toBe(0);
  });

  it("gives the same error for an unknown user, a wrong password and a disabled account", async () => {
    const disabled = await makeUser();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const attempts = [
      signIn({ email: `nobody-${randomUUID()}@shopfloor.test`, password }, null),
      signIn({ email, password: "wrong-password" }, null),
      signIn({ email: disabled.email, password }, null),
    ];
    const messages = await Promise.all(attempts.map((attempt) => attempt.then(() => "signed in", (error: unknown) => {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).message;
    })));
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).not.toBe("signed in");
  });

  it("ends a session after the idle timeout", async () => {
    const user = await makeUser();
    const { token } = await signIn({ email: user.email, password }, null);
    await db.session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - 9 * 3_600_000) } });
    expect(await findSessionUser(token)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("ends a session at its absolute timeout even when active", async () => {
    const user = await makeUser();
    const { token } = await signIn({ email: user.email, password }, null);
    await db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() } });
    expect(await findSessionUser(token)).toBeNull();
  });

  it("ends the sessions of a user who is disabled", async () => {
    const user = await makeUser();
    const { token } = await signIn({ email: user.email, password }, null);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await findSessionUser(token)).toBeNull();
  });
});

describe("API tokens", () => {
  it("stores only a hash, audits the creation, and stops working when revoked or expired", async () => {
    const admin = await makeUser("ADMIN");
    const creator = { kind: "user" as const, id: admin.id, label: admin.email, role: admin.role, email: admin.email, name: null, sitePaths: null };
    const created = await createApiToken({ name: "line-bridge", role: "SUPERVISOR" }, creator);
    expect(await db.apiToken.count({ where: { tokenHash: created.secret } })).toBe(0);
    expect(await findApiTokenCaller(created.secret)).toMatchObject({ name: "line-bridge", role: "SUPERVISOR" });
    const audit = await db.auditEntry.findFirst({ where: { entity: "api_token", entityId: created.id } });
    expect(audit).toMatchObject({ action: "api_token.create", actorId: admin.id, actorLabel: admin.email });
    expect(JSON.stringify(audit?.after)).not.toContain(created.secret);

    await db.apiToken.update({ where: { id: created.id }, data: { revokedAt: new Date() } });
    expect(await findApiTokenCaller(created.secret)).toBeNull();

    const expiring = await createApiToken({ name: "short-lived", role: "VIEWER", expiresAt: new Date(Date.now() - 1000).toISOString() }, creator);
    expect(await findApiTokenCaller(expiring.secret)).toBeNull();
    expect(await findApiTokenCaller("not-a-token")).toBeNull();
  });
});
