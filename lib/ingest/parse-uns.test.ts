import { afterEach, describe, expect, it } from "vitest";
import { parseUnsMessage } from "./parse-uns";
import { ingestLimits, type TParseResult } from "./records";

const now = 1_732_521_600_000; // 2024-11-25T08:00:00Z, the receive time of every message below
const ts = now - 1_000;
const day = 24 * 60 * 60_000;
const machine = "umh/v1/acme/detroit/press-shop/line-1/press-3";
const path = "acme/detroit/press-shop/line-1/press-3";

function parse(topic: string, body: unknown, receivedAt = now): TParseResult {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return parseUnsMessage(topic, Buffer.from(text, "utf8"), receivedAt);
}

function records(result: TParseResult) {
  if (!result.ok) throw new Error(`expected the message to be accepted, got: ${result.reason}`);
  return result.records;
}

function reason(result: TParseResult): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.records)}`);
  expect(result.reason.length).toBeGreaterThan(0);
  return result.reason;
}

const historian = (body: Record<string, unknown>) => parse(`${machine}/_historian`, { timestamp_ms: ts, ...body });

describe("topic grammar", () => {
  it.each([
    ["umh/v1/acme/_historian", "acme"],
    ["umh/v1/acme/detroit/_historian", "acme/detroit"],
    [`${machine}/_historian`, path],
  ])("takes the asset path from the levels before the schema: %s", (topic, expected) => {
    const result = parse(topic, { timestamp_ms: ts, temperature: 71.3 });
    expect(records(result)).toEqual([{ kind: "sample", path: expected, metric: "temperature", time: ts, value: 71.3 }]);
    expect(result).not.toHaveProperty("originId");
  });

  it("returns a sixth level before the schema as the origin id, not as part of the path", () => {
    const result = parse(`${machine}/gateway-7/_historian`, { timestamp_ms: ts, temperature: 71.3 });
    expect(result).toEqual({ ok: true, originId: "gateway-7", records: [{ kind: "sample", path, metric: "temperature", time: ts, value: 71.3 }] });
    // The second call is answered from the route cache and must be identical.
    expect(parse(`${machine}/gateway-7/_historian`, { timestamp_ms: ts, temperature: 71.3 })).toEqual(result);
  });

  it.each([
    ["spBv1.0/plant/NDATA/edge-1", /must start with "umh\/v1\/"/],
    ["umh/v2/acme/_historian", /must start with "umh\/v1\/"/],
    ["umh/v1/acme//_historian", /level 4 is empty/],
    ["umh/v1/acme/_historian/", /level 5 is empty/],
    ["umh/v1/", /level 3 is empty/],
    ["umh/v1/press shop/_historian", /"press shop" contains characters outside a-z A-Z 0-9 - _/],
    ["umh/v1/acmé/_historian", /"acmé" contains characters outside/],
    ["umh/v1/a\uD800/_historian", /contains characters outside/],
    ["umh/v1/acme/+/_historian", /MQTT wildcard "\+"/],
    ["umh/v1/acme/#", /MQTT wildcard "#"/],
    ["umh/v1/acme\u0000/_historian", /NUL character/],
    ["umh/v1/acme/../_historian", /contains "\.\."/],
    [`umh/v1/${"a".repeat(600)}/_historian`, /topic is 618 characters long; the limit is 512/],
    [`umh/v1/${"a".repeat(65)}/_historian`, /level 3 is 65 characters long; the limit is 64/],
    ["umh/v1/acme/detroit", /no schema segment/],
    ["umh/v1/_historian", /no enterprise level/],
    [`${machine}/gateway-7/extra/_historian`, /7 levels before the schema; at most 5 asset levels .* and one origin id/],
    ["umh/v1/acme/_local", /unknown schema "_local"/],
    ["umh/v1/acme/_analytics", /unknown schema "_analytics"/],
    ["umh/v1/acme/_analytics/job/add", /unknown schema "_analytics\/job\/add"/],
    ["umh/v1/acme/_analytics/constructor", /unknown schema "_analytics\/constructor"/],
  ])("rejects %j", (topic, expected) => {
    expect(reason(parse(topic, { timestamp_ms: ts, temperature: 1 }))).toMatch(expected);
    // A rejected topic is never cached: asking again gives the same answer.
    expect(reason(parse(topic, { timestamp_ms: ts, temperature: 1 }))).toMatch(expected);
  });
});

describe("payload bytes", () => {
  it("checks the size before decoding or parsing", () => {
    const oversized = Buffer.alloc(ingestLimits.maxPayloadBytes + 1, "{");
    expect(reason(parseUnsMessage(`${machine}/_historian`, oversized, now))).toMatch(`payload is ${ingestLimits.maxPayloadBytes + 1} bytes; the limit is ${ingestLimits.maxPayloadBytes} bytes`);
  });

  it("accepts a payload of exactly the size limit", () => {
    const json = JSON.stringify({ timestamp_ms: ts, temperature: 71.3 });
    const padded = json.slice(0, -1) + " ".repeat(ingestLimits.maxPayloadBytes - json.length) + "}";
    expect(Buffer.byteLength(padded)).toBe(ingestLimits.maxPayloadBytes);
    expect(records(parse(`${machine}/_historian`, padded))).toHaveLength(1);
  });

  it.each([
    ["a stray 0xff byte", [0x7b, 0xff, 0x7d]],
    ["an overlong encoding", [0x7b, 0x22, 0xc0, 0x80, 0x22, 0x7d]],
    ["an encoded surrogate", [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]],
    ["a truncated sequence", [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d]],
  ])("rejects invalid UTF-8: %s", (_name, bytes) => {
    expect(reason(parseUnsMessage(`${machine}/_historian`, Buffer.from(bytes), now))).toMatch(/not valid UTF-8/);
  });

  it("rejects an empty payload", () => {
    expect(reason(parseUnsMessage(`${machine}/_historian`, Buffer.alloc(0), now))).toMatch(/payload is empty/);
  });

  it.each(["{", "{'temperature': 1}", `{"timestamp_ms": ${ts}, }`, "NaN", "{\"a\": 01}"])("rejects malformed JSON %j", (text) => {
    expect(reason(parse(`${machine}/_historian`, text))).toMatch(/not valid JSON/);
  });

  it("escapes control characters that the JSON error quotes back from the payload", () => {
    const why = reason(parse(`${machine}/_historian`, "x\u0007\nbell"));
    expect(why).toMatch(/not valid JSON/);
    expect(why).not.toMatch(/[\u0000-\u001f]/);
  });

  it.each([
    ["[1, 2]", /must be a JSON object, got an array/],
    ["null", /must be a JSON object, got null/],
    ["42", /must be a JSON object, got 42/],
    ['"hot"', /must be a JSON object, got the string "hot"/],
    ["true", /must be a JSON object, got the boolean true/],
  ])("rejects the top-level value %s", (text, expected) => {
    expect(reason(parse(`${machine}/_historian`, text))).toMatch(expected);
  });
});

describe("prototype pollution", () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });

  it.each([
    [`{"timestamp_ms": ${ts}, "__proto__": {"polluted": "yes"}}`, "__proto__"],
    [`{"timestamp_ms": ${ts}, "axis": {"__proto__": {"polluted": "yes"}}}`, "__proto__"],
    [`{"timestamp_ms": ${ts}, "\\u005f_proto__": {"polluted": "yes"}}`, "__proto__"],
    [`{"timestamp_ms": ${ts}, "constructor": {"prototype": {"polluted": "yes"}}}`, "constructor"],
    [`{"timestamp_ms": ${ts}, "axis": {"prototype": 1}}`, "prototype"],
    [`{"timestamp_ms": ${ts}, "list": [{"__proto__": {"polluted": "yes"}}]}`, "__proto__"],
  ])("rejects %s", (text, key) => {
    expect(reason(parse(`${machine}/_historian`, text))).toContain(`the key "${key}"`);
  });

  it("rejects the keys in _analytics payloads too", () => {
    expect(reason(parse(`${machine}/_analytics/count`, `{"timestamp_ms": ${ts}, "count": 1, "__proto__": {"polluted": "yes"}}`))).toContain('the key "__proto__"');
  });
});

describe("_historian", () => {
  it("turns every key but timestamp_ms into a sample, flattening nested objects with dots", () => {
    const result = parse(`${machine}/_historian`, `{"timestamp_ms": 1732521600000, "temperature": 71.3, "running": true, "mode": "auto", "axis": {"x": 1.5, "y": 2}}`);
    const sample = { kind: "sample", path, time: 1_732_521_600_000 };
    expect(records(result)).toEqual([
      { ...sample, metric: "temperature", value: 71.3 },
      { ...sample, metric: "running", value: true },
      { ...sample, metric: "mode", value: "auto" },
      { ...sample, metric: "axis.x", value: 1.5 },
      { ...sample, metric: "axis.y", value: 2 },
    ]);
  });

  it("flattens several levels and accepts dotted and colon keys that do not collide", () => {
    const result = historian({ spindle: { axis: { x: -0.5 } }, "motor.current": 12, "opc:speed": 1200, "a-b_c": false });
    expect(records(result).map((record) => [record.kind === "sample" && record.metric, record.kind === "sample" && record.value])).toEqual([
      ["spindle.axis.x", -0.5], ["motor.current", 12], ["opc:speed", 1200], ["a-b_c", false],
    ]);
  });

  it.each([
    [{ temperature: [1, 2] }, /metric "temperature" is an array; expected a number, boolean or string/],
    [{ temperature: null }, /metric "temperature" is null/],
    [{ axis: { x: [1] } }, /metric "axis.x" is an array/],
    [{ axis: {} }, /metric "axis" is an empty object/],
    [{}, /no metrics besides timestamp_ms/],
    [{ "motor temp": 1 }, /metric key "motor temp" contains characters outside A-Z a-z 0-9 _ - \. :/],
    [{ "température": 1 }, /contains characters outside/],
    [{ "a/b": 1 }, /contains characters outside/],
    [{ axis: { "x y": 1 } }, /metric key "x y" under "axis" contains characters outside/],
    [{ "": 1 }, /empty metric key/],
    [{ ".a": 1 }, /empty part between dots/],
    [{ "a..b": 1 }, /empty part between dots/],
    [{ "a.": 1 }, /empty part between dots/],
    [{ "axis.x": 1, axis: { x: 2 } }, /metric "axis.x" appears twice/],
    [{ ["m".repeat(201)]: 1 }, /is longer than 200 characters/],
    [{ ["a".repeat(150)]: { ["b".repeat(60)]: 1 } }, /is longer than 200 characters/],
    [{ note: "x".repeat(4097) }, /metric "note" is a string of 4097 characters; the limit is 4096/],
    [{ note: "a\u0000b" }, /metric "note" contains a NUL character/],
    [{ temperature: 1e308 }, /metric "temperature" is 1e\+308, beyond the accepted magnitude/],
  ])("rejects %j", (body, expected) => {
    expect(reason(historian(body))).toMatch(expected);
  });

  it.each([
    ["1e999", /metric "temperature" is not a finite number \(Infinity\)/],
    ["-1e999", /metric "temperature" is not a finite number \(-Infinity\)/],
    ['"\\ud800"', /unpaired surrogate/],
  ])("rejects the JSON value %s", (value, expected) => {
    expect(reason(parse(`${machine}/_historian`, `{"timestamp_ms": ${ts}, "temperature": ${value}}`))).toMatch(expected);
  });

  it("accepts values and names right at the limits", () => {
    const metrics = Object.fromEntries(Array.from({ length: ingestLimits.maxMetricsPerMessage }, (_, index) => [`m${index}`, index]));
    expect(records(historian(metrics))).toHaveLength(ingestLimits.maxMetricsPerMessage);
    expect(records(historian({ ["m".repeat(200)]: 1, note: "x".repeat(4096), big: -1e100, emoji: "ok \u{1F600}" }))).toHaveLength(4);
  });

  it("rejects more metrics than the limit, counted after flattening", () => {
    const flat = Object.fromEntries(Array.from({ length: ingestLimits.maxMetricsPerMessage + 1 }, (_, index) => [`m${index}`, index]));
    expect(reason(historian(flat))).toMatch(/more than 1000 metrics/);
    const nested = Object.fromEntries(Array.from({ length: 11 }, (_, group) => [`g${group}`, Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`m${index}`, index]))]));
    expect(reason(historian(nested))).toMatch(/more than 1000 metrics/);
  });
});

describe("_historian/<tag group…>/<name>", () => {
  it("names the metric after the topic tail", () => {
    expect(records(parse(`${machine}/_historian/spindle/axis/x`, { timestamp_ms: ts, value: 71.3 }))).toEqual([
      { kind: "sample", path, metric: "spindle.axis.x", time: ts, value: 71.3 },
    ]);
    expect(records(parse("umh/v1/acme/_historian/mode", { value: "auto", timestamp_ms: ts }))).toEqual([
      { kind: "sample", path: "acme", metric: "mode", time: ts, value: "auto" },
    ]);
    expect(records(parse(`${machine}/gw/_historian/running`, { timestamp_ms: ts, value: false }))).toEqual([
      { kind: "sample", path, metric: "running", time: ts, value: false },
    ]);
  });

  it.each([
    [{ timestamp_ms: ts, value: 1, unit: "°C" }, /_historian\/spindle\/x: unexpected key "unit"; a single-value message takes only timestamp_ms and value/],
    [{ timestamp_ms: ts }, /_historian\/spindle\/x: value is missing/],
    [{ timestamp_ms: ts, value: { x: 1 } }, /metric "spindle.x" is an object; expected a number, boolean or string/],
    [{ timestamp_ms: ts, value: [1] }, /is an array/],
    [{ timestamp_ms: ts, value: null }, /is null/],
    [{ value: 1 }, /timestamp_ms is missing/],
  ])("rejects %j", (body, expected) => {
    expect(reason(parse(`${machine}/_historian/spindle/x`, body))).toMatch(expected);
  });

  it("rejects a non-finite value and a metric name longer than the limit", () => {
    expect(reason(parse(`${machine}/_historian/x`, `{"timestamp_ms": ${ts}, "value": 1e999}`))).toMatch(/not a finite number/);
    const tail = Array.from({ length: 4 }, (_, index) => String(index).repeat(60)).join("/");
    expect(reason(parse(`umh/v1/acme/_historian/${tail}`, { timestamp_ms: ts, value: 1 }))).toMatch(/longer than 200 characters/);
  });
});

describe("timestamps", () => {
  it.each([
    [{ temperature: 1 }, /_historian: timestamp_ms is missing/],
    [{ timestamp_ms: String(ts), temperature: 1 }, /timestamp_ms must be a number of epoch milliseconds, got the string "1732521599000"/],
    [{ timestamp_ms: null, temperature: 1 }, /timestamp_ms must be a number of epoch milliseconds, got null/],
    [{ timestamp_ms: ts + 0.5, temperature: 1 }, /timestamp_ms must be an integer/],
    [{ timestamp_ms: 1_732_521_599, temperature: 1 }, /timestamp_ms 1732521599 is before 2000-01-01T00:00:00Z — seconds instead of milliseconds\?/],
    [{ timestamp_ms: ingestLimits.minTimestampMs - 1, temperature: 1 }, /is before 2000-01-01T00:00:00Z$/],
    [{ timestamp_ms: 0, temperature: 1 }, /timestamp_ms 0 is before 2000-01-01T00:00:00Z$/],
    [{ timestamp_ms: now + ingestLimits.maxFutureSkewMs + 1, temperature: 1 }, /is 300 s ahead of the receiving clock; at most 300 s is allowed$/],
    [{ timestamp_ms: now * 1000, temperature: 1 }, /ahead of the receiving clock.*microseconds or nanoseconds instead of milliseconds\?/],
  ])("rejects %j", (body, expected) => {
    expect(reason(parse(`${machine}/_historian`, body))).toMatch(expected);
  });

  it("rejects a non-finite timestamp", () => {
    expect(reason(parse(`${machine}/_historian`, `{"timestamp_ms": 1e999, "temperature": 1}`))).toMatch(/timestamp_ms is not a finite number \(Infinity\)/);
  });

  it("accepts the earliest allowed time, the allowed clock skew and out-of-order times", () => {
    for (const time of [ingestLimits.minTimestampMs, now + ingestLimits.maxFutureSkewMs, now - 30 * day]) {
      expect(records(parse(`${machine}/_historian`, { timestamp_ms: time, temperature: 1 }))[0]).toMatchObject({ time });
    }
  });

  it("rejects a receive time that is not a number instead of accepting every future timestamp", () => {
    expect(reason(parse(`${machine}/_historian`, { timestamp_ms: ts, temperature: 1 }, Number.NaN))).toMatch(/receive time/);
  });
});

describe("_analytics/count", () => {
  const topic = `${machine}/_analytics/count`;

  it("records count and scrap, scrap defaulting to 0", () => {
    expect(records(parse(topic, { timestamp_ms: ts, count: 10, scrap: 1 }))).toEqual([{ kind: "count", path, time: ts, count: 10, scrap: 1 }]);
    expect(records(parse(topic, { timestamp_ms: ts, count: 10 }))).toEqual([{ kind: "count", path, time: ts, count: 10, scrap: 0 }]);
    expect(records(parse(topic, { timestamp_ms: ts, count: 0 }))).toEqual([{ kind: "count", path, time: ts, count: 0, scrap: 0 }]);
  });

  it.each([
    [{ timestamp_ms: ts, count: -1 }, /count must be ≥ 0 \(got -1\)/],
    [{ timestamp_ms: ts, count: 1.5 }, /count must be an integer \(got 1.5\)/],
    [{ timestamp_ms: ts, count: true }, /count must be an integer \(got the boolean true\)/],
    [{ timestamp_ms: ts, count: "12" }, /count must be an integer \(got the string "12"\)/],
    [{ timestamp_ms: ts, count: { n: 1 } }, /count must be an integer \(got an object\)/],
    [{ timestamp_ms: ts, count: 2 ** 31 }, /count must be at most 2147483647/],
    [{ timestamp_ms: ts }, /_analytics\/count: count is missing/],
    [{ timestamp_ms: ts, count: 3, scrap: 5 }, /scrap 5 exceeds count 3/],
    [{ timestamp_ms: ts, count: 3, scrap: -1 }, /scrap must be ≥ 0/],
    [{ timestamp_ms: ts, count: 3, scrap: null }, /scrap must be an integer \(got null\)/],
    [{ timestamp_ms: ts, count: 3, scarp: 1 }, /unexpected key "scarp"; allowed keys are timestamp_ms, count, scrap/],
    [{ count: 3 }, /_analytics\/count: timestamp_ms is missing/],
    [{ timestamp_ms: 1_732_521_599, count: 3 }, /seconds instead of milliseconds\?/],
  ])("rejects %j", (body, expected) => {
    expect(reason(parse(topic, body))).toMatch(expected);
  });

  it("rejects a non-finite count", () => {
    expect(reason(parse(topic, `{"timestamp_ms": ${ts}, "count": 1e999}`))).toMatch(/count must be an integer \(got Infinity\)/);
  });
});

describe("_analytics/state", () => {
  const topic = `${machine}/_analytics/state`;

  it.each([10_000, 180_001, 1, 999_999])("records state %i", (state) => {
    expect(records(parse(topic, { timestamp_ms: ts, state }))).toEqual([{ kind: "state", path, time: ts, state }]);
  });

  it.each([
    [{ timestamp_ms: ts, state: 0 }, /state must be > 0 \(got 0\)/],
    [{ timestamp_ms: ts, state: -10_000 }, /state must be > 0/],
    [{ timestamp_ms: ts, state: 1_000_000 }, /state must be < 1000000/],
    [{ timestamp_ms: ts, state: 10_000.5 }, /state must be an integer state code/],
    [{ timestamp_ms: ts, state: "10000" }, /got the string "10000"/],
    [{ timestamp_ms: ts, state: true }, /got the boolean true/],
    [{ timestamp_ms: ts }, /state is missing/],
  ])("rejects %j", (body, expected) => {
    expect(reason(parse(topic, body))).toMatch(expected);
  });
});

describe("_analytics planning events", () => {
  const start = now - 8 * 60 * 60_000;
  const end = now - 60_000;

  it("parses every planning event", () => {
    const cases: [string, object, object][] = [
      ["shift/add", { startTime: start, endTime: end }, { kind: "shift-add", startTime: start, endTime: end }],
      ["shift/delete", { startTime: start }, { kind: "shift-delete", startTime: start }],
      ["product-type/create", { externalProductTypeId: "bracket-A7", cycleTimeMs: 12_500 }, { kind: "product-type", externalProductTypeId: "bracket-A7", cycleTimeMs: 12_500 }],
      ["work-order/create", { externalWorkOrderId: "WO-1", externalProductTypeId: "bracket-A7", quantity: 500 }, { kind: "work-order-create", externalWorkOrderId: "WO-1", externalProductTypeId: "bracket-A7", quantity: 500 }],
      ["work-order/start", { externalWorkOrderId: "WO-1", startTime: start }, { kind: "work-order-start", externalWorkOrderId: "WO-1", startTime: start }],
      ["work-order/stop", { externalWorkOrderId: "WO-1", endTime: end }, { kind: "work-order-stop", externalWorkOrderId: "WO-1", endTime: end }],
    ];
    for (const [schema, body, expected] of cases) {
      expect(records(parse(`${machine}/_analytics/${schema}`, body))).toEqual([{ ...expected, path }]);
      // A timestamp_ms alongside is allowed (and checked), not used.
      expect(records(parse(`${machine}/_analytics/${schema}`, { ...body, timestamp_ms: ts }))).toEqual([{ ...expected, path }]);
    }
  });

  it("accepts the next shift announced hours ahead", () => {
    const tomorrow = now + day;
    expect(records(parse(`${machine}/_analytics/shift/add`, { startTime: tomorrow, endTime: tomorrow + 8 * 3_600_000 }))).toEqual([
      { kind: "shift-add", path: expect.any(String), startTime: tomorrow, endTime: tomorrow + 8 * 3_600_000 },
    ]);
  });

  it("accepts a shift of exactly seven days", () => {
    expect(records(parse(`${machine}/_analytics/shift/add`, { startTime: end - 7 * day, endTime: end }))).toHaveLength(1);
  });

  it.each([
    ["shift/add", { startTime: end, endTime: end }, /endTime \d+ must be after startTime/],
    ["shift/add", { startTime: end - 7 * day - 1, endTime: end }, /shift spans more than 7 days/],
    ["shift/add", { startTime: 1_732_500_000, endTime: end }, /startTime 1732500000 is before 2000-01-01T00:00:00Z — seconds instead of milliseconds\?/],
    ["shift/add", { startTime: start }, /_analytics\/shift\/add: endTime is missing/],
    // Planning times may be announced ahead, but not absurdly far (90 days).
    ["shift/add", { startTime: start, endTime: now + 91 * day }, /endTime \d+ is \d+ s ahead of the receiving clock; at most 7776000 s is allowed/],
    ["shift/add", { startTime: start, endTime: end, timestamp_ms: 0 }, /timestamp_ms 0 is before/],
    ["shift/add", { startTime: start, endTime: end, length: 1 }, /unexpected key "length"/],
    ["shift/delete", { startTime: String(start) }, /startTime must be a number of epoch milliseconds, got the string/],
    ["product-type/create", { externalProductTypeId: "p", cycleTimeMs: 0 }, /cycleTimeMs must be > 0 \(got 0\)/],
    ["product-type/create", { externalProductTypeId: "p", cycleTimeMs: day + 1 }, /cycleTimeMs must be at most one day/],
    ["product-type/create", { externalProductTypeId: "p", cycleTimeMs: "30" }, /cycleTimeMs must be a number of milliseconds \(got the string "30"\)/],
    ["product-type/create", { externalProductTypeId: "", cycleTimeMs: 30 }, /externalProductTypeId must not be empty/],
    ["product-type/create", { externalProductTypeId: "p".repeat(101), cycleTimeMs: 30 }, /externalProductTypeId must be at most 100 characters/],
    ["product-type/create", { externalProductTypeId: "p\u0000", cycleTimeMs: 30 }, /externalProductTypeId must not contain control characters/],
    ["product-type/create", { externalProductTypeId: 42, cycleTimeMs: 30 }, /externalProductTypeId must be a string \(got 42\)/],
    ["work-order/create", { externalWorkOrderId: "WO-1", externalProductTypeId: "p", quantity: 0 }, /quantity must be > 0 \(got 0\)/],
    ["work-order/create", { externalWorkOrderId: "WO-1", externalProductTypeId: "p", quantity: 2.5 }, /quantity must be an integer/],
    ["work-order/create", { externalWorkOrderId: "WO-1", quantity: 5 }, /externalProductTypeId is missing/],
    ["work-order/start", { externalWorkOrderId: "WO-1" }, /startTime is missing/],
    ["work-order/start", { externalWorkOrderId: ["WO-1"], startTime: start }, /externalWorkOrderId must be a string \(got an array\)/],
    ["work-order/stop", { externalWorkOrderId: "WO-1", endTime: end + 0.5 }, /endTime must be an integer/],
    ["work-order/stop", { externalWorkOrderId: "WO-1", endTime: end, reason: "done" }, /unexpected key "reason"/],
  ])("rejects %s %j", (schema, body, expected) => {
    expect(reason(parse(`${machine}/_analytics/${schema}`, body))).toMatch(expected);
  });

  it("rejects a non-finite cycle time", () => {
    expect(reason(parse(`${machine}/_analytics/product-type/create`, `{"externalProductTypeId": "p", "cycleTimeMs": 1e999}`))).toMatch(/cycleTimeMs must be a number of milliseconds \(got Infinity\)/);
  });
});

describe("robustness", () => {
  it("answers instead of throwing when the caller passes the wrong types", () => {
    const parseLoose = parseUnsMessage as (topic: unknown, payload: unknown, receivedAtMs: unknown) => TParseResult;
    expect(reason(parseLoose(undefined, Buffer.from("{}"), now))).toMatch(/topic is not a string/);
    expect(reason(parseLoose(`${machine}/_historian`, "{}", now))).toMatch(/payload is not a byte buffer/);
    expect(reason(parseLoose(`${machine}/_historian`, Buffer.from("{}"), "now"))).toMatch(/receive time/);
  });

  it("accepts a plain Uint8Array and a Buffer that views part of a larger allocation", () => {
    const json = JSON.stringify({ timestamp_ms: ts, temperature: 1 });
    const bytes = new TextEncoder().encode(json);
    expect(records(parseUnsMessage(`${machine}/_historian`, bytes as Buffer, now))).toHaveLength(1);
    const slice = Buffer.from(`xx${json}yy`).subarray(2, 2 + json.length);
    expect(records(parseUnsMessage(`${machine}/_historian`, slice, now))).toHaveLength(1);
  });

  it("survives deeply nested JSON", () => {
    const deep = `{"timestamp_ms": ${ts}, "a": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    expect(reason(parse(`${machine}/_historian`, deep))).toMatch(/metric "a" is an array/);
    const deepObjects = `{"timestamp_ms": ${ts}, ${'"a": {'.repeat(20_000)}"b": 1${"}".repeat(20_000)}}`;
    expect(reason(parse(`${machine}/_historian`, deepObjects))).toMatch(/longer than 200 characters/);
    const deepEscaped = `{"timestamp_ms": ${ts}, "\\u0061": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    expect(reason(parse(`${machine}/_historian`, deepEscaped))).toMatch(/is an array/);
  });
});
