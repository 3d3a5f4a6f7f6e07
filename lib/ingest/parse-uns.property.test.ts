import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseUnsMessage } from "./parse-uns";
import { ingestLimits, type TParseResult, type TSampleValue } from "./records";

const now = 1_732_521_600_000;
const machine = "umh/v1/acme/detroit/press-shop/line-1/press-3";
const numRuns = 500;
const forbiddenKeys = ["__proto__", "constructor", "prototype"];
const topics = [
  `${machine}/_historian`,
  `${machine}/gateway-7/_historian`,
  `${machine}/_historian/spindle/x`,
  ...["count", "state", "shift/add", "shift/delete", "product-type/create", "work-order/create", "work-order/start", "work-order/stop"].map(
    (schema) => `${machine}/_analytics/${schema}`,
  ),
];

const bytes = (text: string) => Buffer.from(text, "utf8");

/** The answer is always one of the two shapes, and whatever is accepted is safe to store. */
function expectWellFormed(result: TParseResult) {
  if (!result.ok) {
    expect(typeof result.reason).toBe("string");
    expect(result.reason.length).toBeGreaterThan(0);
    return;
  }
  expect(result.records.length).toBeGreaterThan(0);
  for (const record of result.records) {
    expect(record.path).toMatch(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+){0,4}$/);
    const times = Object.entries(record).filter(([key]) => key === "time" || key === "startTime" || key === "endTime").map(([, value]) => value);
    for (const time of times) {
      expect(Number.isInteger(time)).toBe(true);
      expect(time).toBeGreaterThanOrEqual(ingestLimits.minTimestampMs);
      expect(time).toBeLessThanOrEqual(now + ingestLimits.maxFutureSkewMs);
    }
    if (record.kind === "sample") {
      expect(record.metric.length).toBeLessThanOrEqual(ingestLimits.maxMetricNameLength);
      if (typeof record.value === "number") expect(Number.isFinite(record.value)).toBe(true);
      if (typeof record.value === "string") expect(record.value).not.toContain("\u0000");
    }
    if (record.kind === "count") expect(record.scrap).toBeLessThanOrEqual(record.count);
  }
}

const topicArb = fc.constantFrom(...topics);
const timestampArb = fc.integer({ min: ingestLimits.minTimestampMs, max: now + ingestLimits.maxFutureSkewMs });
const levelArb = fc.stringMatching(/^[A-Za-z0-9-][A-Za-z0-9_-]{0,15}$/);
const metricNameArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/).filter((name) => name !== "timestamp_ms" && !forbiddenKeys.includes(name));
const sampleValueArb: fc.Arbitrary<TSampleValue> = fc.oneof(
  // JSON has no -0: it arrives as 0.
  fc.double({ noNaN: true, min: -1e100, max: 1e100 }).map((value) => (Object.is(value, -0) ? 0 : value)),
  fc.integer(),
  fc.boolean(),
  fc.string({ unit: "grapheme", maxLength: 30 }).filter((text) => !text.includes("\u0000")),
);
type TMetrics = Record<string, TSampleValue | Record<string, TSampleValue>>;
const metricsArb: fc.Arbitrary<TMetrics> = fc.dictionary(
  metricNameArb,
  fc.oneof({ weight: 4, arbitrary: sampleValueArb }, { weight: 1, arbitrary: fc.dictionary(metricNameArb, sampleValueArb, { minKeys: 1, maxKeys: 5, noNullPrototype: true }) }),
  { minKeys: 1, maxKeys: 30, noNullPrototype: true },
);

function flatten(metrics: TMetrics): [string, TSampleValue][] {
  return Object.entries(metrics).flatMap(([name, value]) =>
    typeof value === "object" ? Object.entries(value).map(([child, leaf]): [string, TSampleValue] => [`${name}.${child}`, leaf]) : [[name, value]],
  );
}

const byName = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

