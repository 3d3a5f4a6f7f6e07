import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { getDb } from "../db";
import type { Role } from "../generated/prisma/enums";
import type { TCaller } from "./caller";
import { ZRole } from "./roles";
import { newSecret, sha256 } from "./tokens";

export const apiTokenPrefix = "sf_";

export const ZCreateApiToken = z.object({
  name: z.string().trim().min(1).max(100),
  role: ZRole,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type TCreateApiToken = z.infer<typeof ZCreateApiToken>;

export type TTokenCaller = { id: string; name: string; role: Role };

/** Creates a token and returns the secret; it is shown once and never stored in clear. */
export async function createApiToken(input: TCreateApiToken, creator: TCaller & { kind: "user" }) {
  const secret = newSecret(apiTokenPrefix);
  const token = await getDb().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: input.name,
        role: input.role,
        tokenHash: sha256(secret),
        prefix: secret.slice(0, 10),
        createdById: creator.id,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      },
      select: { id: true, name: true, role: true, prefix: true, createdAt: true, expiresAt: true },
    });
    await recordAudit(tx, creator, {
      action: "create", entity: "api_token", entityId: created.id,
      after: { name: created.name, role: created.role, prefix: created.prefix, expiresAt: created.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { ...token, secret };
}

export async function findApiTokenCaller(secret: string): Promise<TTokenCaller | null> {
  if (!secret.startsWith(apiTokenPrefix)) return null;
  const db = getDb();
  const token = await db.apiToken.findUnique({
    where: { tokenHash: sha256(secret) },
    select: { id: true, name: true, role: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
  });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) return null;
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  }
  return { id: token.id, name: token.name, role: token.role };
}

export function listApiTokens() {
  return getDb().apiToken.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true, name: true, role: true, prefix: true, createdAt: true, expiresAt: true,
      lastUsedAt: true, revokedAt: true, createdBy: { select: { email: true } },
    },
  });
}
