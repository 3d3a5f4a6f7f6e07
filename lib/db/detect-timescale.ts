import type { PrismaClient } from "../generated/prisma/client";

export type TTimescaleInfo = {
  version: string;
  /** "apache": hypertables only; "timescale": community features (compression, retention, caggs' policies) */
  license: "apache" | "timescale" | string;
} | null;

/** Which TimescaleDB (if any) this database runs, and under which license's features. */
export async function detectTimescale(db: Pick<PrismaClient, "$queryRaw">): Promise<TTimescaleInfo> {
  const rows = await db.$queryRaw<{ version: string; license: string | null }[]>`
    SELECT extversion AS version, current_setting('timescaledb.license', true) AS license
    FROM pg_extension WHERE extname = 'timescaledb'`;
  const row = rows[0];
  if (!row) return null;
  return { version: row.version, license: row.license ?? "timescale" };
}
