import { describe, expect, it } from "vitest";
import { ingestLimits } from "../records";
import { decodeSparkplugPayload, encodeSparkplugPayload, spbDataType } from "./codec";
import { encodeData, encodeDBirth, encodeDDeath, encodeNBirth, encodeNDeath, sparkplugTopic, type TMetricSpec } from "./encode";
import { SparkplugHost, toMetricName, type THostResult, type TSparkplugCommand } from "./host";

const T = Date.UTC(2025, 5, 2, 8, 0, 0);
const group = "plant1";
const edge = "line1";
const device = "press3";
const topics = {
  nbirth: sparkplugTopic(group, "NBIRTH", edge),
  ndata: sparkplugTopic(group, "NDATA", edge),
  ndeath: sparkplugTopic(group, "NDEATH", edge),
  dbirth: sparkplugTopic(group, "DBIRTH", edge, device),
  ddata: sparkplugTopic(group, "DDATA", edge, device),
  ddeath: sparkplugTopic(group, "DDEATH", edge, device),
};

const nodeMetrics: TMetricSpec[] = [
  { name: "Inputs/Temperature", alias: 1, type: "Double", value: 71.5, timestamp: T },
  { name: "Properties/Hardware Make", alias: 2, type: "String", value: "Acme", timestamp: T },
  { name: "Node Control/Scan Rate", alias: 3, type: "Int32", value: 1000, timestamp: T },
  { name: "Good Parts", alias: 4, type: "UInt32", value: 10, timestamp: T },
];
const deviceMetrics: TMetricSpec[] = [
  { name: "Spindle/Speed", alias: 10, type: "Int32", value: 1200, timestamp: T },
  { name: "Running", alias: 11, type: "Boolean", value: true, timestamp: T },
];

function newHost(options: { reorderTimeoutMs?: number } = {}) {
  return new SparkplugHost({ hostId: "shopfloor", reorderTimeoutMs: 2_000, ...options });
}

/** A host that has seen NBIRTH (seq 0, bdSeq 3) and the device's DBIRTH (seq 1). */
function bornHost(options: { reorderTimeoutMs?: number } = {}) {
  const host = newHost(options);
  const nbirth = host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 3, seq: 0, metrics: nodeMetrics }), T);
  const dbirth = host.handle(topics.dbirth, encodeDBirth({ timestamp: T, seq: 1, metrics: deviceMetrics }), T);
  return { host, nbirth, dbirth };
}

function ndata(seq: number, metrics: TMetricSpec[] = [{ alias: 1, type: "Double", value: 72, timestamp: T + seq }]) {
  return encodeData({ timestamp: T + seq, seq, metrics });
}

function expectRebirth(commands: TSparkplugCommand[], atMs: number) {
  expect(commands).toHaveLength(1);
  const [command] = commands;
  expect(command?.topic).toBe(`spBv1.0/${group}/NCMD/${edge}`);
  expect(command?.qos).toBe(0);
  expect(command?.retain).toBe(false);
  const payload = decodeSparkplugPayload(command?.payload ?? Buffer.alloc(0));
  expect(payload.seq).toBeUndefined();
  expect(payload.timestamp).toBe(BigInt(atMs));
  expect(payload.metrics).toHaveLength(1);
  expect(payload.metrics[0]).toMatchObject({ name: "Node Control/Rebirth", datatype: spbDataType.Boolean, value: { kind: "boolean", value: true } });
}

function expectQuarantine(result: THostResult, reason: string | RegExp) {
  expect(result.records).toEqual([]);
  if (typeof reason === "string") expect(result.quarantine?.reason).toBe(reason);
  else expect(result.quarantine?.reason).toMatch(reason);
}

