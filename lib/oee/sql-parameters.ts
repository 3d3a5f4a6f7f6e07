/** Instants go to PostgreSQL as ISO strings cast to timestamptz: exact to the millisecond in any session zone. */
export const iso = (instant: number) => new Date(instant).toISOString();

export type TBoundaryArrays = { machineNumbers: number[]; epochMs: number[] };

/**
 * Every machine's segment boundaries as two flat arrays (a machine is its 1-based position in
 * machineIds); a query rebuilds one sorted array per machine for width_bucket. Epoch milliseconds, not
 * timestamps: a month by the hour is ~10⁴ boundaries, and formatting each as a date costs more than the query.
 */
export function boundaryParameters(machineIds: readonly string[], boundaries: ReadonlyMap<string, readonly number[]>): TBoundaryArrays {
  const machineNumbers: number[] = [];
  const epochMs: number[] = [];
  machineIds.forEach((id, index) => {
    for (const instant of boundaries.get(id) ?? []) {
      machineNumbers.push(index + 1);
      epochMs.push(instant);
    }
  });
  return { machineNumbers, epochMs };
}
