import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { hashPassword } from "../auth/password";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { PrismaClient } from "../generated/prisma/client";
import { assertSignedInAdmin, assertSiteScope, ZSiteIds, auditedUser, publicUserSelect, type TPublicUser, ZPassword, ZRoleInput, ZUserName } from "./user-fields";

export const ZUpdateUser = z
  .strictObject({
    role: ZRoleInput.optional(),
    name: ZUserName.nullable().optional(),
    disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
    /** A password reset by an admin. */
    password: ZPassword.optional(),
    siteIds: ZSiteIds.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), { error: "send at least one of role, name, disabled, password, siteIds" });
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

const ZUserId = z.uuid();

/** The user id of a route's `[id]` segment; anything that is not a user id is simply not found. */
export function parseUserId(value: unknown): string {
  const parsed = ZUserId.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", "No such user.");
  return parsed.data;
}

/**
 * Changes a user's role, name, disabled state or password, audited with before and after.
 * Disabling or a password reset ends all of the user's sessions. The last active admin can be
 * neither demoted nor disabled, so the plant is never left without someone to manage it.
 */
export async function updateUser(id: string, input: TUpdateUser, caller: TCaller, db: PrismaClient = getDb()): Promise<TPublicUser> {
  assertSignedInAdmin(caller);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // Two admins demoting each other at once must not both succeed and leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopfloor:active-admins'))`;
    const before = await tx.user.findUnique({ where: { id }, select: publicUserSelect });
    if (!before) throw new AppError("not_found", "No such user.");

    const staysActiveAdmin = (input.role ?? before.role) === "ADMIN" && !(input.disabled ?? before.disabledAt !== null);
    if (before.role === "ADMIN" && before.disabledAt === null && !staysActiveAdmin) {
      const otherAdmins = await tx.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: id } } });
      if (otherAdmins === 0) throw new AppError("conflict", `${before.email} is the last active admin: make another user admin first.`);
    }

    const siteIds = input.siteIds ?? before.siteIds;
    await assertSiteScope(tx, input.role ?? before.role, siteIds);
    const after = await tx.user.update({
      where: { id },
      data: {
        role: input.role,
        name: input.name,
        // Keep the original time when an already disabled user is disabled again.
        disabledAt: input.disabled === undefined ? undefined : input.disabled ? (before.disabledAt ?? new Date()) : null,
        passwordHash,
        siteIds: input.siteIds,
      },
      select: publicUserSelect,
    });
    const endsSessions = input.disabled === true || passwordHash !== undefined;
    if (endsSessions) await tx.session.deleteMany({ where: { userId: id } });
    await recordAudit(tx, caller, {
      action: "user.update", entity: "user", entityId: id,
      before: auditedUser(before),
      after: { ...auditedUser(after), ...(passwordHash ? { passwordReset: true } : {}) },
    });
    return after;
  });
}
