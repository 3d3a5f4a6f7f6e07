import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ingestLimits } from "../records";
import { encodeSparkplugPayload, type TDataSetCell, type TSpbMetricInput, type TSpbValueInput } from "./codec";
import { encodeData, encodeDBirth, encodeDDeath, encodeNBirth, encodeNDeath, sparkplugTopic, type TMetricSpec } from "./encode";
import { SparkplugHost, toMetricName, type THostResult } from "./host";

const T = Date.UTC(2025, 5, 2, 8, 0, 0);
const group = "g";
const edgeIds = ["e1", "e2"] as const;
const deviceIds = ["d1", "d2"] as const;

const allTopics = [
  ...edgeIds.flatMap((edge) => (["NBIRTH", "NDATA", "NDEATH", "NCMD"] as const).map((type) => sparkplugTopic(group, type, edge))),
  ...edgeIds.flatMap((edge) => deviceIds.flatMap((device) => (["DBIRTH", "DDATA", "DDEATH", "DCMD"] as const).map((type) => sparkplugTopic(group, type, edge, device)))),
  "spBv1.0/STATE/shopfloor",
  "spBv1.0/STATE/other",
];

/** What must hold for any result, whatever came in. */
function checkResult(result: THostResult, receivedAtMs: number) {
  expect(Array.isArray(result.records)).toBe(true);
  expect(Array.isArray(result.commands)).toBe(true);
  if (result.quarantine) {
    expect(result.records).toEqual([]);
    expect(typeof result.quarantine.reason).toBe("string");
    expect(result.quarantine.reason.length).toBeGreaterThan(0);
  }
  for (const record of result.records) {
    expect(record.kind).toBe("sample");
    if (record.kind !== "sample") continue;
    expect(record.metric).toMatch(/^[A-Za-z0-9_:.-]{1,200}$/);
    expect(Number.isSafeInteger(record.time)).toBe(true);
    expect(record.time).toBeGreaterThanOrEqual(ingestLimits.minTimestampMs);
    expect(record.time).toBeLessThanOrEqual(receivedAtMs + ingestLimits.maxFutureSkewMs);
    if (typeof record.value === "number") expect(Number.isFinite(record.value)).toBe(true);
    if (typeof record.value === "string") expect(record.value.length).toBeLessThanOrEqual(ingestLimits.maxStringValueLength);
  }
  for (const command of result.commands) {
    expect(command.topic).toMatch(/^spBv1\.0\/(g\/NCMD\/e[12]|STATE\/shopfloor)$/);
    expect(command.qos === 0 || command.qos === 1).toBe(true);
  }
}

function bornHost(): SparkplugHost {
  const host = new SparkplugHost({ hostId: "shopfloor" });
  host.stateDeath(T);
  host.stateBirth(T);
  for (const edge of edgeIds) {
    host.handle(sparkplugTopic(group, "NBIRTH", edge), encodeNBirth({ timestamp: T, bdSeq: 1, metrics: [{ name: "Speed", alias: 1, type: "Double", value: 1, timestamp: T }] }), T);
    for (const device of deviceIds) {
      host.handle(sparkplugTopic(group, "DBIRTH", edge, device), encodeDBirth({ timestamp: T, seq: 1, metrics: [{ name: "Count", alias: 2, type: "Int64", value: 1, timestamp: T }] }), T);
    }
  }
  return host;
}