describe("SparkplugHost births and data", () => {
  it("stores birth values under mapped names and resolves alias-only data to the declared names", () => {
    const { host, nbirth, dbirth } = bornHost();
    expect(nbirth.quarantine).toBeUndefined();
    expect(nbirth.records).toEqual([
      { kind: "sample", path: "plant1/line1", metric: "Inputs.Temperature", time: T, value: 71.5 },
      { kind: "sample", path: "plant1/line1", metric: "Good_Parts", time: T, value: 10 },
    ]);
    expect(dbirth.records).toEqual([
      { kind: "sample", path: "plant1/line1/press3", metric: "Spindle.Speed", time: T, value: 1200 },
      { kind: "sample", path: "plant1/line1/press3", metric: "Running", time: T, value: true },
    ]);

    const node = host.handle(topics.ndata, encodeData({ timestamp: T + 5, seq: 2, metrics: [
      { alias: 1, type: "Double", value: 73.25, timestamp: T + 3 },
      { alias: 4, type: "UInt32", value: 11 },
    ] }), T + 10);
    expect(node.quarantine).toBeUndefined();
    expect(node.records).toEqual([
      { kind: "sample", path: "plant1/line1", metric: "Inputs.Temperature", time: T + 3, value: 73.25 },
      // No metric timestamp: the payload's.
      { kind: "sample", path: "plant1/line1", metric: "Good_Parts", time: T + 5, value: 11 },
    ]);
    expect(node.commands).toEqual([]);

    const dev = host.handle(topics.ddata, encodeData({ timestamp: T + 20, seq: 3, metrics: [{ alias: 10, type: "Int32", value: -5, timestamp: T + 20 }] }), T + 20);
    expect(dev.records).toEqual([{ kind: "sample", path: "plant1/line1/press3", metric: "Spindle.Speed", time: T + 20, value: -5 }]);
  });

  it("accepts metrics by name when the edge node uses no aliases", () => {
    const host = newHost();
    host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [{ name: "Flow Rate", type: "Float", value: 1.5, timestamp: T }] }), T);
    const result = host.handle(topics.ndata, encodeData({ timestamp: T, seq: 1, metrics: [{ name: "Flow Rate", type: "Float", value: 2.5 }] }), T);
    expect(result.records).toEqual([{ kind: "sample", path: "plant1/line1", metric: "Flow_Rate", time: T, value: 2.5 }]);
  });

  it("uses the configured path mapping", () => {
    const host = new SparkplugHost({ hostId: "h1", mapPath: (g, e, d) => ["acme", g, e, ...(d ? [d] : [])].join("/") });
    host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: nodeMetrics }), T);
    const result = host.handle(topics.dbirth, encodeDBirth({ timestamp: T, seq: 1, metrics: deviceMetrics }), T);
    expect(result.records.map((record) => record.path)).toEqual(["acme/plant1/line1/press3", "acme/plant1/line1/press3"]);
  });

  it("reads every scalar datatype, including negative narrow integers in both encodings", () => {
    const host = newHost();
    const metrics: TMetricSpec[] = [
      { name: "i8", alias: 1, type: "Int8", value: -1 },
      { name: "i16", alias: 2, type: "Int16", value: -300 },
      { name: "i32", alias: 3, type: "Int32", value: -70_000 },
      { name: "i64", alias: 4, type: "Int64", value: -5n },
      { name: "u8", alias: 5, type: "UInt8", value: 255 },
      { name: "u16", alias: 6, type: "UInt16", value: 65_535 },
      { name: "u32", alias: 7, type: "UInt32", value: 4_294_967_295 },
      { name: "u64", alias: 8, type: "UInt64", value: 2n ** 53n - 1n },
      { name: "f", alias: 9, type: "Float", value: 0.5 },
      { name: "d", alias: 10, type: "Double", value: -1e-3 },
      { name: "b", alias: 11, type: "Boolean", value: false },
      { name: "s", alias: 12, type: "String", value: "héllo" },
      { name: "t", alias: 13, type: "Text", value: "long text" },
      { name: "when", alias: 14, type: "DateTime", value: T - 1000 },
    ];
    const result = host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics }), T);
    expect(result.quarantine).toBeUndefined();
    expect(Object.fromEntries(result.records.map((record) => [record.kind === "sample" ? record.metric : "", record.kind === "sample" ? record.value : null]))).toEqual({
      i8: -1, i16: -300, i32: -70_000, i64: -5, u8: 255, u16: 65_535, u32: 4_294_967_295, u64: 2 ** 53 - 1,
      f: 0.5, d: -1e-3, b: false, s: "héllo", t: "long text", when: T - 1000,
    });

    // Int8 -1 as its own 8-bit two's complement (0xFF) instead of sign-extended to 32 bits.
    const narrow = encodeSparkplugPayload({ timestamp: T, seq: 1, metrics: [{ alias: 1n, value: { kind: "int", value: 0xff } }] });
    expect(host.handle(topics.ndata, narrow, T).records).toEqual([{ kind: "sample", path: "plant1/line1", metric: "i8", time: T, value: -1 }]);
    // UInt32 in long_value, as Tahu's JavaScript encoder sends it.
    const long = encodeSparkplugPayload({ timestamp: T, seq: 2, metrics: [{ alias: 7n, value: { kind: "long", value: 7 } }] });
    expect(host.handle(topics.ndata, long, T).records).toEqual([{ kind: "sample", path: "plant1/line1", metric: "u32", time: T, value: 7 }]);
  });

  it("skips bdSeq, Node Control/*, Properties/* and is_null metrics", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndata, ndata(2, [
      { alias: 2, type: "String", value: "Other" },
      { alias: 3, type: "Int32", value: 500 },
      { alias: 1, type: "Double", value: null },
    ]), T);
    expect(result).toMatchObject({ records: [], commands: [] });
    expect(result.quarantine).toBeUndefined();
  });

  it("maps Sparkplug names and refuses those that cannot become metric names", () => {
    expect(toMetricName("Inputs/Temperature")).toBe("Inputs.Temperature");
    expect(toMetricName("Line 1/Motor Speed")).toBe("Line_1.Motor_Speed");
    expect(toMetricName("Temp (°C)")).toBeUndefined();
    expect(toMetricName("/leading")).toBeUndefined();
    expect(toMetricName("a//b")).toBeUndefined();

    const host = newHost();
    const result = host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [
      { name: "Temp (°C)", alias: 1, type: "Double", value: 20, timestamp: T },
      { name: "Motor Speed", alias: 2, type: "Double", value: 1, timestamp: T },
      { name: "Motor_Speed", alias: 3, type: "Double", value: 2, timestamp: T },
    ] }), T);
    expect(result.records).toEqual([{ kind: "sample", path: "plant1/line1", metric: "Motor_Speed", time: T, value: 1 }]);
    expect(result.notes?.join("\n")).toContain('"Temp (°C)" (no valid metric name after mapping)');
    expect(result.notes?.join("\n")).toContain('"Motor_Speed" (maps to "Motor_Speed" like "Motor Speed")');
  });
});

