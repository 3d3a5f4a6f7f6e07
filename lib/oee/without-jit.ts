import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";

/**
 * Runs one report query with settings for it: JIT off, because plans over ~10⁵ rows cross
 * jit_above_cost and compiling then takes longer (hundreds of ms) than the query itself; and room
 * to hash in memory, because row estimates for unnest()ed parameters are guesses. SET LOCAL needs a transaction.
 */
export async function withoutJit<TResult>(query: Prisma.PrismaPromise<TResult>): Promise<TResult> {
  const db = getDb();
  const [, result] = await db.$transaction([db.$executeRaw`SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`, query]);
  return result;
}
