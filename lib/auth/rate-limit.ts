import { isIP } from "node:net";
import { getDb } from "../db";

/** Failed sign-ins allowed per e-mail and per client address in one fixed window. */
export const loginLimits = { windowSeconds: 15 * 60, perEmail: 10, perIp: 50 } as const;

export const loginAttemptKey = {
  email: (email: string) => `email:${email.toLowerCase()}`,
  ip: (ip: string) => `ip:${ip}`,
};

export type TLoginAttempt =
  | { allowed: true; windowStart: Date }
  | { allowed: false; retryAfterSeconds: number };

/**
 * The client's address: the first `x-forwarded-for` entry (set by the reverse proxy), else "local".
 * Without a proxy a client can choose this header, so the per-e-mail limit is the one that
 * always holds; anything that is not an IP address counts as "local" rather than as a fresh key.
 */
export function clientIp(headers: Headers): string {
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "";
  return isIP(first) ? first : "local";
}

/**
 * Counts one attempt against the e-mail and the address before the password is checked, so
 * parallel requests cannot all slip in under the limit; `settleLogin` gives it back on success.
 * Over either limit the attempt is refused without looking at the account, so a locked-out
 * existing account and an unknown e-mail get the same answer, even with the right password.
 */
export async function takeLoginAttempt(email: string, ip: string): Promise<TLoginAttempt> {
  const db = getDb();
  const window = loginLimits.windowSeconds;
  // One statement, keys always in the same order: no lost updates, no deadlocks between processes.
  const rows = await db.$queryRaw<{ key: string; window_start: Date; count: number; retry_after: number }[]>`
    INSERT INTO login_attempts (key, window_start, count)
    VALUES (${loginAttemptKey.email(email)}, now(), 1), (${loginAttemptKey.ip(ip)}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN login_attempts.window_start <= now() - make_interval(secs => ${window}) THEN now() ELSE login_attempts.window_start END,
      count = CASE WHEN login_attempts.window_start <= now() - make_interval(secs => ${window}) THEN 1 ELSE login_attempts.count + 1 END
    RETURNING key, window_start, count,
      -- Clamped: now() is when this statement began, which may be before a concurrent one set window_start.
      least(${window}, greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => ${window}) - now()))))::int AS retry_after`;
  // Expired windows go; rows another request holds are skipped, so this never waits or deadlocks.
  await db.$executeRaw`
    DELETE FROM login_attempts WHERE key IN (
      SELECT key FROM login_attempts WHERE window_start <= now() - make_interval(secs => ${window})
      LIMIT 1000 FOR UPDATE SKIP LOCKED)`;

  const over = rows.filter((row) => row.count > (row.key.startsWith("email:") ? loginLimits.perEmail : loginLimits.perIp));
  if (over.length) return { allowed: false, retryAfterSeconds: Math.max(...over.map((row) => row.retry_after)) };
  const ipRow = rows.find((row) => row.key.startsWith("ip:"));
  return { allowed: true, windowStart: ipRow?.window_start ?? new Date() };
}

/**
 * After a successful sign-in: the e-mail's failures are forgotten and the address gets its
 * attempt back. The address's earlier failures stay, so one valid account cannot reset them.
 */
export async function settleLogin(email: string, ip: string, attempt: { windowStart: Date }): Promise<void> {
  const db = getDb();
  await db.loginAttempt.deleteMany({ where: { key: loginAttemptKey.email(email) } });
  await db.loginAttempt.updateMany({
    where: { key: loginAttemptKey.ip(ip), windowStart: attempt.windowStart, count: { gt: 0 } },
    data: { count: { decrement: 1 } },
  });
}
