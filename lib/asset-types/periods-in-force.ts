/**
 * Which type version applied to an asset when, from its assignment rows. Pure.
 *
 * Decision: data recorded before an asset's first assignment (an asset typed after it started
 * sending, or created before this history existed) reads with that first version, the best
 * declaration anyone gave for the machine. A gap after a version was removed (asset made
 * untyped) reads with no version.
 */

export type TAssignment = { typeVersionId: string; validFrom: Date; validTo: Date | null };
export type TPeriod = { typeVersionId: string; from: Date | null; to: Date | null };

/** The periods, oldest first; `from` null on the first (open towards the past), `to` null on the current one. */
export function periodsOf(assignments: readonly TAssignment[]): TPeriod[] {
  const sorted = assignments
    // Several changes in one transaction leave zero-length rows: they never applied to any instant.
    .filter((row) => row.validTo === null || row.validTo.getTime() > row.validFrom.getTime())
    .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  return sorted.map((row, index) => ({ typeVersionId: row.typeVersionId, from: index === 0 ? null : row.validFrom, to: row.validTo }));
}

const startsBefore = (period: TPeriod, time: number) => period.from === null || period.from.getTime() <= time;
const endsAfter = (period: TPeriod, time: number) => period.to === null || period.to.getTime() > time;

export function periodAt(assignments: readonly TAssignment[], time: Date): TPeriod | null {
  const at = time.getTime();
  return periodsOf(assignments).find((period) => startsBefore(period, at) && endsAfter(period, at)) ?? null;
}

/** The periods overlapping [from, to), clipped to it. */
export function periodsBetween(assignments: readonly TAssignment[], from: Date, to: Date): (TPeriod & { from: Date; to: Date })[] {
  const start = from.getTime();
  const end = to.getTime();
  return periodsOf(assignments)
    .filter((period) => startsBefore(period, end - 1) && endsAfter(period, start))
    .map((period) => ({
      typeVersionId: period.typeVersionId,
      from: new Date(Math.max(start, period.from?.getTime() ?? start)),
      to: new Date(Math.min(end, period.to?.getTime() ?? end)),
    }));
}
