import { z } from "zod";
import type { TCaller } from "../auth/caller";
import { roleOrder } from "../auth/roles";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";

// Control characters would end up in CSV exports, logs and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;

export const ZEmail = z.email({ error: "email must be an e-mail address" }).max(320).transform((email) => email.toLowerCase());

export const ZPassword = z
  .string({ error: "password is required" })
  .min(12, { error: "password must be at least 12 characters" })
  .max(1024, { error: "password must be at most 1024 characters" });

/** viewer | supervisor | manager | admin, in any case; stored as the Role enum. */
export const ZRoleInput = z
  .string({ error: "role is required" })
  .transform((role) => role.toUpperCase())
  .pipe(z.enum(roleOrder, { error: "role must be viewer, supervisor, manager or admin" }))
  .meta({ description: "Case-insensitive.", enum: [...roleOrder.map((role) => role.toLowerCase()), ...roleOrder] });

export const ZUserName = z
  .string()
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(100, { error: "name must be at most 100 characters" })
  .refine((name) => !controlCharacters.test(name), { error: "name must not contain control characters" });

/** The sites a user is limited to (SITE asset ids); empty or left out: every site. */
export const ZSiteIds = z
  .array(z.uuid({ error: "siteIds must be asset ids" }), { error: "siteIds must be a list of site ids" })
  .max(100, { error: "at most 100 sites" })
  .transform((ids) => [...new Set(ids)]);

/**
 * Checks a user's site scope inside the change's transaction: every id a SITE, and admins plant-wide
 * (configuration is plant-wide, so an admin limited to sites would be a contradiction).
 */
export async function assertSiteScope(tx: Prisma.TransactionClient, role: string, siteIds: readonly string[]): Promise<void> {
  if (siteIds.length === 0) return;
  if (role === "ADMIN") throw new AppError("validation", "Admins are plant-wide: leave siteIds empty, or choose another role.", { issues: [{ path: "siteIds", message: "admins cannot be limited to sites" }] });
  const found = await tx.asset.count({ where: { id: { in: [...siteIds] }, level: "SITE" } });
  if (found !== siteIds.length) throw new AppError("validation", "siteIds must name existing sites.", { issues: [{ path: "siteIds", message: "must name existing sites" }] });
}

/** What the API shows of a user: never the password hash. */
export const publicUserSelect = {
  id: true, email: true, name: true, role: true, siteIds: true, disabledAt: true, createdAt: true,
} as const satisfies Prisma.UserSelect;
export type TPublicUser = Prisma.UserGetPayload<{ select: typeof publicUserSelect }>;

/** The audited state of a user (no secrets). */
export function auditedUser(user: TPublicUser) {
  return { email: user.email, name: user.name, role: user.role, siteIds: user.siteIds, disabled: user.disabledAt !== null };
}

/**
 * Accounts are managed by a signed-in admin, never by an API token: a leaked token must not be
 * able to mint a person who can sign in. Checked here too, not only by the route's role.
 */
export function assertSignedInAdmin(caller: TCaller): asserts caller is TCaller & { kind: "user" } {
  if (caller.kind !== "user") throw new AppError("forbidden", "Users are managed by a signed-in admin, not with an API token.");
  if (caller.role !== "ADMIN") throw new AppError("forbidden", "This needs the admin role.");
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
