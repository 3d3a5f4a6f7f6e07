import type { TLatestValue } from "@/lib/assets/find-latest-values";

/** How many process values a machine row shows; the rest are counted. */
export const valuesPerRow = 3;

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, precision: number | null): Intl.NumberFormat {
  const key = `${locale ?? ""}|${precision ?? ""}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      locale,
      precision === null
        ? // Undeclared precision: two decimals, or three significant digits for tiny values (0.00123).
          { maximumFractionDigits: 2, maximumSignificantDigits: 3, roundingPriority: "morePrecision" }
        : { minimumFractionDigits: precision, maximumFractionDigits: precision },
    );
    numberFormats.set(key, format);
  }
  return format;
}

/** A value as text in the reader's locale (`locale` undefined = the browser's), with its unit. */
export function formatValue(value: Pick<TLatestValue, "value" | "unit" | "precision">, locale?: string): string {
  const text =
    typeof value.value === "number"
      ? numberFormat(locale, value.precision === null ? null : Math.min(Math.max(value.precision, 0), 10)).format(value.value)
      : typeof value.value === "boolean"
        ? value.value ? "yes" : "no"
        : value.value;
  return value.unit ? `${text} ${value.unit}` : text;
}

/** `stroke_rate` → `stroke rate`. */
export function metricLabel(metric: string): string {
  return metric.replace(/[_-]+/g, " ").trim() || metric;
}

const unitFormats = new Map<string, Intl.NumberFormat>();

function formatUnit(amount: number, unit: "minute" | "hour" | "day", locale: string | undefined): string {
  const key = `${locale ?? ""}|${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 0 });
    unitFormats.set(key, format);
  }
  return format.format(amount);
}

/** Time in a state, to the minute: "< 1 min", "12 min", "3 hr 5 min", "2 days 4 hr" (in the locale's words). */
export function formatDuration(ms: number, locale?: string): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000);
  if (minutes < 1) return `< ${formatUnit(1, "minute", locale)}`;
  if (minutes < 60) return formatUnit(minutes, "minute", locale);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${formatUnit(hours, "hour", locale)} ${formatUnit(minutes % 60, "minute", locale)}` : formatUnit(hours, "hour", locale);
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${formatUnit(days, "day", locale)} ${formatUnit(hours % 24, "hour", locale)}` : formatUnit(days, "day", locale);
}
