import { siteScopeOf } from "../auth/site-scope";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { AppError } from "../errors";
import { findOeeScope } from "./find-oee-scope";
import { ZIsoDateTime } from "./range-query";
import { findStopRow, toStop, type TStop } from "./find-stops";
import { loadReasonCodeRows, siteReasons } from "./reason-codes";
import { classifyState } from "./state-classification";

export const ZClassifyStop = z.object({
  asset: z.string({ error: "is required: the machine's asset path" }).min(1).max(512),
  start: z.string({ error: "is required: the stop's start (ISO 8601)" }).pipe(ZIsoDateTime),
  reasonCode: z.int({ error: "reasonCode must be an integer" }).min(1).max(999_999),
  comment: z.string().trim().max(500, { error: "comment must be at most 500 characters" }).nullish(),
});
export type TClassifyStop = z.infer<typeof ZClassifyStop>;

/**
 * A supervisor names the reason of a stop after the fact. The stop is the interval that starts with
 * the machine's state event at `start`; OEE reads the new code from then on. Audited in the same transaction.
 */
export async function classifyStop(input: TClassifyStop, caller: TCaller, now = Date.now()): Promise<TStop> {
  // A supervisor limited to some sites classifies only their stops; another site's machine is "not found".
  const scope = await findOeeScope(input.asset, siteScopeOf(caller));
  const start = new Date(input.start);
  const noStop = () => new AppError("not_found", `${input.asset} has no stop starting at ${start.toISOString()}.`);
  // A machine is an asset with states of its own; any other asset has no stops to classify.
  const machine = scope.machines.find((candidate) => candidate.id === scope.asset.id);
  if (!machine) throw noStop();
  const comment = input.comment ? input.comment : null;

  return getDb().$transaction(async (tx) => {
    const reasons = siteReasons(await loadReasonCodeRows([machine.siteId], tx), machine.siteId);
    const event = await tx.stateEvent.findUnique({ where: { assetId_time: { assetId: machine.id, time: start } } });
    if (!event || classifyState(event.state, reasons.classification).category === "running") {
      throw noStop();
    }
    if (!reasons.isKnown(input.reasonCode)) {
      throw new AppError("validation", `Unknown reason code ${input.reasonCode}: use a code of domain.md §3 or add it first (POST /api/v1/reason-codes).`);
    }
    const key = { assetId_startTime: { assetId: machine.id, startTime: start } };
    const before = await tx.stopClassification.findUnique({ where: key });
    const data = { reasonCode: input.reasonCode, comment, classifiedBy: caller.label, classifiedAt: new Date(now) };
    await tx.stopClassification.upsert({ where: key, create: { assetId: machine.id, startTime: start, ...data }, update: data });
    const describe = (classification: { reasonCode: number; comment: string | null; classifiedBy: string } | null) => ({
      stateCode: event.state,
      reasonCode: classification?.reasonCode ?? event.state,
      reasonName: reasons.nameOf(classification?.reasonCode ?? event.state),
      comment: classification?.comment ?? null,
      classifiedBy: classification?.classifiedBy ?? null,
    });
    await recordAudit(tx, caller, {
      action: "stop.classify",
      entity: "stop",
      entityId: `${machine.id}@${start.toISOString()}`,
      before: describe(before),
      after: { ...describe(data), asset: machine.path, start: start.toISOString() },
    });
    const row = await findStopRow(tx, machine.id, start);
    if (!row) throw noStop();
    return toStop(row, machine, reasons, { start: Number.NEGATIVE_INFINITY, end: now });
  });
}
