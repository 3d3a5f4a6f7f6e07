"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { ScopeBar } from "@/components/analytics/scope-bar";
import { useAnalyticsScope, useStops } from "@/components/analytics/use-analytics-scope";
import { Button, buttonClasses } from "@/components/ui/button";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TStop } from "@/lib/oee/find-stops";
import type { TEffectiveReasonCode } from "@/lib/oee/find-reason-codes";
import { formatDuration } from "@/lib/oee/oee-view";
import { stateCodes } from "@/lib/oee/state-classification";
import { useLiveInvalidation } from "@/lib/live/use-live-invalidation";
import { queryKeys } from "@/lib/query-keys";
import { LiveIndicator } from "../live-status";
import { DataTable } from "@/components/ui/data-table";

const categoryLabels = { running: "Running", plannedStop: "Planned stop", unplannedStop: "Unplanned stop" } as const;
const categoryClasses = {
  running: "bg-state-running/15 text-fg",
  plannedStop: "bg-state-planned/20 text-fg",
  unplannedStop: "bg-state-unplanned/15 text-fg",
} as const;
/** Codes that mean "nobody said why yet" (domain.md §3): listed first, picked out in the table. */
const unspecifiedCodes: ReadonlySet<number> = new Set([stateCodes.unknown, stateCodes.unspecifiedStop]);