describe("parseUnsMessage properties", () => {
  afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
  });

  it("(1) never throws on arbitrary or corrupted bytes", () => {
    const validBody = fc.record({ timestamp_ms: timestampArb, count: fc.nat(100), temperature: fc.double({ noNaN: true }) }).map((body) => bytes(JSON.stringify(body)));
    const corrupted = fc
      .tuple(validBody, fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }))
      .map(([payload, edits]) => {
        for (const { at, byte } of edits) payload[at % payload.length] = byte;
        return payload;
      });
    const payloadArb = fc.oneof(fc.uint8Array({ maxLength: 512 }).map((array) => Buffer.from(array)), corrupted);
    fc.assert(fc.property(topicArb, payloadArb, (topic, payload) => expectWellFormed(parseUnsMessage(topic, payload, now))), { numRuns });
  });

  it("(2) never throws on arbitrary JSON, bare or mixed into a plausible message", () => {
    const bare = fc.jsonValue();
    const mixed = fc
      .tuple(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), timestampArb, fc.boolean())
      .map(([extra, timestamp_ms, withTime]) => ({ ...(withTime ? { timestamp_ms } : {}), ...extra }));
    fc.assert(
      fc.property(topicArb, fc.oneof(bare, mixed), (topic, value) => expectWellFormed(parseUnsMessage(topic, bytes(JSON.stringify(value) ?? "null"), now))),
      { numRuns },
    );
  });

  it("(3) never throws on arbitrary topic strings, and accepted topics have a valid path", () => {
    // Any UTF-16 code unit, lone surrogates included, weighted towards ASCII.
    const charArb = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x7f }) },
      { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xffff }) },
    ).map((code) => String.fromCharCode(code));
    const piece = fc.oneof(
      fc.constantFrom("umh", "v1", "umh/v1", "_historian", "_analytics", "count", "state", "shift", "add", "..", "+", "#", "", "\u0000", "a", "A-b_9"),
      fc.string({ unit: charArb, maxLength: 8 }),
      levelArb,
    );
    const structured = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join("/"));
    const prefixed = structured.map((rest) => `umh/v1/${rest}`);
    // Mostly valid: asset levels and a known schema, sometimes with a stray piece spliced in.
    const plausible = fc
      .tuple(fc.array(levelArb, { maxLength: 8 }), fc.constantFrom("_historian", "_historian/a/b", "_analytics/count", "_local"), fc.option(fc.tuple(piece, fc.nat())))
      .map(([levels, schema, splice]) => {
        const segments = [...levels, schema];
        if (splice) segments.splice(splice[1] % (segments.length + 1), 0, splice[0]);
        return `umh/v1/${segments.join("/")}`;
      });
    const anyTopic = fc.oneof(fc.string({ unit: charArb, maxLength: 600 }), structured, prefixed, plausible);
    // Valid for both _historian forms, so that topic acceptance is what decides.
    const payload = bytes(JSON.stringify({ timestamp_ms: now, value: 1 }));
    fc.assert(
      fc.property(anyTopic, (topic) => {
        const result = parseUnsMessage(topic, payload, now);
        expectWellFormed(result);
        if (result.ok && result.originId !== undefined) expect(result.originId).toMatch(/^[A-Za-z0-9-][A-Za-z0-9_-]*$/);
      }),
      { numRuns },
    );
  });

  it("(4) round-trips any valid _historian message: exactly its metrics and values", () => {
    fc.assert(
      fc.property(fc.array(levelArb, { minLength: 1, maxLength: 6 }), timestampArb, metricsArb, (levels, timestamp, metrics) => {
        const payload = bytes(JSON.stringify({ timestamp_ms: timestamp, ...metrics }));
        const result = parseUnsMessage(`umh/v1/${levels.join("/")}/_historian`, payload, now);
        if (!result.ok) throw new Error(result.reason);
        const path = levels.slice(0, 5).join("/");
        expect(result.originId).toBe(levels[5]);
        expect(result.records.every((record) => record.kind === "sample" && record.path === path && record.time === timestamp)).toBe(true);
        const received = result.records.map((record): [string, unknown] => (record.kind === "sample" ? [record.metric, record.value] : ["", undefined]));
        expect(received.sort(byName)).toEqual(flatten(metrics).sort(byName));
      }),
      { numRuns },
    );
  });

  it("(5) rejects __proto__, constructor and prototype keys anywhere, written plainly or escaped", () => {
    const injection = fc.record({
      key: fc.constantFrom(...forbiddenKeys),
      value: fc.oneof(fc.constant<unknown>({ polluted: "yes" }), fc.jsonValue({ maxDepth: 2 })),
      depth: fc.nat(2),
      escaped: fc.boolean(),
      topic: fc.constantFrom(`${machine}/_historian`, `${machine}/_analytics/count`, `${machine}/_historian/spindle/x`),
    });
    fc.assert(
      fc.property(timestampArb, metricsArb, injection, (timestamp, metrics, { key, value, depth, escaped, topic }) => {
        const body: Record<string, unknown> = { timestamp_ms: timestamp, count: 1, value: 1, ...metrics };
        // Walk down to an existing nested object, or make one, to place the key at that depth.
        let target = body;
        for (let level = 0; level < depth; level += 1) {
          const nested: Record<string, unknown> = {};
          target[`nested${level}`] = nested;
          target = nested;
        }
        // defineProperty: an assignment to "__proto__" would set the prototype instead of a key.
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
        let text = JSON.stringify(body);
        expect(text).toContain(`"${key}":`);
        if (escaped) text = text.replaceAll(`"${key}"`, `"\\u${key.charCodeAt(0).toString(16).padStart(4, "0")}${key.slice(1)}"`);
        const result = parseUnsMessage(topic, bytes(text), now);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toContain(`"${key}"`);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns },
    );
  });
});