describe("SparkplugHost seq tracking", () => {
  it("treats the wrap 255 → 0 as in order", () => {
    const { host } = bornHost();
    for (let seq = 2; seq <= 255 + 3; seq++) {
      const result = host.handle(topics.ndata, ndata(seq % 256), T + seq);
      expect(result.quarantine).toBeUndefined();
      expect(result.commands).toEqual([]);
      expect(result.notes ?? []).toEqual([]);
    }
    expect(host.tick(T + 60_000)).toEqual([]);
  });

  it("requests exactly one rebirth when a gap outlives the reorder timeout", () => {
    const { host } = bornHost();
    host.handle(topics.ndata, ndata(2), T);
    const gap = host.handle(topics.ndata, ndata(4), T + 100);
    // The message after the gap is valid data: stored.
    expect(gap.records).toHaveLength(1);
    expect(gap.commands).toEqual([]);
    expect(gap.notes?.[0]).toMatch(/seq gap at plant1\/line1: 1 message/);

    expect(host.tick(T + 100 + 1_999)).toEqual([]);
    expectRebirth(host.tick(T + 100 + 2_000), T + 2_100);
    expect(host.tick(T + 100 + 2_001)).toEqual([]);
    expect(host.tick(T + 100 + 10_000)).toEqual([]);
  });

  it("cancels the rebirth when the missing seq arrives within the timeout", () => {
    const { host } = bornHost();
    host.handle(topics.ndata, ndata(2), T);
    host.handle(topics.ndata, ndata(4), T + 100);
    const late = host.handle(topics.ndata, ndata(3), T + 1_500);
    expect(late.records).toHaveLength(1);
    expect(late.commands).toEqual([]);
    expect(host.tick(T + 5_000)).toEqual([]);
  });

  it("does not treat a redelivered seq as a gap", () => {
    const { host } = bornHost();
    host.handle(topics.ndata, ndata(2), T);
    host.handle(topics.ndata, ndata(3), T);
    const again = host.handle(topics.ndata, ndata(3), T + 1);
    const older = host.handle(topics.ndata, ndata(2), T + 2);
    expect(again.records).toHaveLength(1);
    expect(older.records).toHaveLength(1);
    host.handle(topics.ndata, ndata(4), T + 3);
    expect(host.tick(T + 60_000)).toEqual([]);
  });

  it("counts DBIRTH, DDATA and DDEATH in the node's seq stream", () => {
    const { host } = bornHost();
    host.handle(topics.ddata, encodeData({ timestamp: T, seq: 2, metrics: [{ alias: 10, type: "Int32", value: 1 }] }), T);
    host.handle(topics.ddeath, encodeDDeath({ timestamp: T, seq: 3 }), T);
    host.handle(topics.ndata, ndata(4), T);
    expect(host.tick(T + 60_000)).toEqual([]);
  });

  it("requests a rebirth at once for a seq that cannot be placed in the stream", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndata, ndata(200), T);
    expect(result.records).toHaveLength(1);
    expectRebirth(result.commands, T);
  });

  it("a new NBIRTH clears pending gaps", () => {
    const { host } = bornHost();
    host.handle(topics.ndata, ndata(5), T);
    host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 3, metrics: nodeMetrics }), T + 10);
    expect(host.tick(T + 60_000)).toEqual([]);
  });
});

