import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/auth/login/route";
import { hashPassword } from "@/lib/auth/password";
import { loginAttemptKey, loginLimits } from "@/lib/auth/rate-limit";
import { getDb } from "@/lib/db";

/**
 * Security row 22 through POST /api/v1/auth/login: brute force is rate-limited per e-mail and
 * per client address (counted in PostgreSQL), and the limit never tells an existing account
 * from an unknown one. Every request carries an x-forwarded-for address of this file's own.
 */
const db = getDb();
const password = "the-right-password";
const run = randomUUID().slice(0, 8);
let ipCounter = 0;
/** A fresh client address, so each test controls which address limits apply. */
const freshIp = () => {
  ipCounter += 1;
  return `10.${77 + (ipCounter >> 16)}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

type TAnswer = { status: number; body: unknown; retryAfter: string | null; setCookie: string | null };

async function login(email: string, attempt: string, ip: string): Promise<TAnswer> {
  const request = new NextRequest("http://localhost/api/v1/auth/login", {
    method: "POST",
    headers: { host: "localhost", origin: "http://localhost", "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ email, password: attempt }),
  });
  const response = await POST(request, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after"), setCookie: response.headers.get("set-cookie") };
}

/** Runs `count` attempts, `parallel` at a time, and returns the answers in order. */
async function attempts(count: number, parallel: number, attempt: (index: number) => Promise<TAnswer>): Promise<TAnswer[]> {
  const answers: TAnswer[] = [];
  for (let start = 0; start < count; start += parallel) {
    answers.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - start) }, (_, offset) => attempt(start + offset)))));
  }
  return answers;
}

const statusCounts = (answers: TAnswer[]) => answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {});

async function makeUser(prefix: string) {
  const email = `${prefix}-${run}@shopfloor.test`;
  await db.user.create({ data: { email, passwordHash: await hashPassword(password), role: "VIEWER" } });
  return email;
}

const rateLimitedBody = { error: { code: "rate_limited", message: expect.stringMatching(/too many sign-in attempts/i) } };
let existing = "";
const unknown = `nobody-${run}@shopfloor.test`;

beforeAll(async () => {
  existing = await makeUser("brute");
});

afterAll(async () => {
  await db.$disconnect();
});

describe("row 22: 1,000 wrong passwords for one e-mail", () => {
  let existingAnswers: TAnswer[] = [];
  let unknownAnswers: TAnswer[] = [];

  // Guards: the per-e-mail limit in lib/auth/rate-limit.ts. Each attempt comes from a new address,
  // like a botnet, so the per-address limit never applies and only the e-mail's count can stop it.
  it("lets only the first 10 be checked and answers 429 with Retry-After to the other 990", async () => {
    existingAnswers = await attempts(1000, 25, () => login(existing, "wrong-password", freshIp()));
    unknownAnswers = await attempts(1000, 25, () => login(unknown, "wrong-password", freshIp()));
    for (const answers of [existingAnswers, unknownAnswers]) {
      expect(statusCounts(answers)).toEqual({ 401: loginLimits.perEmail, 429: 1000 - loginLimits.perEmail });
      for (const answer of answers.filter((candidate) => candidate.status === 429)) {
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(answer.retryAfter)).toBeLessThanOrEqual(loginLimits.windowSeconds);
        expect(answer.setCookie).toBeNull();
      }
    }
    const stored = await db.loginAttempt.findUniqueOrThrow({ where: { key: loginAttemptKey.email(existing) } });
    expect(stored.count).toBe(1000);
  }, 180_000);

  // Guards: no user enumeration. The lockout is decided before the account is looked at.
  it("answers an existing and an unknown e-mail identically, in status and body", () => {
    // Sorted: which of a parallel batch win the ten checks is up to the scheduler.
    const shapes = (answers: TAnswer[]) => answers.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`).sort();
    expect(shapes(existingAnswers)).toEqual(shapes(unknownAnswers));
    expect(new Set(shapes(existingAnswers)).size).toBe(2);
    expect(existingAnswers.at(-1)?.body).toEqual(rateLimitedBody);
  });

  // Guards: no oracle. During the lockout the right password gets the same 429 and no session.
  it("refuses the right password during the lockout, with the same answer", async () => {
    const right = await login(existing, password, freshIp());
    expect(right.status).toBe(429);
    expect(right.body).toEqual(unknownAnswers.at(-1)?.body);
    expect(right.setCookie).toBeNull();
  });

  // Guards: the fixed window (the lockout ends) and the reset of the e-mail's count on success.
  it("lets the account in once the window has passed, and a success forgets the e-mail's failures", async () => {
    await db.$executeRaw`UPDATE login_attempts SET window_start = window_start - make_interval(secs => ${loginLimits.windowSeconds + 60}) WHERE key = ${loginAttemptKey.email(existing)}`;
    const right = await login(existing, password, freshIp());
    expect(right.status).toBe(200);
    expect(right.setCookie).toMatch(/shopfloor_session=/);
    expect(await db.loginAttempt.count({ where: { key: loginAttemptKey.email(existing) } })).toBe(0);

    const again = await attempts(loginLimits.perEmail + 1, 1, () => login(existing, "wrong-password", freshIp()));
    expect(again.map((answer) => answer.status)).toEqual([...Array(loginLimits.perEmail).fill(401), 429]);
  }, 60_000);
});

describe("the limits hold under concurrency and per address", () => {
  // Guards: the attempt is counted before the password check in one atomic statement, so
  // parallel requests cannot all slip in under the limit (a check-then-count would let them).
  it("checks at most 10 passwords out of 40 sent at once for one e-mail", async () => {
    const email = await makeUser("burst");
    const answers = await Promise.all(Array.from({ length: 40 }, () => login(email, "wrong-password", freshIp())));
    expect(statusCounts(answers)).toEqual({ 401: loginLimits.perEmail, 429: 40 - loginLimits.perEmail });
  }, 60_000);

  // Guards: the per-address limit, keyed on the first x-forwarded-for entry.
  it("refuses an address after 50 failures across many e-mails, even with a right password; other addresses are unaffected", async () => {
    const email = await makeUser("per-ip");
    const ip = freshIp();
    const sprayed = await attempts(loginLimits.perIp, 10, (index) => login(`spray-${index}-${run}@shopfloor.test`, "wrong-password", `${ip}, 10.0.0.1`));
    expect(statusCounts(sprayed)).toEqual({ 401: loginLimits.perIp });
    const next = await login(`spray-next-${run}@shopfloor.test`, "wrong-password", ip);
    expect(next.status).toBe(429);
    expect(next.body).toEqual(rateLimitedBody);
    expect((await login(email, password, ip)).status).toBe(429);
    expect((await login(email, password, freshIp())).status).toBe(200);
  }, 60_000);
});
