import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import { ZRoleInput } from "../users/user-fields";
import type { TCaller } from "./caller";
import { newSecret, sha256 } from "./tokens";

export const apiTokenPrefix = "sf_";

// Control characters would end up in logs, the audit CSV and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;

export const ZCreateApiToken = z.strictObject({
  name: z
    .string({ error: "name is required" })
    .trim()
    .min(1, { error: "name must not be empty" })
    .max(100, { error: "name must be at most 100 characters" })
    .refine((name) => !controlCharacters.test(name), { error: "name must not contain control characters" }),
  role: ZRoleInput,
  expiresAt: z.iso
    .datetime({ offset: true, error: "expiresAt must be an ISO 8601 date-time with a zone, e.g. 2027-06-30T23:59:59+02:00" })
    .refine((value) => Date.parse(value) > Date.now(), { error: "expiresAt must be in the future" })
    .optional(),
});
export type TCreateApiToken = z.infer<typeof ZCreateApiToken>;

export type TTokenCaller = { id: string; name: string; role: Role };

export type TApiTokenStatus = "active" | "expired" | "revoked";

const publicTokenSelect = {
  id: true, name: true, role: true, prefix: true, createdAt: true, expiresAt: true,
  lastUsedAt: true, revokedAt: true, createdBy: { select: { email: true } },
} as const satisfies Prisma.ApiTokenSelect;
type TTokenRow = Prisma.ApiTokenGetPayload<{ select: typeof publicTokenSelect }>;

/** What the API shows of a token: never its hash, with its status spelled out. */
export type TPublicApiToken = TTokenRow & { status: TApiTokenStatus };

function withStatus(token: TTokenRow, now = Date.now()): TPublicApiToken {
  const status: TApiTokenStatus = token.revokedAt ? "revoked" : token.expiresAt && token.expiresAt.getTime() <= now ? "expired" : "active";
  return { ...token, status };
}

function auditedToken(token: { name: string; role: Role; prefix: string; expiresAt: Date | null; revokedAt?: Date | null }) {
  return {
    name: token.name, role: token.role, prefix: token.prefix, expiresAt: token.expiresAt?.toISOString() ?? null,
    ...(token.revokedAt === undefined ? {} : { revokedAt: token.revokedAt?.toISOString() ?? null }),
  };
}

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
    await recordAudit(tx, creator, { action: "api_token.create", entity: "api_token", entityId: created.id, after: auditedToken(created) });
    return created;
  });
  return { ...token, secret };
}

const ZTokenId = z.uuid();

/** The token id of a route's `[id]` segment; anything that is not a token id is simply not found. */
export function parseApiTokenId(value: unknown): string {
  const parsed = ZTokenId.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", "No such API token.");
  return parsed.data;
}

/**
 * Revokes a token: from the next request on, its bearer calls answer 401. Audited in the same
 * transaction. Revoking it again is a 409 (nothing changes and no second audit row is written),
 * so a client can tell "revoked now" from "was already revoked". Done by people only, like creation:
 * a leaked admin token must not be able to switch off every other integration.
 */
export async function revokeApiToken(id: string, caller: TCaller, now = new Date()): Promise<TPublicApiToken> {
  if (caller.kind !== "user") throw new AppError("forbidden", "API tokens are revoked by a signed-in admin.");
  return getDb().$transaction(async (tx) => {
    // Locks the row so that two admins revoking at once write one audit row, not two.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM api_tokens WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw new AppError("not_found", "No such API token.");
    const before = await tx.apiToken.findUniqueOrThrow({ where: { id }, select: publicTokenSelect });
    if (before.revokedAt) throw new AppError("conflict", `The token "${before.name}" was already revoked at ${before.revokedAt.toISOString()}.`);
    const after = await tx.apiToken.update({ where: { id }, data: { revokedAt: now }, select: publicTokenSelect });
    await recordAudit(tx, caller, { action: "api_token.revoke", entity: "api_token", entityId: id, before: auditedToken(before), after: auditedToken(after) });
    return withStatus(after, now.getTime());
  });
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

/** Every token, newest first, with who created it and whether it still works. */
export async function listApiTokens(): Promise<TPublicApiToken[]> {
  const tokens = await getDb().apiToken.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }], select: publicTokenSelect });
  const now = Date.now();
  return tokens.map((token) => withStatus(token, now));
}
