"use client";

import { useSyncExternalStore } from "react";
import { cx } from "@/components/ui/cx";
import type { TLatestAsset, TLatestValue } from "@/lib/assets/find-latest-values";
import { describeState, type TStateColorToken } from "@/lib/assets/state-category";
import { formatDuration, formatValue, metricLabel, valuesPerRow } from "./live-format";

// Whole class names, so Tailwind finds them in the source.
const pillTones: Record<TStateColorToken, { pill: string; dot: string }> = {
  "state-running": { pill: "border-state-running/40 bg-state-running/10", dot: "bg-state-running" },
  "state-planned": { pill: "border-state-planned/50 bg-state-planned/12", dot: "bg-state-planned" },
  "state-unplanned": { pill: "border-state-unplanned/40 bg-state-unplanned/10", dot: "bg-state-unplanned" },
  "state-unknown": { pill: "border-state-unknown/50 bg-state-unknown/12", dot: "bg-state-unknown" },
};

/** A machine's or line's current state: colour, name and time in it. Colour is never the only cue. */
export function StatePill({ state, id, className }: { state: NonNullable<TLatestAsset["state"]>; id?: string; className?: string }) {
  const now = useMinuteClock();
  const info = describeState(state.code);
  const since = new Date(state.since);
  const tone = pillTones[info.color];
  return (
    <span
      id={id}
      title={`State ${state.code} since ${since.toLocaleString()}`}
      className={cx("inline-flex max-w-full items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs leading-4 font-medium whitespace-nowrap", tone.pill, className)}
    >
      <span aria-hidden="true" className={cx("size-2 shrink-0 rounded-full", tone.dot)} />
      <span className="truncate">{info.label}</span>
      {now === null ? null : (
        <span className="font-normal text-fg-muted tabular-nums">
          <span className="sr-only">for </span>
          {formatDuration(now - since.getTime())}
        </span>
      )}
    </span>
  );
}

/** The first few process values of a machine; names and values are text, never HTML. */
export function LatestValues({ values, id, className }: { values: TLatestValue[]; id?: string; className?: string }) {
  const shown = values.slice(0, valuesPerRow);
  const more = values.length - shown.length;
  return (
    <dl id={id} className={cx("flex flex-wrap items-baseline gap-x-4 gap-y-0.5 text-xs", className)}>
      {shown.map((value) => (
        <div key={value.metric} title={`${value.metric} at ${new Date(value.time).toLocaleString()}`} className="flex min-w-0 items-baseline gap-1.5">
          <dt className="truncate text-fg-muted">{metricLabel(value.metric)}</dt>
          <dd className={cx("whitespace-nowrap tabular-nums", value.stale ? "text-fg-muted" : "font-medium text-fg")}>
            {formatValue(value)}
            {value.stale ? (
              <span className="ml-1.5 rounded border border-line-strong px-1 text-[0.625rem] font-medium tracking-wide text-fg-muted uppercase">stale</span>
            ) : null}
          </dd>
        </div>
      ))}
      {more > 0 ? (
        <div className="text-fg-muted" title={values.slice(valuesPerRow).map((value) => metricLabel(value.metric)).join(", ")}>
          <dt className="sr-only">More values</dt>
          <dd>+{more} more</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Shows whether the page is receiving the server's live updates. */
export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <p
      title={connected ? "Values update as the machines report them." : "Waiting for the live connection to the server."}
      className="inline-flex shrink-0 items-center gap-2 rounded-full border border-line bg-surface px-2.5 py-1 text-xs font-medium shadow-xs"
    >
      <span aria-hidden="true" className={cx("size-2 rounded-full", connected ? "bg-state-running" : "bg-state-unknown")} />
      <span className={connected ? "text-fg" : "text-fg-muted"}>{connected ? "Live" : "Connecting…"}</span>
    </p>
  );
}

// One timer for every "time in state" on the page; the server render shows no duration (null),
// so the first client render matches it.
let clockNow = 0;
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | null = null;

function subscribeClock(listener: () => void) {
  clockListeners.add(listener);
  if (!clockTimer) {
    clockNow = Date.now();
    clockTimer = setInterval(() => {
      clockNow = Date.now();
      for (const notify of clockListeners) notify();
    }, 15_000);
  }
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clockTimer) {
      clearInterval(clockTimer);
      clockTimer = null;
    }
  };
}

function readClock() {
  clockNow ||= Date.now();
  return clockNow;
}

function useMinuteClock(): number | null {
  return useSyncExternalStore(subscribeClock, readClock, () => null);
}