describe("SparkplugHost rebirth requests", () => {
  it("quarantines an unknown alias and requests a rebirth", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndata, ndata(2, [{ alias: 1, type: "Double", value: 1 }, { alias: 99, type: "Double", value: 2 }]), T);
    expectQuarantine(result, "unknown alias 99 for plant1/line1");
    expectRebirth(result.commands, T);
  });

  it("quarantines data before any birth and requests a rebirth", () => {
    const host = newHost();
    const result = host.handle(topics.ndata, ndata(7), T);
    expectQuarantine(result, /^NDATA for plant1\/line1 arrived before an NBIRTH.*not stored under a guessed name/);
    expectRebirth(result.commands, T);

    const device = host.handle(topics.ddata, ndata(8), T + 5_000);
    expectQuarantine(device, /^DDATA for plant1\/line1\/press3 arrived before an NBIRTH/);
    expectRebirth(device.commands, T + 5_000);
  });

  it("quarantines DDATA for a device without DBIRTH", () => {
    const host = newHost();
    host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: nodeMetrics }), T);
    const result = host.handle(topics.ddata, encodeData({ timestamp: T, seq: 1, metrics: [{ alias: 10, type: "Int32", value: 1 }] }), T);
    expectQuarantine(result, "DDATA for plant1/line1/press3 arrived before its DBIRTH; not stored under a guessed name");
    expectRebirth(result.commands, T);
  });

  it("sends at most one rebirth per node per reorder timeout, and the held-back one from tick()", () => {
    const host = newHost();
    expectRebirth(host.handle(topics.ndata, ndata(1), T).commands, T);
    const second = host.handle(topics.ndata, ndata(2), T + 500);
    expect(second.commands).toEqual([]);
    expect(second.notes?.join("\n")).toMatch(/held back/);
    expect(host.tick(T + 1_999)).toEqual([]);
    expectRebirth(host.tick(T + 2_000), T + 2_000);
    expect(host.tick(T + 10_000)).toEqual([]);
  });

  it("requests a rebirth when a DATA metric's datatype contradicts its birth", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndata, ndata(2, [{ alias: 1, type: "String", value: "x", includeDatatype: true }]), T);
    expectQuarantine(result, /sent as String but its birth declared Double/);
    expectRebirth(result.commands, T);
  });
});

