/**
 * What the parsers (UNS JSON, Sparkplug B) turn a message into, before anything is written.
 * Every time is Unix epoch milliseconds; `path` is the asset path (slugs joined by "/").
 * A parser either returns records for the whole message or rejects the whole message:
 * a message is never half-stored.
 */
export type TSampleValue = number | boolean | string;

/** `historical`: back-filled (Sparkplug is_historical); stored at its own time, never a "current value". */
export type TSampleRecord = { kind: "sample"; path: string; metric: string; time: number; value: TSampleValue; historical?: true };
export type TCountRecord = { kind: "count"; path: string; time: number; count: number; scrap: number };
export type TStateRecord = { kind: "state"; path: string; time: number; state: number };
export type TShiftAddRecord = { kind: "shift-add"; path: string; startTime: number; endTime: number };
export type TShiftDeleteRecord = { kind: "shift-delete"; path: string; startTime: number };
export type TProductTypeRecord = { kind: "product-type"; path: string; externalProductTypeId: string; cycleTimeMs: number };
export type TWorkOrderCreateRecord = {
  kind: "work-order-create"; path: string; externalWorkOrderId: string; externalProductTypeId: string; quantity: number;
};
export type TWorkOrderStartRecord = { kind: "work-order-start"; path: string; externalWorkOrderId: string; startTime: number };
export type TWorkOrderStopRecord = { kind: "work-order-stop"; path: string; externalWorkOrderId: string; endTime: number };

export type TIngestRecord =
  | TSampleRecord | TCountRecord | TStateRecord | TShiftAddRecord | TShiftDeleteRecord
  | TProductTypeRecord | TWorkOrderCreateRecord | TWorkOrderStartRecord | TWorkOrderStopRecord;

export type TParseResult =
  | { ok: true; records: TIngestRecord[]; originId?: string }
  | { ok: false; reason: string };

/** Limits shared by every parser (security.md bad-input table rows 3, 5, 10, 12). */
export const ingestLimits = {
  maxPayloadBytes: 256 * 1024,
  maxMetricsPerMessage: 1_000,
  maxTopicLength: 512,
  maxMetricNameLength: 200,
  maxStringValueLength: 4_096,
  /** 2000-01-01T00:00:00Z: earlier timestamps are refused (epoch 0, seconds sent as ms). */
  minTimestampMs: 946_684_800_000,
  /** How far ahead of the receiving clock a measurement's timestamp may be. */
  maxFutureSkewMs: 5 * 60_000,
  /** Finite but beyond this magnitude, sums in roll-ups and SPC maths overflow float8. */
  maxAbsSampleValue: 1e100,
  /** count, scrap, quantity and state land in INTEGER columns. */
  maxInt32: 2_147_483_647,
  /** Planning times (shifts, work orders) are announced ahead: up to this far. */
  maxPlanningAheadMs: 90 * 24 * 3_600_000,
} as const;
