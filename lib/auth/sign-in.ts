import { z } from "zod";
import { getDb } from "../db";
import { AppError } from "../errors";
import { dummyPasswordHash, verifyPassword } from "./password";
import { settleLogin, takeLoginAttempt } from "./rate-limit";
import { createSession } from "./session";

export const ZSignIn = z.object({
  email: z.email().max(320).transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(1024),
});
export type TSignIn = z.infer<typeof ZSignIn>;

const invalidCredentials = "E-mail or password is incorrect.";
// One text whatever the account, so a lockout does not reveal that the e-mail exists.
const tooManyAttempts = "Too many sign-in attempts. Wait a few minutes and try again.";

/**
 * Checks the credentials and opens a fresh session (a new token at every sign-in, so a
 * session id planted before sign-in is never promoted). Unknown e-mail, wrong password and
 * disabled account all get the same answer after the same work. Attempts are limited per
 * e-mail and per client address (lib/auth/rate-limit.ts); over a limit the answer is
 * `rate_limited` with `details.retryAfterSeconds`, before the password is even looked at.
 */
export async function signIn(input: TSignIn, userAgent: string | null, clientIp = "local") {
  const attempt = await takeLoginAttempt(input.email, clientIp);
  if (!attempt.allowed) throw new AppError("rate_limited", tooManyAttempts, { retryAfterSeconds: attempt.retryAfterSeconds });
  const user = await getDb().user.findUnique({ where: { email: input.email } });
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !passwordOk || user.disabledAt) throw new AppError("unauthorized", invalidCredentials);
  await settleLogin(input.email, clientIp, attempt);
  const token = await createSession(user.id, userAgent);
  return { token, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