describe("SparkplugHost deaths", () => {
  it("ignores a stale NDEATH whose bdSeq is older than the current NBIRTH's", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndeath, encodeNDeath({ bdSeq: 2 }), T + 50);
    expect(result).toMatchObject({ records: [], commands: [] });
    expect(result.stale).toBeUndefined();
    expect(result.quarantine).toBeUndefined();
    expect(result.notes?.[0]).toMatch(/stale NDEATH for plant1\/line1 ignored: bdSeq 2/);
    expect(host.handle(topics.ndata, ndata(2), T + 60).records).toHaveLength(1);
  });

  it("marks node and device paths stale on a matching NDEATH, then requires a new birth", () => {
    const { host } = bornHost();
    const death = host.handle(topics.ndeath, encodeNDeath({ bdSeq: 3 }), T + 1_000);
    expect(death.stale).toEqual([{ path: "plant1/line1", at: T + 1_000 }, { path: "plant1/line1/press3", at: T + 1_000 }]);
    expect(death.records).toEqual([]);

    const dev = host.handle(topics.ddata, encodeData({ timestamp: T, seq: 2, metrics: [{ alias: 10, type: "Int32", value: 1 }] }), T + 1_100);
    expectQuarantine(dev, /^DDATA for plant1\/line1\/press3 arrived before an NBIRTH/);
    expectRebirth(dev.commands, T + 1_100);

    // The will of the same session delivered after an explicit NDEATH: nothing left to kill.
    const again = host.handle(topics.ndeath, encodeNDeath({ bdSeq: 3 }), T + 1_200);
    expect(again.stale).toBeUndefined();
    expect(again.notes?.[0]).toMatch(/ignored/);

    // A new session works again.
    host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 4, metrics: nodeMetrics }), T + 2_000);
    expect(host.handle(topics.ndata, ndata(1), T + 2_001).records).toHaveLength(1);
  });

  it("marks a device stale on DDEATH and then requires its DBIRTH", () => {
    const { host } = bornHost();
    const death = host.handle(topics.ddeath, encodeDDeath({ timestamp: T, seq: 2 }), T + 10);
    expect(death.stale).toEqual([{ path: "plant1/line1/press3", at: T + 10 }]);
    const dev = host.handle(topics.ddata, encodeData({ timestamp: T, seq: 3, metrics: [{ alias: 10, type: "Int32", value: 1 }] }), T + 20);
    expectQuarantine(dev, /before its DBIRTH/);
    // The node itself is still online.
    expect(host.handle(topics.ndata, ndata(4), T + 30).records).toHaveLength(1);
  });

  it("quarantines an NDEATH without bdSeq", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndeath, encodeSparkplugPayload({ metrics: [] }), T);
    expectQuarantine(result, "NDEATH for plant1/line1 has no bdSeq metric");
  });
});