describe("SparkplugHost with arbitrary input", () => {
  it("never throws on arbitrary bytes, on a fresh host or one with live sessions", () => {
    fc.assert(
      fc.property(fc.constantFrom(...allTopics), fc.uint8Array({ maxLength: 400 }), fc.boolean(), (topic, bytes, born) => {
        const host = born ? bornHost() : new SparkplugHost({ hostId: "shopfloor" });
        checkResult(host.handle(topic, Buffer.from(bytes), T), T);
        for (const command of host.tick(T + 10_000)) expect(command.topic).toMatch(/\/NCMD\//);
      }),
      { numRuns: 600 },
    );
  });

  it("never throws on arbitrary topics", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.string({ maxLength: 600 }).map((tail) => `spBv1.0/${tail}`)), (topic) => {
        checkResult(bornHost().handle(topic, Buffer.from([8, 1]), T), T);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on mutated or truncated valid payloads", () => {
    const valid = [
      { topic: sparkplugTopic(group, "NBIRTH", "e1"), payload: encodeNBirth({ timestamp: T, bdSeq: 2, metrics: [
        { name: "Inputs/Temperature", alias: 5, type: "Double", value: 20.5, timestamp: T },
        { name: "Recipe", alias: 6, type: "DataSet", value: { columns: ["a", "b"], types: ["Int32", "String"], rows: [[1, "x"]] }, timestamp: T },
        { name: "State", alias: 7, type: "String", value: "running", timestamp: T },
      ] }) },
      { topic: sparkplugTopic(group, "NDATA", "e1"), payload: encodeData({ timestamp: T, seq: 1, metrics: [{ alias: 1, type: "Double", value: 3, timestamp: T }] }) },
      { topic: sparkplugTopic(group, "DDATA", "e1", "d1"), payload: encodeData({ timestamp: T, seq: 1, metrics: [{ alias: 2, type: "Int64", value: -4, timestamp: T }] }) },
      { topic: sparkplugTopic(group, "NDEATH", "e1"), payload: encodeNDeath({ bdSeq: 1 }) },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        ({ topic, payload }, flips, cut) => {
          const bytes = Buffer.from(payload);
          for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
          const host = bornHost();
          checkResult(host.handle(topic, cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1)), T), T);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("never throws on structurally valid protobuf with arbitrary metric contents", () => {
    const cell: fc.Arbitrary<TDataSetCell> = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string({ maxLength: 5 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
    const value: fc.Arbitrary<TSpbValueInput> = fc.oneof(
      fc.record({ kind: fc.constant("int" as const), value: fc.integer({ min: 0, max: 0xffff_ffff }) }),
      fc.record({ kind: fc.constant("long" as const), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
      fc.record({ kind: fc.constant("float" as const), value: fc.float() }),
      fc.record({ kind: fc.constant("double" as const), value: fc.double() }),
      fc.record({ kind: fc.constant("boolean" as const), value: fc.boolean() }),
      fc.record({ kind: fc.constant("string" as const), value: fc.string({ unit: "binary", maxLength: 20 }) }),
      fc.record({ kind: fc.constant("bytes" as const), value: fc.uint8Array({ maxLength: 10 }) }),
      fc.record({
        kind: fc.constant("dataset" as const),
        columns: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
        types: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
        rows: fc.array(fc.array(cell, { maxLength: 3 }), { maxLength: 3 }),
      }),
      fc.record({ kind: fc.constant("template" as const), isDefinition: fc.boolean() }),
    );
    const metric: fc.Arbitrary<TSpbMetricInput> = fc.record(
      {
        name: fc.oneof(fc.constantFrom("bdSeq", "Speed", "Count", "Node Control/Rebirth", "Inputs/A", "a b"), fc.string({ unit: "binary", maxLength: 12 })),
        alias: fc.oneof(fc.bigInt({ min: 0n, max: 4n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
        timestamp: fc.oneof(fc.constant(T), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
        datatype: fc.integer({ min: 0, max: 40 }),
        isHistorical: fc.boolean(),
        isTransient: fc.boolean(),
        isNull: fc.boolean(),
        value,
      },
      { requiredKeys: [] },
    );
    const payload = fc.record(
      { timestamp: fc.oneof(fc.constant(T), fc.nat()), seq: fc.oneof(fc.integer({ min: 0, max: 300 })), metrics: fc.array(metric, { maxLength: 8 }) },
      { requiredKeys: ["metrics"] },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...allTopics), payload), { minLength: 1, maxLength: 6 }), fc.boolean(), (messages, born) => {
        const host = born ? bornHost() : new SparkplugHost({ hostId: "shopfloor" });
        messages.forEach(([topic, input], index) => {
          checkResult(host.handle(topic, encodeSparkplugPayload(input), T + index), T + index);
        });
        host.tick(T + 60_000);
      }),
      { numRuns: 400 },
    );
  });
});

// --- model-based: sessions, deaths and data in any order -------------------------------------------

/** Metric names an edge node may use; some cannot be Shopfloor metric names, some are metadata. */
const namePool = ["Inputs/Temperature", "Speed", "Motor Current", "Line 1/Count", "Temp (°C)", "Properties/Make", "Node Control/Scan Rate", "Motor_Current"];

type TDecl = { name: number; alias: number | null };
type TPick = { index: number; byName: boolean };
type TSeqMode = "next" | "skip" | "repeat" | "random";
type TOp =
  | { op: "nbirth"; edge: number; newBdSeq: boolean; decls: TDecl[]; seqMode: TSeqMode }
  | { op: "dbirth"; edge: number; device: number; decls: TDecl[]; seqMode: TSeqMode }
  | { op: "ndata"; edge: number; picks: TPick[]; unknownAlias: boolean; seqMode: TSeqMode }
  | { op: "ddata"; edge: number; device: number; picks: TPick[]; unknownAlias: boolean; seqMode: TSeqMode }
  | { op: "ndeath"; edge: number; bdSeqMode: "current" | "older" }
  | { op: "ddeath"; edge: number; device: number; seqMode: TSeqMode }
  | { op: "tick"; advanceMs: number };

const seqMode = fc.constantFrom<TSeqMode>("next", "next", "next", "skip", "repeat", "random");
const edgeIndex = fc.integer({ min: 0, max: edgeIds.length - 1 });
const deviceIndex = fc.integer({ min: 0, max: deviceIds.length - 1 });
const anyDecls = fc.array(fc.record({ name: fc.integer({ min: 0, max: namePool.length - 1 }), alias: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }) }), { maxLength: 5 });
/** Mostly valid births (unique names and aliases), sometimes refused ones. */
const decls = fc.oneof(
  { weight: 4, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: namePool.length - 1 }), { minLength: 1, maxLength: 5 }).chain((names) =>
    fc.tuple(fc.shuffledSubarray([1, 2, 3, 4, 5, 6], { minLength: names.length, maxLength: names.length }), fc.boolean()).map(([aliases, noAliases]) =>
      names.map((name, index) => ({ name, alias: noAliases ? null : (aliases[index] ?? null) })))) },
  { weight: 1, arbitrary: anyDecls },
);
const picks = fc.array(fc.record({ index: fc.nat(), byName: fc.boolean() }), { minLength: 1, maxLength: 4 });
const unknownAlias = fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const operation: fc.Arbitrary<TOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant("nbirth" as const), edge: edgeIndex, newBdSeq: fc.boolean(), decls, seqMode }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("dbirth" as const), edge: edgeIndex, device: deviceIndex, decls, seqMode }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("ndata" as const), edge: edgeIndex, picks, unknownAlias, seqMode }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("ddata" as const), edge: edgeIndex, device: deviceIndex, picks, unknownAlias, seqMode }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("ndeath" as const), edge: edgeIndex, bdSeqMode: fc.constantFrom("current" as const, "older" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("ddeath" as const), edge: edgeIndex, device: deviceIndex, seqMode }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("tick" as const), advanceMs: fc.integer({ min: 0, max: 5_000 }) }) },
);

