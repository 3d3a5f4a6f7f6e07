import type { Role } from "../generated/prisma/enums";
import { findApiTokenCaller } from "./api-tokens";
import { readSessionCookie } from "./cookies";
import { findSessionUser } from "./session";

/** Who is making a request: a signed-in user or an integration's API token. */
export type TCaller =
  | { kind: "user"; id: string; label: string; role: Role; email: string; name: string | null }
  | { kind: "token"; id: string; label: string; role: Role; createdById?: string };

export function bearerSecret(headers: Headers): string | null {
  const header = headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/** Resolves the caller from the bearer token or, failing that, the session cookie. */
export async function resolveCaller(headers: Headers): Promise<TCaller | null> {
  const bearer = bearerSecret(headers);
  if (bearer) {
    const token = await findApiTokenCaller(bearer);
    return token ? { kind: "token", id: token.id, label: `token:${token.name}`, role: token.role } : null;
  }
  const sessionToken = readSessionCookie(headers);
  if (!sessionToken) return null;
  const user = await findSessionUser(sessionToken);
  return user ? { kind: "user", id: user.id, label: user.email, role: user.role, email: user.email, name: user.name } : null;
}
