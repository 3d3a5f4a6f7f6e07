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

/** What the API shows of a user: never the password hash. */
export const publicUserSelect = {
  id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true,
} as const satisfies Prisma.UserSelect;
export type TPublicUser = Prisma.UserGetPayload<{ select: typeof publicUserSelect }>;

/** The audited state of a user (no secrets). */
export function auditedUser(user: TPublicUser) {
  return { email: user.email, name: user.name, role: user.role, disabled: user.disabledAt !== null };
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
