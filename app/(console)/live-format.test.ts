import { describe, expect, it } from "vitest";
import { formatDuration, formatValue, metricLabel } from "./live-format";

const minute = 60_000;

describe("formatValue", () => {
  it("uses the declared precision and unit", () => {
    expect(formatValue({ value: 71.25, unit: "°C", precision: 1 }, "en-US")).toBe("71.3 °C");
    expect(formatValue({ value: 71, unit: "°C", precision: 1 }, "en-US")).toBe("71.0 °C");
    expect(formatValue({ value: 12_000, unit: "rpm", precision: 0 }, "en-US")).toBe("12,000 rpm");
  });

  it("formats in the reader's locale", () => {
    expect(formatValue({ value: 1234.5, unit: "kW", precision: 1 }, "de-DE")).toBe("1.234,5 kW");
  });

  it("keeps small values readable when no precision is declared", () => {
    expect(formatValue({ value: 0.001234, unit: null, precision: null }, "en-US")).toBe("0.00123");
    expect(formatValue({ value: 12_345.678, unit: null, precision: null }, "en-US")).toBe("12,345.68");
  });

  it("shows booleans and text as they are", () => {
    expect(formatValue({ value: true, unit: null, precision: null })).toBe("yes");
    expect(formatValue({ value: false, unit: null, precision: null })).toBe("no");
    expect(formatValue({ value: "<b>A-12</b>", unit: null, precision: null })).toBe("<b>A-12</b>");
  });
});

describe("formatDuration", () => {
  it("counts minutes, then hours and minutes, then days and hours", () => {
    expect(formatDuration(30_000, "en-US")).toBe("< 1 min");
    expect(formatDuration(12 * minute + 59_000, "en-US")).toBe("12 min");
    expect(formatDuration(60 * minute, "en-US")).toBe("1 hr");
    expect(formatDuration(185 * minute, "en-US")).toBe("3 hr 5 min");
    expect(formatDuration(52 * 60 * minute, "en-US")).toBe("2 days 4 hr");
  });

  it("treats a start in the future (clock skew) as just now", () => {
    expect(formatDuration(-5 * minute, "en-US")).toBe("< 1 min");
  });
});

describe("metricLabel", () => {
  it("turns snake and kebab case into words", () => {
    expect(metricLabel("stroke_rate")).toBe("stroke rate");
    expect(metricLabel("spindle-speed")).toBe("spindle speed");
    expect(metricLabel("_")).toBe("_");
  });
});
