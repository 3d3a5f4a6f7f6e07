import { getDb } from "../db";
import { getEnv } from "../env";
import type { Role } from "../generated/prisma/enums";
import { newSecret, sha256 } from "./tokens";

export type TSessionUser = { id: string; email: string; name: string | null; role: Role; siteIds: string[] };

// lastSeenAt is refreshed at most this often, so reads don't each cost a write.
const touchEveryMs = 60_000;

export async function createSession(userId: string, userAgent: string | null): Promise<string> {
  const token = newSecret();
  const { SESSION_MAX_HOURS } = getEnv();
  await getDb().session.create({
    data: {
      tokenHash: sha256(token),
      userId,
      userAgent: userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + SESSION_MAX_HOURS * 3_600_000),
    },
  });
  return token;
}

/** The user behind a session token, or null when it is unknown, expired, idle too long or disabled. */
export async function findSessionUser(token: string): Promise<TSessionUser | null> {
  const db = getDb();
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { select: { id: true, email: true, name: true, role: true, siteIds: true, disabledAt: true } } },
  });
  if (!session) return null;
  const now = Date.now();
  const idleLimitMs = getEnv().SESSION_IDLE_MINUTES * 60_000;
  if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > idleLimitMs || session.user.disabledAt) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() > touchEveryMs) {
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { disabledAt: _disabled, ...user } = session.user;
  return user;
}

export async function deleteSession(token: string): Promise<void> {
  await getDb().session.deleteMany({ where: { tokenHash: sha256(token) } });
}
