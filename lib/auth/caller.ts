import type { Role } from "../generated/prisma/enums";
import { findApiTokenCaller } from "./api-tokens";
import { readSessionCookie } from "./cookies";
import { findSessionUser } from "./session";
import { sitePathsOf } from "./site-scope";

/** Who is making a request: a signed-in user or an integration's API token. */
export type TCaller =
  | {
      kind: "user"; id: string; label: string; role: Role; email: string; name: string | null;
      /** The SITE paths the user is limited to; null: every site (lib/auth/site-scope.ts). */
      sitePaths: string[] | null;
    }
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
  if (!user) return null;
  const sitePaths = user.siteIds.length === 0 ? null : await sitePathsOf(user.siteIds);
  return { kind: "user", id: user.id, label: user.email, role: user.role, email: user.email, name: user.name, sitePaths };
}