describe("SparkplugHost special metrics", () => {
  it("stores is_historical metrics at their own time, flagged historical, and lists them in notes", () => {
    const { host } = bornHost();
    const result = host.handle(topics.ndata, ndata(2, [
      { alias: 1, type: "Double", value: 60, timestamp: T - 3_600_000, isHistorical: true },
      { alias: 4, type: "UInt32", value: 12, timestamp: T + 2 },
    ]), T + 2);
    expect(result.records).toEqual([
      { kind: "sample", path: "plant1/line1", metric: "Inputs.Temperature", time: T - 3_600_000, value: 60, historical: true },
      { kind: "sample", path: "plant1/line1", metric: "Good_Parts", time: T + 2, value: 12 },
    ]);
    expect(result.notes).toEqual(["is_historical at plant1/line1: Inputs.Temperature (back-filled; must not change current values)"]);
  });

  it("skips DataSet, Bytes and array values with a note and keeps the rest of the message", () => {
    const host = newHost();
    const result = host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [
      { name: "Recipe", alias: 1, type: "DataSet", value: { columns: ["step", "temp"], types: ["Int32", "Double"], rows: [[1, 20.5], [2, 30.25]] }, timestamp: T },
      { name: "Image", alias: 2, type: "Bytes", value: new Uint8Array([1, 2, 3]), timestamp: T },
      { name: "Speed", alias: 3, type: "Double", value: 3.5, timestamp: T },
    ] }), T);
    expect(result.quarantine).toBeUndefined();
    expect(result.records).toEqual([{ kind: "sample", path: "plant1/line1", metric: "Speed", time: T, value: 3.5 }]);
    expect(result.notes).toEqual(['NBIRTH for plant1/line1: values not stored for "Recipe" (DataSet values are not stored), "Image" (Bytes values are not stored)']);

    const array = encodeSparkplugPayload({ timestamp: T, seq: 0, metrics: [
      { name: "bdSeq", datatype: spbDataType.Int64, value: { kind: "long", value: 1 } },
      { name: "Samples", datatype: spbDataType.Int32Array, value: { kind: "bytes", value: new Uint8Array(8) } },
    ] });
    expect(newHost().handle(topics.nbirth, array, T).notes?.[0]).toContain('"Samples" (Int32Array values are not stored)');
  });

  it("does not store is_transient metrics", () => {
    const host = newHost();
    const result = host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [{ name: "Debug", alias: 1, type: "Int32", value: 1, timestamp: T, isTransient: true }] }), T);
    expect(result.records).toEqual([]);
    expect(result.notes?.join()).toMatch(/is_transient metrics not stored: Debug/);
    expect(host.handle(topics.ndata, ndata(1, [{ alias: 1, type: "Int32", value: 2 }]), T).records).toEqual([]);
  });
});

