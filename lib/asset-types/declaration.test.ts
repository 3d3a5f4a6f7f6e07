import { describe, expect, it } from "vitest";
import { parseUnsMessage } from "../ingest/parse-uns";
import { ZCreateTypeVersion } from "./asset-type-fields";
import { ZDeclaration, ZMetricName } from "./declaration";

const temperature = { name: "temperature", unit: "°C", dataType: "NUMBER", min: 10, max: 90, displayPrecision: 1 };
const valid = { metrics: [temperature], states: [{ code: 10000, name: "Producing" }], commands: [{ name: "safe-stop" }] };
const messages = (input: unknown) => {
  const result = ZDeclaration.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("ZDeclaration", () => {
  it("fills optional fields with null and accepts the data type in any case", () => {
    expect(ZDeclaration.parse({ ...valid, metrics: [{ name: "door_closed", dataType: "boolean", unit: "" }] })).toEqual({
      metrics: [{ name: "door_closed", unit: null, dataType: "BOOLEAN", min: null, max: null, displayPrecision: null }],
      states: [{ code: 10000, name: "Producing" }],
      commands: [{ name: "safe-stop", description: null, payloadSchema: null }],
    });
  });

  it("refuses min above max, precision outside 0–6, ranges on non-numbers and unknown data types", () => {
    expect(messages({ ...valid, metrics: [{ ...temperature, min: 91 }] })).toEqual(["metrics.0.max: max must not be below min"]);
    expect(messages({ ...valid, metrics: [{ ...temperature, displayPrecision: 7 }] })).toEqual(["metrics.0.displayPrecision: displayPrecision must be a whole number from 0 to 6"]);
    expect(messages({ ...valid, metrics: [{ ...temperature, displayPrecision: 1.5 }] })).toHaveLength(1);
    expect(messages({ ...valid, metrics: [{ name: "mode", dataType: "STRING", max: 3 }] })).toEqual(["metrics.0.max: max applies to NUMBER metrics only"]);
    expect(messages({ ...valid, metrics: [{ ...temperature, dataType: "FLOAT" }] })).toEqual(["metrics.0.dataType: dataType must be NUMBER, BOOLEAN or STRING"]);
    expect(messages({ ...valid, metrics: [{ ...temperature, unit: "u".repeat(33) }] })).toEqual(["metrics.0.unit: unit must be at most 32 characters"]);
    expect(messages({ ...valid, metrics: [{ ...temperature, min: "10" }] })).toHaveLength(1);
    expect(messages({ ...valid, metrics: [{ ...temperature, max: 1e308 }] })).toHaveLength(1);
  });

  it("refuses duplicate metric names, state codes and command names, pointing at the second one", () => {
    expect(messages({ ...valid, metrics: [temperature, { ...temperature, unit: "°F" }] })).toEqual(["metrics.1.name: metric temperature is declared twice"]);
    expect(messages({ ...valid, states: [{ code: 10000, name: "A" }, { code: 10000, name: "B" }] })).toEqual(["states.1.code: state code 10000 is declared twice"]);
    expect(messages({ ...valid, commands: [{ name: "stop" }, { name: "stop" }] })).toEqual(["commands.1.name: command stop is declared twice"]);
  });

  it("takes state codes from the machine state ranges only, with a name", () => {
    for (const code of [9999, 230000, 10000.5]) expect(messages({ ...valid, states: [{ code, name: "x" }] }), String(code)).toHaveLength(1);
    expect(messages({ ...valid, states: [{ code: 180001, name: "Hydraulic failure" }, { code: 229999, name: "Last" }] })).toEqual([]);
    expect(messages({ ...valid, states: [{ code: 10000, name: " " }] })).toEqual(["states.0.name: name must not be empty"]);
  });

  it("wants a command payload schema that is a JSON object describing an object, without prototype keys", () => {
    expect(messages({ ...valid, commands: [{ name: "set-speed", payloadSchema: { type: "object", properties: { rpm: { type: "number" } } } }] })).toEqual([]);
    expect(messages({ ...valid, commands: [{ name: "set-speed", payloadSchema: [] }] })).toHaveLength(1);
    expect(messages({ ...valid, commands: [{ name: "set-speed", payloadSchema: "{}" }] })).toHaveLength(1);
    expect(messages({ ...valid, commands: [{ name: "set-speed", payloadSchema: { type: "number" } }] })).toEqual(['commands.0.payloadSchema: payloadSchema must describe an object payload ("type": "object")']);
    expect(messages({ ...valid, commands: [{ name: "x", payloadSchema: JSON.parse('{"type":"object","properties":{"__proto__":{}}}') }] })).toEqual(["commands.0.payloadSchema: payloadSchema must not contain the key __proto__"]);
    expect(messages({ ...valid, commands: [{ name: "bad/topic" }] })).toHaveLength(1);
  });

  it("refuses unknown fields", () => {
    expect(messages({ ...valid, metrics: [{ ...temperature, colour: "red" }] })).toHaveLength(1);
    expect(ZCreateTypeVersion.safeParse({ ...valid, version: 3 }).success).toBe(false);
  });
});

describe("ZMetricName follows the ingest parser", () => {
  const ingestAccepts = (name: string) => {
    const result = parseUnsMessage("umh/v1/acme/_historian", Buffer.from(JSON.stringify({ timestamp_ms: Date.now(), [name]: 1 })), Date.now());
    return result.ok && result.records.some((record) => record.kind === "sample" && record.metric === name);
  };

  it("accepts and refuses the same names as a _historian message", () => {
    const names = ["temperature", "axis.x", "ns:tag-1", "a".repeat(200), "a".repeat(201), "axis..x", ".x", "x.", "with space", "temp/1", "__proto__", "constructor", "prototype", "a.constructor", "x.__proto__", "timestamp_ms", "ünits", ""];
    for (const name of names) expect(ZMetricName.safeParse(name).success, name).toBe(ingestAccepts(name));
  });
});