export function DowntimeList({ canClassify }: { canClassify: boolean }) {
  const scope = useAnalyticsScope();
  const { connected } = useLiveInvalidation();
  const asset = scope.selected?.path ?? "";
  const [classifying, setClassifying] = useState<TStop | null>(null);
  const [onlyUnspecified, setOnlyUnspecified] = useState(false);
  const stops = useStops(scope);
  const timeZone = scope.selected?.timeZone ?? "UTC";
  const time = useMemo(() => new Intl.DateTimeFormat(undefined, { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }), [timeZone]);
  const rows = (stops.data ?? []).filter((stop) => !onlyUnspecified || unspecifiedCodes.has(stop.reasonCode));
  const unspecified = (stops.data ?? []).filter((stop) => unspecifiedCodes.has(stop.reasonCode)).length;
  const { from, to } = scope.resolveRange();
  const csvUrl = `/api/v1/stops?${new URLSearchParams({ asset, from, to, format: "csv" })}`;

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <header className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Downtime</h1>
          <p className="mt-1 text-sm text-fg-muted">Every stop in the range with its reason. {canClassify ? "Give unspecified stops a reason; OEE recomputes at once." : "Supervisors can classify stops."} Times in {timeZone}.</p>
        </div>
        <LiveIndicator connected={connected} />
      </header>
      <ScopeBar options={scope.options} selected={scope.selected} range={scope.range} onChange={scope.setScope} />
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex min-h-11 items-center gap-2 text-sm">
          <input type="checkbox" className="size-5" checked={onlyUnspecified} onChange={(event) => setOnlyUnspecified(event.target.checked)} />
          Only unspecified ({unspecified})
        </label>
        {asset ? <a className={buttonClasses("secondary")} href={csvUrl} download>Export CSV</a> : null}
      </div>
      {stops.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-3 text-sm text-danger-text">Could not load stops: {stops.error.message}</p> : null}
      {stops.data && rows.length === 0 ? (
        <p className="rounded-lg border border-line bg-surface px-5 py-8 text-center text-sm text-fg-muted">
          {onlyUnspecified ? "Every stop in this range has a reason." : "No stops in this range: the machines ran or had no shift."}
        </p>
      ) : null}
      {rows.length ? (
        <DataTable testId="stops-table" headings={["Start", "Machine", "Duration", "Reason", "Comment", "Classified by", ""]}>
          {rows.map((stop) => (
            <tr key={`${stop.assetPath}@${stop.start}`} className="border-t border-line" data-reason={stop.reasonCode}>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">{time.format(new Date(stop.start))}{stop.end ? "" : " (ongoing)"}</td>
              <td className="px-3 py-2">{stop.assetName}</td>
              <td className="px-3 py-2 tabular-nums">{formatDuration(stop.durationMs)}</td>
              <td className="px-3 py-2">
                <span className={`inline-block rounded px-1.5 py-0.5 ${categoryClasses[stop.category]}`}>{stop.reasonCode} {stop.reasonName}</span>
                <span className="ml-2 text-xs text-fg-muted">{categoryLabels[stop.category]}</span>
              </td>
              <td className="px-3 py-2">{stop.comment}</td>
              <td className="px-3 py-2 text-xs text-fg-muted">{stop.classifiedBy ?? "–"}</td>
              <td className="px-3 py-2 text-right">
                {canClassify ? <Button variant="secondary" onClick={() => setClassifying(stop)} aria-label={`Classify the stop of ${stop.assetName} at ${time.format(new Date(stop.start))}`}>Classify</Button> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {classifying ? <ClassifyDialog stop={classifying} site={siteOf(classifying.assetPath)} onClose={() => setClassifying(null)} /> : null}
    </div>
  );
}

function siteOf(path: string): string {
  return path.split("/").slice(0, 2).join("/");
}

/** A tablet-friendly reason picker: large buttons grouped by category, unplanned first. */
function ClassifyDialog({ stop, site, onClose }: { stop: TStop; site: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const commentId = useId();
  const queryClient = useQueryClient();
  const [reasonCode, setReasonCode] = useState<number>(stop.reasonCode);
  const [comment, setComment] = useState(stop.comment ?? "");
  const reasons = useQuery({
    queryKey: queryKeys.reasonCodes(site),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TEffectiveReasonCode[] }>(`/api/v1/reason-codes?${new URLSearchParams({ site })}`, { signal })).data,
  });
  const save = useMutation({
    mutationFn: () => fetchJson<{ data: TStop }>("/api/v1/stops", { method: "PATCH", body: { asset: stop.assetPath, start: stop.start, reasonCode, comment: comment.trim() || null } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.analytics.all() });
      onClose();
    },
  });
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const groups = (["unplannedStop", "plannedStop", "running"] as const).map((category) => ({
    category,
    reasons: (reasons.data ?? []).filter((reason) => reason.category === category && !unspecifiedCodes.has(reason.code)),
  }));

  return (
    <dialog ref={dialog} aria-labelledby={titleId} onClose={onClose} className="m-auto w-[min(48rem,calc(100vw-2rem))] rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40">
      <form method="dialog" className="flex max-h-[85dvh] flex-col" onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}>
        <div className="border-b border-line px-5 py-4">
          <h2 id={titleId} className="text-lg font-semibold">Why did {stop.assetName} stop?</h2>
          <p className="text-sm text-fg-muted">{formatDuration(stop.durationMs)} from {new Date(stop.start).toLocaleString()} · reported code {stop.stateCode}</p>
        </div>
        <div className="space-y-4 overflow-y-auto px-5 py-4">
          {reasons.isPending ? <p className="text-sm text-fg-muted">Loading reasons…</p> : null}
          {reasons.isError ? <p role="alert" className="text-sm text-danger-text">Could not load reasons: {reasons.error.message}</p> : null}
          {groups.map((group) => group.reasons.length ? (
            <fieldset key={group.category}>
              <legend className="mb-2 text-xs font-medium tracking-wide text-fg-muted uppercase">{categoryLabels[group.category]}</legend>
              <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
                {group.reasons.map((reason) => (
                  <label key={reason.code} className={`flex min-h-12 cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ${reasonCode === reason.code ? "border-accent bg-accent-soft" : "border-line-strong"}`}>
                    <input type="radio" name="reason" value={reason.code} checked={reasonCode === reason.code} onChange={() => setReasonCode(reason.code)} className="size-4" />
                    <span><span className="tabular-nums text-fg-muted">{reason.code}</span> {reason.name}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null)}
          <div>
            <label htmlFor={commentId} className="mb-1 block text-sm font-medium">Comment (optional)</label>
            <textarea id={commentId} maxLength={500} rows={2} value={comment} onChange={(event) => setComment(event.target.value)} className="w-full rounded-md border border-line-strong bg-surface px-3 py-2 text-sm" />
          </div>
          {save.isError ? <p role="alert" className="text-sm text-danger-text">{save.error.message}</p> : null}
        </div>
        <div className="flex justify-end gap-2 border-t border-line px-5 py-3">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>Cancel</Button>
          <Button type="submit" disabled={save.isPending || reasonCode === stop.reasonCode && comment === (stop.comment ?? "")}>{save.isPending ? "Saving…" : "Save reason"}</Button>
        </div>
      </form>
    </dialog>
  );
}