describe("SparkplugHost bad input", () => {
  it("quarantines the whole message when one float is not finite", () => {
    const { host } = bornHost();
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const result = host.handle(topics.ndata, ndata(2, [{ alias: 4, type: "UInt32", value: 1 }, { alias: 1, type: "Double", value }]), T);
      expectQuarantine(result, /metric "Inputs\/Temperature" is not a finite number/);
    }
    expectQuarantine(host.handle(topics.ndata, ndata(3, [{ alias: 1, type: "Double", value: 1e308 }]), T), /beyond the accepted magnitude/);
  });

  it("quarantines 64-bit integers that a number cannot hold exactly", () => {
    const host = newHost();
    const result = host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [
      { name: "Counter", alias: 1, type: "UInt64", value: 2n ** 63n, timestamp: T },
    ] }), T);
    expectQuarantine(result, /metric "Counter" value 9223372036854775808 is beyond 2\^53−1.*declarations were accepted/);
    // The declarations stand, so later data is still readable.
    expect(host.handle(topics.ndata, ndata(1, [{ alias: 1, type: "UInt64", value: 5 }]), T).records).toEqual([
      { kind: "sample", path: "plant1/line1", metric: "Counter", time: T + 1, value: 5 },
    ]);
  });

  it("quarantines out-of-range narrow integers and values in the wrong field", () => {
    const { host } = bornHost();
    const tooBig = encodeSparkplugPayload({ timestamp: T, seq: 2, metrics: [{ alias: 10n, value: { kind: "long", value: 2 ** 40 } }] });
    expectQuarantine(host.handle(topics.ddata, tooBig, T), /metric "Spindle\/Speed" value 1099511627776 is out of range for Int32/);
    const narrow = newHost();
    narrow.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [{ name: "small", alias: 1, type: "UInt8", value: 1, timestamp: T }] }), T);
    expectQuarantine(narrow.handle(topics.ndata, encodeSparkplugPayload({ timestamp: T, seq: 1, metrics: [{ alias: 1n, value: { kind: "int", value: 256 } }] }), T), /value 256 is out of range for UInt8/);
    const wrong = encodeSparkplugPayload({ timestamp: T, seq: 3, metrics: [{ alias: 11n, value: { kind: "string", value: "yes" } }] });
    expectQuarantine(host.handle(topics.ddata, wrong, T), /"Running" is declared Boolean but carries a string value/);
  });

  it("quarantines timestamps before 2000, in seconds, or too far in the future", () => {
    const { host } = bornHost();
    expectQuarantine(host.handle(topics.ndata, ndata(2, [{ alias: 1, type: "Double", value: 1, timestamp: Math.floor(T / 1000) }]), T),
      /timestamp 1748851200 is before 2000-01-01T00:00:00Z — seconds instead of milliseconds\?/);
    expectQuarantine(host.handle(topics.ndata, ndata(3, [{ alias: 1, type: "Double", value: 1, timestamp: 0 }]), T), /timestamp 0 is before 2000/);
    expectQuarantine(host.handle(topics.ndata, ndata(4, [{ alias: 1, type: "Double", value: 1, timestamp: T + ingestLimits.maxFutureSkewMs + 1 }]), T), /ahead of the receiving clock/);
    const noTime = encodeSparkplugPayload({ seq: 5, metrics: [{ alias: 1n, value: { kind: "double", value: 1 } }] });
    expectQuarantine(host.handle(topics.ndata, noTime, T), /has no timestamp and neither has the payload/);
    const badPayloadTime = encodeSparkplugPayload({ timestamp: 5, seq: 6, metrics: [{ alias: 1n, timestamp: T, value: { kind: "double", value: 1 } }] });
    expectQuarantine(host.handle(topics.ndata, badPayloadTime, T), /payload timestamp 5 is before 2000/);
  });

  it("quarantines truncated and garbage protobuf without throwing", () => {
    const { host } = bornHost();
    const valid = ndata(2);
    expectQuarantine(host.handle(topics.ndata, valid.subarray(0, valid.length - 3), T), /^payload is not a valid Sparkplug B protobuf/);
    expectQuarantine(host.handle(topics.nbirth, Buffer.from([0x12, 0xff, 0xff, 0xff]), T), /^payload is not a valid Sparkplug B protobuf/);
    expectQuarantine(host.handle(topics.nbirth, Buffer.alloc(0), T), "NBIRTH for plant1/line1 has no seq");
  });

  it("quarantines payloads over the size cap and messages with too many metrics", () => {
    const host = newHost();
    expectQuarantine(host.handle(topics.nbirth, Buffer.alloc(ingestLimits.maxPayloadBytes + 1), T), /payload is \d+ bytes; the limit/);
    const many = encodeSparkplugPayload({ timestamp: T, seq: 0, metrics: Array.from({ length: ingestLimits.maxMetricsPerMessage + 1 }, (_, index) => ({ name: `m${index}`, datatype: spbDataType.Int32, value: { kind: "int" as const, value: 1 } })) });
    expectQuarantine(host.handle(topics.nbirth, many, T), /1001 metrics in one message/);
  });

  it("refuses malformed births whole", () => {
    const host = newHost();
    expectQuarantine(host.handle(topics.nbirth, encodeSparkplugPayload({ timestamp: T, seq: 0, metrics: [{ name: "x", datatype: 3, value: { kind: "int", value: 1 } }] }), T),
      "NBIRTH for plant1/line1 has no bdSeq metric");
    expectQuarantine(host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [
      { name: "a", alias: 1, type: "Int32", value: 1 }, { name: "b", alias: 1, type: "Int32", value: 2 },
    ] }), T), /alias 1 is declared for both "a" and "b"/);
    expectQuarantine(host.handle(topics.nbirth, encodeSparkplugPayload({ timestamp: T, seq: 0, metrics: [
      { name: "bdSeq", datatype: spbDataType.Int64, value: { kind: "long", value: 0 } }, { name: "x", datatype: 99, value: { kind: "int", value: 1 } },
    ] }), T), /metric "x" has unknown datatype 99/);
    expectQuarantine(host.handle(topics.nbirth, encodeSparkplugPayload({ timestamp: T, seq: 300, metrics: [] }), T), /seq 300, outside 0–255/);
    // None of those opened a session.
    expectQuarantine(host.handle(topics.ndata, ndata(1), T + 10_000), /arrived before an NBIRTH/);
  });

  it("rejects bad topics and ignores commands", () => {
    const host = newHost();
    const payload = ndata(1);
    expectQuarantine(host.handle("spBv1.0/plant 1/NDATA/line1", payload, T), /group_id "plant 1"/);
    expectQuarantine(host.handle("spBv1.0/plant1/NDATA/line1/extra", payload, T), /NDATA topic must be/);
    expectQuarantine(host.handle("spBv1.0/plant1/FOO/line1", payload, T), /unknown Sparkplug message type "FOO"/);
    expectQuarantine(host.handle("spBv1.0/plant1/NDATA/+", payload, T), /edge_node_id "\+"/);
    expectQuarantine(host.handle("spAv1.0/plant1/NDATA/line1", payload, T), /must start with "spBv1.0\/"/);
    expectQuarantine(host.handle(`spBv1.0/plant1/NDATA/${"x".repeat(600)}`, payload, T), /characters long/);
    expect(host.handle(sparkplugTopic(group, "NCMD", edge), payload, T)).toEqual({ records: [], commands: [] });
    expect(host.handle(sparkplugTopic(group, "DCMD", edge, device), Buffer.from("junk"), T)).toEqual({ records: [], commands: [] });
  });

  it("quarantines when the path mapping throws", () => {
    const host = new SparkplugHost({ hostId: "h", mapPath: () => { throw new Error("no rule for plant1"); } });
    expectQuarantine(host.handle(topics.nbirth, encodeNBirth({ timestamp: T, bdSeq: 0, metrics: [] }), T), /asset path mapping failed for plant1\/line1: no rule for plant1/);
  });
});

