import type { PrismaClient } from "../generated/prisma/client";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "./password";

/**
 * On first start (no users at all) creates the admin from SHOPFLOOR_ADMIN_EMAIL /
 * SHOPFLOOR_ADMIN_PASSWORD. Returns true when it created one. Never touches an existing user.
 */
export async function ensureFirstAdmin(db: PrismaClient, email: string | undefined, password: string | undefined): Promise<boolean> {
  if (!email || !password) return false;
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    // Serialise concurrent first starts (web and worker may both try).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopfloor:first-admin'))`;
    if ((await tx.user.count()) > 0) return false;
    const user = await tx.user.create({
      data: { email: email.toLowerCase(), name: "Administrator", passwordHash, role: "ADMIN" },
      select: { id: true, email: true, role: true },
    });
    await recordAudit(tx, null, { action: "create", entity: "user", entityId: user.id, after: user });
    return true;
  });
}