/** The edge node's own view: the aliases and names of its latest births. */
type TSenderTable = { names: string[]; aliasOf: Map<string, number> };
type TSender = { seq: number; bdSeq: number; node: TSenderTable; devices: Map<string, TSenderTable> };

function toSpecs(table: TDecl[], time: number): { specs: TMetricSpec[]; sent: TSenderTable } {
  const sent: TSenderTable = { names: [], aliasOf: new Map() };
  const specs = table.map(({ name, alias }) => {
    const sparkplugName = namePool[name] ?? "Speed";
    sent.names.push(sparkplugName);
    if (alias !== null) sent.aliasOf.set(sparkplugName, alias);
    // The value is the name itself, so a record under any other name is visible.
    return { name: sparkplugName, ...(alias === null ? {} : { alias }), type: "String" as const, value: sparkplugName, timestamp: time };
  });
  return { specs, sent };
}

function dataSpecs(table: TSenderTable | undefined, chosen: TPick[], unknownAlias: boolean): TMetricSpec[] {
  const specs: TMetricSpec[] = [];
  if (table && table.names.length) {
    for (const { index, byName } of chosen) {
      const name = table.names[index % table.names.length] ?? "Speed";
      const alias = table.aliasOf.get(name);
      specs.push(alias !== undefined && !byName ? { alias, type: "String", value: name } : { name, type: "String", value: name });
    }
  }
  if (unknownAlias) specs.push({ alias: 1_000, type: "String", value: "nobody" });
  return specs;
}

function nextSeq(sender: TSender, mode: TSeqMode, random: number): number {
  if (mode === "repeat") return sender.seq;
  if (mode === "random") return random % 256;
  sender.seq = (sender.seq + (mode === "skip" ? 2 : 1)) % 256;
  return sender.seq;
}