describe("SparkplugHost STATE", () => {
  it("builds the STATE will and birth with one timestamp, QoS 1, retained", () => {
    const host = new SparkplugHost({ hostId: "shopfloor", now: () => T });
    const will = host.stateDeath();
    expect(will).toMatchObject({ topic: "spBv1.0/STATE/shopfloor", qos: 1, retain: true });
    expect(JSON.parse(will.payload.toString("utf8"))).toEqual({ online: false, timestamp: T });
    const birth = host.stateBirth(T + 5_000);
    expect(birth).toMatchObject({ topic: "spBv1.0/STATE/shopfloor", qos: 1, retain: true });
    expect(JSON.parse(birth.payload.toString("utf8"))).toEqual({ online: true, timestamp: T });
    // Without a prior will the birth uses the time given.
    expect(JSON.parse(new SparkplugHost({ hostId: "x" }).stateBirth(T + 7).payload.toString("utf8"))).toEqual({ online: true, timestamp: T + 7 });
  });

  it("subscribes to edge topics and its own STATE only", () => {
    expect(newHost().subscriptions()).toEqual(["spBv1.0/+/+/+", "spBv1.0/+/+/+/+", "spBv1.0/STATE/shopfloor"]);
  });

  it("republishes its birth when its own offline STATE arrives while online, and ignores other hosts", () => {
    const host = new SparkplugHost({ hostId: "shopfloor", now: () => T });
    host.stateDeath();
    host.stateBirth(T + 1);
    const oldWill = Buffer.from(JSON.stringify({ online: false, timestamp: T - 60_000 }));
    const result = host.handle("spBv1.0/STATE/shopfloor", oldWill, T + 10);
    expect(result.commands).toHaveLength(1);
    expect(JSON.parse(result.commands[0]?.payload.toString("utf8") ?? "")).toEqual({ online: true, timestamp: T });
    expect(host.handle("spBv1.0/STATE/other-host", oldWill, T + 10)).toEqual({ records: [], commands: [] });
    expect(host.handle("spBv1.0/STATE/shopfloor", Buffer.from(JSON.stringify({ online: true, timestamp: T })), T + 10).commands).toEqual([]);
    // After an intentional death the echo of our own offline STATE is expected.
    host.stateDeath(T + 100);
    expect(host.handle("spBv1.0/STATE/shopfloor", Buffer.from(JSON.stringify({ online: false, timestamp: T + 100 })), T + 110).commands).toEqual([]);
  });

  it("refuses an invalid host id", () => {
    expect(() => new SparkplugHost({ hostId: "a/b" })).toThrow(/host id/);
  });
});
