import { describe, expect, it } from "vitest";
import { groupingFor, resolvePreset } from "./range-presets";

describe("resolvePreset", () => {
  // 2026-03-30 10:00 in Berlin (CEST, UTC+2), the day after the spring-forward change.
  const now = Date.UTC(2026, 2, 30, 8, 0, 0);

  it("starts days at the site's local midnight", () => {
    expect(resolvePreset("today", now, "Europe/Berlin")).toEqual({ from: Date.UTC(2026, 2, 29, 22, 0, 0), to: now });
    expect(resolvePreset("today", now, "UTC")).toEqual({ from: Date.UTC(2026, 2, 30), to: now });
  });

  it("gives yesterday its true length across a daylight-saving change (23 hours on 29 March in Berlin)", () => {
    const { from, to } = resolvePreset("yesterday", now, "Europe/Berlin");
    expect(from).toBe(Date.UTC(2026, 2, 28, 23, 0, 0));
    expect(to - from).toBe(23 * 3_600_000);
  });

  it("counts today as one of the last 7 and 30 days", () => {
    expect(resolvePreset("7d", now, "UTC").from).toBe(Date.UTC(2026, 2, 24));
    expect(resolvePreset("30d", now, "UTC").from).toBe(Date.UTC(2026, 2, 1));
    expect(resolvePreset("8h", now, "UTC")).toEqual({ from: now - 8 * 3_600_000, to: now });
  });

  it("groups short ranges by hour and long ones by day", () => {
    expect(groupingFor(0, 8 * 3_600_000)).toBe("hour");
    expect(groupingFor(0, 7 * 86_400_000)).toBe("day");
  });
});
