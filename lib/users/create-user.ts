import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { hashPassword } from "../auth/password";
import { getDb } from "../db";
import { AppError } from "../errors";
import { assertSignedInAdmin, assertSiteScope, ZSiteIds, auditedUser, isUniqueViolation, publicUserSelect, type TPublicUser, ZEmail, ZPassword, ZRoleInput, ZUserName } from "./user-fields";

export const ZCreateUser = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  role: ZRoleInput,
  name: ZUserName.nullish(),
  siteIds: ZSiteIds.optional(),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

/** Creates a user with an argon2id hash; audited (without the password) in the same transaction. */
export async function createUser(input: TCreateUser, caller: TCaller): Promise<TPublicUser> {
  assertSignedInAdmin(caller);
  // Hashed before the transaction: argon2 takes a while and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().$transaction(async (tx) => {
      const siteIds = input.siteIds ?? [];
      await assertSiteScope(tx, input.role, siteIds);
      const user = await tx.user.create({
        data: { email: input.email, name: input.name ?? null, role: input.role, siteIds, passwordHash },
        select: publicUserSelect,
      });
      await recordAudit(tx, caller, { action: "user.create", entity: "user", entityId: user.id, after: auditedUser(user) });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `A user with the e-mail ${input.email} already exists.`);
    throw error;
  }
}