const preludeDecls: TDecl[] = [{ name: 0, alias: 1 }, { name: 1, alias: 2 }, { name: 3, alias: 3 }];
const prelude: [TOp, number][] = edgeIds.flatMap((_, edge): [TOp, number][] => [
  [{ op: "nbirth", edge, newBdSeq: false, decls: preludeDecls, seqMode: "next" }, 0],
  ...deviceIds.map((_, device): [TOp, number] => [{ op: "dbirth", edge, device, decls: preludeDecls, seqMode: "next" }, 0]),
]);

describe("SparkplugHost with arbitrary session histories", () => {
  it("never throws and never stores a value under a name its birth did not give it", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(operation, fc.nat()), { minLength: 10, maxLength: 80 }), (generated) => {
        // Start from live sessions so that most generated DATA has something to resolve against.
        const ops: [TOp, number][] = [...prelude, ...generated];
        const host = new SparkplugHost({ hostId: "shopfloor", reorderTimeoutMs: 1_000 });
        const senders = new Map<string, TSender>(edgeIds.map((edge) => [edge, { seq: 0, bdSeq: 0, node: { names: [], aliasOf: new Map() }, devices: new Map() }]));
        /** Every mapped name ever declared in a birth, per path. */
        const declared = new Map<string, Set<string>>();
        let now = T;

        for (const [op, random] of ops) {
          now += 10;
          if (op.op === "tick") {
            now += op.advanceMs;
            for (const command of host.tick(now)) expect(command).toMatchObject({ qos: 0, retain: false });
            continue;
          }
          const edge = edgeIds[op.edge] ?? "e1";
          const sender = senders.get(edge);
          if (!sender) continue;
          let topic: string;
          let payload: Buffer;
          let path = `${group}/${edge}`;
          switch (op.op) {
            case "nbirth": {
              if (op.newBdSeq) sender.bdSeq = (sender.bdSeq + 1) % 256;
              sender.seq = 0;
              const { specs, sent } = toSpecs(op.decls, now);
              sender.node = sent;
              topic = sparkplugTopic(group, "NBIRTH", edge);
              payload = encodeNBirth({ timestamp: now, bdSeq: sender.bdSeq, seq: 0, metrics: specs });
              break;
            }
            case "dbirth": {
              const device = deviceIds[op.device] ?? "d1";
              const { specs, sent } = toSpecs(op.decls, now);
              sender.devices.set(device, sent);
              topic = sparkplugTopic(group, "DBIRTH", edge, device);
              payload = encodeDBirth({ timestamp: now, seq: nextSeq(sender, op.seqMode, random), metrics: specs });
              path = `${path}/${device}`;
              break;
            }
            case "ndata":
              topic = sparkplugTopic(group, "NDATA", edge);
              payload = encodeData({ timestamp: now, seq: nextSeq(sender, op.seqMode, random), metrics: dataSpecs(sender.node, op.picks, op.unknownAlias) });
              break;
            case "ddata": {
              const device = deviceIds[op.device] ?? "d1";
              topic = sparkplugTopic(group, "DDATA", edge, device);
              payload = encodeData({ timestamp: now, seq: nextSeq(sender, op.seqMode, random), metrics: dataSpecs(sender.devices.get(device), op.picks, op.unknownAlias) });
              path = `${path}/${device}`;
              break;
            }
            case "ndeath":
              topic = sparkplugTopic(group, "NDEATH", edge);
              payload = encodeNDeath({ bdSeq: op.bdSeqMode === "current" ? sender.bdSeq : (sender.bdSeq + 255) % 256 });
              break;
            case "ddeath": {
              const device = deviceIds[op.device] ?? "d1";
              topic = sparkplugTopic(group, "DDEATH", edge, device);
              payload = encodeDDeath({ timestamp: now, seq: nextSeq(sender, op.seqMode, random) });
              break;
            }
          }
          if (op.op === "nbirth" || op.op === "dbirth") {
            const names = declared.get(path) ?? new Set<string>();
            for (const { name } of op.decls) {
              const mapped = toMetricName(namePool[name] ?? "");
              if (mapped) names.add(mapped);
            }
            declared.set(path, names);
          }

          const result = host.handle(topic, payload, now);
          checkResult(result, now);
          if ("unknownAlias" in op && op.unknownAlias) expect(result.records).toEqual([]);
          for (const record of result.records) {
            if (record.kind !== "sample") continue;
            expect(record.path).toBe(path);
            expect(declared.get(path)?.has(record.metric)).toBe(true);
            // The sender put the Sparkplug name in the value: it must match the stored name.
            expect(typeof record.value).toBe("string");
            expect(toMetricName(String(record.value))).toBe(record.metric);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
