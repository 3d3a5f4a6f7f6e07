import type { Prisma } from "../generated/prisma/client";

const dayMs = 86_400_000;

/**
 * A site's calendar changed for the local dates from `date` on: its machines' state_hours are rebuilt from
 * then with the new calendar's cuts at their next long-range report, through the same change log late
 * events use. Two days early, as a local date is up to 14 h from UTC and a night shift starts the day before.
 * Only speed depends on it: reports stay exact while pieces and calendar disagree (state-piece-cuts.ts).
 */
export async function queueSiteStateHoursRebuild(tx: Prisma.TransactionClient, sitePath: string, date: string): Promise<void> {
  const since = new Date(Date.parse(`${date}T00:00:00Z`) - 2 * dayMs);
  await tx.$executeRaw`
    INSERT INTO state_event_changes (asset_id, time)
    SELECT v.asset_id, ${since}::timestamptz FROM state_hour_coverage v JOIN assets a ON a.id = v.asset_id
    WHERE a.path = ${sitePath} OR starts_with(a.path, ${`${sitePath}/`})`;
}
