import { describe, expect, it } from "vitest";
import type { TDeclaration } from "./declaration";
import { canonicalJson, diffDeclarations, isEmptyDiff } from "./diff-declarations";

const metric = { name: "temperature", unit: "°C", dataType: "NUMBER" as const, min: 10, max: 90, displayPrecision: 1 };
const v1: TDeclaration = {
  metrics: [metric, { name: "power", unit: "kW", dataType: "NUMBER", min: 0, max: 75, displayPrecision: 1 }],
  states: [{ code: 10000, name: "Producing" }],
  commands: [{ name: "safe-stop", description: null, payloadSchema: { type: "object", properties: { reason: { type: "string" } } } }],
};

describe("diffDeclarations", () => {
  it("lists added, removed and changed entries with the changed fields", () => {
    const v2: TDeclaration = {
      metrics: [{ ...metric, unit: "°F", min: 50, max: 194 }, { name: "vibration", unit: "mm/s", dataType: "NUMBER", min: null, max: null, displayPrecision: 2 }],
      states: [{ code: 10000, name: "Running" }],
      commands: v1.commands,
    };
    const diff = diffDeclarations(v1, v2);
    expect(diff.metrics.added.map((entry) => entry.name)).toEqual(["vibration"]);
    expect(diff.metrics.removed.map((entry) => entry.name)).toEqual(["power"]);
    expect(diff.metrics.changed).toEqual([expect.objectContaining({ key: "temperature", changes: [
      { field: "unit", before: "°C", after: "°F" }, { field: "min", before: 10, after: 50 }, { field: "max", before: 90, after: 194 },
    ] })]);
    expect(diff.states.changed[0]?.changes).toEqual([{ field: "name", before: "Producing", after: "Running" }]);
    expect(diff.commands).toEqual({ added: [], removed: [], changed: [] });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it("sees no change when only the order of entries or of JSON keys differs", () => {
    const reordered: TDeclaration = {
      ...v1,
      metrics: [...v1.metrics].reverse(),
      commands: [{ name: "safe-stop", description: null, payloadSchema: { properties: { reason: { type: "string" } }, type: "object" } }],
    };
    expect(isEmptyDiff(diffDeclarations(v1, reordered))).toBe(true);
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
