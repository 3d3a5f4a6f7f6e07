import { describe, expect, it } from "vitest";
import { groupLatestRows, type TLatestRow, ZLatestValuesQuery } from "./find-latest-values";

const at = new Date("2026-11-25T06:00:00.000Z");
const row = (overrides: Partial<TLatestRow>): TLatestRow => ({
  asset_id: "a", path: "acme/line-1/press-1", state: null, state_since: null, metric: null, stale_since: null,
  time: null, value_num: null, value_bool: null, value_text: null, unit: null, display_precision: null,
  ...overrides,
});

describe("groupLatestRows", () => {
  it("gathers an asset's series under it and keeps number, boolean and text values", () => {
    const assets = groupLatestRows([
      row({ state: 180_001, state_since: at, metric: "temperature", time: at, value_num: 71.3, unit: "°C", display_precision: 1 }),
      row({ state: 180_001, state_since: at, metric: "door_closed", time: at, value_bool: false }),
      row({ state: 180_001, state_since: at, metric: "recipe", time: at, value_text: "A-12", stale_since: at }),
    ]);
    expect(assets).toEqual([{
      assetId: "a", path: "acme/line-1/press-1",
      state: { code: 180_001, since: at.toISOString() },
      values: [
        { metric: "temperature", time: at.toISOString(), value: 71.3, stale: false, unit: "°C", precision: 1 },
        { metric: "door_closed", time: at.toISOString(), value: false, stale: false, unit: null, precision: null },
        { metric: "recipe", time: at.toISOString(), value: "A-12", stale: true, unit: null, precision: null },
      ],
    }]);
  });

  it("keeps assets without state or series, and a zero as a value", () => {
    const assets = groupLatestRows([
      row({ asset_id: "line", path: "acme/line-1" }),
      row({ metric: "power", time: at, value_num: 0 }),
      row({ metric: "never-sampled" }),
    ]);
    expect(assets.map((asset) => [asset.assetId, asset.state, asset.values.map((value) => value.value)])).toEqual([
      ["line", null, []],
      ["a", null, [0]],
    ]);
  });
});

describe("ZLatestValuesQuery", () => {
  it("accepts an asset path and drops a trailing slash", () => {
    expect(ZLatestValuesQuery.parse({ path: "acme/detroit/" })).toEqual({ path: "acme/detroit" });
  });

  it.each(["", "acme//detroit", "acme/../x", "acme/det roit", "/acme", "acme/%"])("refuses %j", (path) => {
    expect(ZLatestValuesQuery.safeParse({ path }).success).toBe(false);
  });
});
