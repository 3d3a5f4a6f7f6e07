import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseUnsMessage } from "../ingest/parse-uns";
import type { TCountRecord, TIngestRecord, TSampleRecord, TStateRecord } from "../ingest/records";
import { decodeSparkplugPayload, type TSpbPayload } from "../ingest/sparkplug/codec";
import { encodeRebirthRequest } from "../ingest/sparkplug/encode";
import { SparkplugHost } from "../ingest/sparkplug/host";
import { standardStates } from "../seed/demo-plant";
import { stateCode } from "./machine-model";
import { checkSeqs, seqsBySource } from "./oracle";
import { bearingFaultPath, PlantModel, sparkplugNode, type TPlantOptions } from "./plant-model";
import type { TSimMessage } from "./sim-message";
import { simSeqMetric } from "./sparkplug-edge";

const minute = 60_000;
const hour = 60 * minute;
/** 2025-11-25 08:00 in Detroit (EST, UTC−5): two hours into the morning shift. */
const start = Date.UTC(2025, 10, 25, 13, 0);

/** Runs the plant like the CLI does: births first, then steps of `stepMs` simulated time. */
function simulate(options: Partial<TPlantOptions>, durationMs: number, stepMs = 1_000): { model: PlantModel; messages: TSimMessage[] } {
  const model = new PlantModel({ seed: 42, startMs: start, ...options });
  const messages: TSimMessage[] = [];
  if (model.sparkplug) {
    model.sparkplug.nextConnection();
    messages.push(...model.sparkplug.births(start));
  }
  for (let t = start; t <= start + durationMs; t += stepMs) messages.push(...model.step(t));
  return { model, messages };
}

function digest(messages: TSimMessage[]): string {
  const hash = createHash("sha256");
  for (const message of messages) hash.update(`${message.topic}\u0000${message.qos}\u0000`).update(message.payload).update("\u0001");
  return hash.digest("hex");
}

function json(message: TSimMessage): Record<string, unknown> {
  return JSON.parse(message.payload.toString("utf8")) as Record<string, unknown>;
}

function unsRecords(messages: TSimMessage[]): TIngestRecord[] {
  return messages.filter((message) => message.topic.startsWith("umh/")).flatMap((message) => {
    const result = parseUnsMessage(message.topic, message.payload, message.time);
    if (!result.ok) throw new Error(`${message.topic}: ${result.reason}`);
    return result.records;
  });
}

function samplesOf(records: TIngestRecord[], path: string, metric: string): TSampleRecord[] {
  return records.filter((record): record is TSampleRecord => record.kind === "sample" && record.path === path && record.metric === metric);
}

function statesOf(records: TIngestRecord[], path: string): TStateRecord[] {
  return records.filter((record): record is TStateRecord => record.kind === "state" && record.path === path);
}

function countsOf(records: TIngestRecord[], path: string): TCountRecord[] {
  return records.filter((record): record is TCountRecord => record.kind === "count" && record.path === path);
}

const press1Path = "acme/detroit/press-shop/line-1/press-1";

const validStates = new Set([...standardStates.map((state) => state.code), stateCode.hydraulicLeak]);

describe("plant model: determinism", () => {
  it("gives a byte-identical stream for the same seed and a different one for another seed", () => {
    const first = simulate({ seed: 42 }, 30 * minute).messages;
    const again = simulate({ seed: 42 }, 30 * minute).messages;
    const other = simulate({ seed: 43 }, 30 * minute).messages;
    expect(first.length).toBeGreaterThan(10_000);
    expect(digest(again)).toBe(digest(first));
    expect(digest(other)).not.toBe(digest(first));
  });

  it("does not depend on how finely time is stepped (a late timer tick changes nothing)", () => {
    const fine = simulate({}, 20 * minute, 1_000).messages;
    const coarse = simulate({}, 20 * minute, 60_000).messages;
    expect(digest(coarse)).toBe(digest(fine));
  });

  it("keeps the demo machines' streams when extra machines are added", () => {
    const demoOnly = (messages: TSimMessage[]) => messages.filter((message) => !message.topic.includes("/extra/"));
    const plain = simulate({}, 10 * minute).messages;
    const scaled = simulate({ extraMachines: 5 }, 10 * minute).messages;
    expect(digest(demoOnly(scaled))).toBe(digest(plain));
    expect(scaled.some((message) => message.topic.startsWith("umh/v1/acme/detroit/extra/line-x/machine-5/_historian"))).toBe(true);
  });

  it("publishes in time order and never repeats a step", () => {
    const model = new PlantModel({ seed: 1, startMs: start, sparkplug: false });
    const messages = [...model.step(start + 5 * minute), ...model.step(start + 5 * minute), ...model.step(start + 4 * minute)];
    const times = messages.map((message) => message.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(model.step(start + 5 * minute)).toEqual([]);
  });
});

describe("plant model: UNS messages", () => {
  const { messages } = simulate({ extraMachines: 2, sampleIntervalMs: 5_000 }, 10 * hour, 60_000);
  const uns = messages.filter((message) => message.topic.startsWith("umh/"));

  it("are all accepted by the UNS parser at their own time", () => {
    const rejected = uns
      .map((message) => ({ message, result: parseUnsMessage(message.topic, message.payload, message.time) }))
      .filter(({ result }) => !result.ok);
    expect(rejected.map(({ message, result }) => `${message.topic}: ${result.ok ? "" : result.reason}`)).toEqual([]);
    expect(uns.length).toBeGreaterThan(50_000);
  });

  it("use QoS 1 and the demo plant's asset paths", () => {
    expect(uns.every((message) => message.qos === 1)).toBe(true);
    const paths = new Set(unsRecords(uns).map((record) => record.path));
    expect(paths).toContain("acme/detroit/press-shop/line-1/press-1");
    expect(paths).toContain("acme/detroit/machining/cnc-line/cnc-4");
    expect(paths).toContain("acme/detroit/assembly/line-a/station-3");
    expect(paths).toContain("acme/detroit/extra/line-x/machine-2");
  });

  it("carry contiguous per-machine seqs in every _historian message", () => {
    const seqs = seqsBySource(uns);
    expect(seqs.size).toBe(9); // 3 presses + 4 CNCs + 2 extras; the stations speak Sparkplug
    for (const [source, list] of seqs) {
      expect({ source, ...checkSeqs(list) }).toMatchObject({ source, first: 1, last: list.length, missing: [], duplicates: [] });
      expect(list).toEqual(list.map((_, index) => index + 1));
    }
  });

  it("report counts as non-negative integers with scrap ≤ count and ~1–3 % scrap", () => {
    const counts = unsRecords(uns).filter((record) => record.kind === "count");
    expect(counts.length).toBeGreaterThan(1_000);
    for (const record of counts) {
      expect(Number.isInteger(record.count) && Number.isInteger(record.scrap)).toBe(true);
      expect(record.count).toBeGreaterThan(0);
      expect(record.scrap).toBeGreaterThanOrEqual(0);
      expect(record.scrap).toBeLessThanOrEqual(record.count);
    }
    const total = counts.reduce((sum, record) => sum + record.count, 0);
    const scrap = counts.reduce((sum, record) => sum + record.scrap, 0);
    expect(scrap / total).toBeGreaterThan(0.005);
    expect(scrap / total).toBeLessThan(0.04);
  });

  it("use only valid state codes and show the usual stops", () => {
    const states = unsRecords(uns).filter((record) => record.kind === "state").map((record) => record.state);
    expect(states.filter((state) => !validStates.has(state))).toEqual([]);
    for (const code of [10_000, 20_000, 50_000, 60_000, 100_000, 150_000]) expect(states).toContain(code);
    expect(states.some((state) => state >= 180_000)).toBe(true);
  });

  it("make micro-stops last 5–40 s", () => {
    const byPath = new Map<string, { time: number; state: number }[]>();
    for (const record of unsRecords(uns)) {
      if (record.kind !== "state") continue;
      const list = byPath.get(record.path) ?? [];
      list.push({ time: record.time, state: record.state });
      byPath.set(record.path, list);
    }
    const durations: number[] = [];
    for (const list of byPath.values()) {
      list.forEach((entry, index) => {
        const next = list[index + 1];
        // A micro-stop cut short by a break or a shift boundary is not a full one.
        if (entry.state === 50_000 && next?.state === 10_000) durations.push(next.time - entry.time);
      });
    }
    expect(durations.length).toBeGreaterThan(100);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...durations)).toBeLessThanOrEqual(40_000);
  });

  it("announce product types, then create, start and stop work orders on the work cells", () => {
    const records = unsRecords(uns);
    const products = records.filter((record) => record.kind === "product-type");
    expect(products).toContainEqual({ kind: "product-type", path: "acme/detroit/press-shop/line-1/press-1", externalProductTypeId: "P-100", cycleTimeMs: 2_000 });
    expect(products).toContainEqual({ kind: "product-type", path: "acme/detroit/machining/cnc-line/cnc-1", externalProductTypeId: "C-200", cycleTimeMs: 45_000 });
    expect(products).toContainEqual({ kind: "product-type", path: "acme/detroit/assembly/line-a/station-1", externalProductTypeId: "A-300", cycleTimeMs: 12_000 });

    const declared = new Set(products.map((record) => `${record.path} ${record.externalProductTypeId}`));
    const created = new Map<string, number>();
    const started = new Map<string, number>();
    let stops = 0;
    for (const record of records) {
      if (record.kind === "work-order-create") {
        expect(declared).toContain(`${record.path} ${record.externalProductTypeId}`);
        created.set(`${record.path} ${record.externalWorkOrderId}`, record.quantity);
      }
      if (record.kind === "work-order-start") {
        expect(created.has(`${record.path} ${record.externalWorkOrderId}`)).toBe(true);
        started.set(`${record.path} ${record.externalWorkOrderId}`, record.startTime);
      }
      if (record.kind === "work-order-stop") {
        const startTime = started.get(`${record.path} ${record.externalWorkOrderId}`);
        expect(startTime).toBeDefined();
        expect(record.endTime).toBeGreaterThan(startTime ?? Infinity);
        stops += 1;
      }
    }
    expect(stops).toBeGreaterThan(10);
    // Between orders the line changes over.
    expect(records.some((record) => record.kind === "state" && record.state === stateCode.changeover)).toBe(true);
  });

  it("announces each shift (06:00, 14:00, 22:00 Detroit) on every machine as it starts, the current one at once", () => {
    const shifts = unsRecords(uns).filter((record) => record.kind === "shift-add");
    // Start 08:00 local + 10 h: the 06:00–14:00 shift (in progress) and the 14:00–22:00 one.
    expect(shifts).toHaveLength(24);
    expect(new Set(shifts.map((shift) => shift.path)).size).toBe(12);
    expect(shifts.filter((shift) => shift.startTime === Date.UTC(2025, 10, 25, 11) && shift.endTime === Date.UTC(2025, 10, 25, 19))).toHaveLength(12);
    expect(shifts.filter((shift) => shift.startTime === Date.UTC(2025, 10, 25, 19) && shift.endTime === Date.UTC(2025, 10, 26, 3))).toHaveLength(12);
  });
});

describe("plant model: shifts and breaks", () => {
  it("has planned breaks inside shifts and no production outside shifts", () => {
    const twoShifts = { startHours: [6, 14], lengthHours: 8, days: [0, 1, 2, 3, 4, 5, 6], breaks: [{ afterMinutes: 240, minutes: 30 }] };
    const { messages } = simulate({ shiftPattern: twoShifts, sparkplug: false, sampleIntervalMs: 30_000 }, 20 * hour, 60_000);
    const records = unsRecords(messages);
    const states = statesOf(records, press1Path);
    // 22:00 local = 03:00 UTC next day: no shift until 06:00 local.
    const noShift = states.find((record) => record.state === stateCode.noShift);
    expect(noShift?.time).toBe(Date.UTC(2025, 10, 26, 3));
    expect(states.some((record) => record.state === stateCode.operatorBreak && record.time === Date.UTC(2025, 10, 25, 23))).toBe(true);
    const countsOffShift = countsOf(records, press1Path).filter((record) => record.time > Date.UTC(2025, 10, 26, 3) + 10_000);
    expect(countsOffShift).toEqual([]);
    const coldSamples = samplesOf(records, press1Path, "temperature").filter((record) => record.time > Date.UTC(2025, 10, 26, 6));
    expect(coldSamples.length).toBeGreaterThan(10);
    expect(coldSamples.every((record) => typeof record.value === "number" && record.value < 30)).toBe(true);
  });
});

describe("plant model: the press-2 bearing fault", () => {
  it("raises vibration over a few hours, fails the press (180000), and returns to baseline after repair", () => {
    const { messages } = simulate({ sparkplug: false, sampleIntervalMs: 10_000 }, 8 * hour, 60_000);
    const records = unsRecords(messages);
    const states = statesOf(records, bearingFaultPath);
    const failure = states.find((record) => record.state === stateCode.equipmentFailure && record.time > start + 2 * hour);
    expect(failure).toBeDefined();
    const failedAt = failure?.time ?? 0;
    const repairedAt = states.find((record) => record.time > failedAt)?.time ?? Infinity;
    expect(repairedAt - failedAt).toBeGreaterThanOrEqual(60 * minute);

    // Running samples only (a stopped press barely vibrates).
    const vibration = samplesOf(records, bearingFaultPath, "vibration");
    const running = (from: number, to: number) => vibration
      .filter((record) => record.time >= from && record.time < to)
      .map((record) => Number(record.value))
      .filter((value) => value > 1);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const early = running(start + 30 * minute, start + 90 * minute);
    const late = running(failedAt - 30 * minute, failedAt + 1);
    expect(mean(late)).toBeGreaterThan(mean(early) + 2);
    expect(Math.max(...late)).toBeGreaterThan(6.5);
    const afterRepair = running(repairedAt, repairedAt + hour);
    expect(afterRepair.length).toBeGreaterThan(10);
    expect(mean(afterRepair)).toBeLessThan(3);

    // The other presses keep a steady baseline.
    const press1 = samplesOf(records, press1Path, "vibration").map((record) => Number(record.value));
    expect(Math.max(...press1)).toBeLessThan(4);
  });

  it("uses sub-code 180001 (hydraulic leak) for press failures", () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 12 && !seen.has(stateCode.hydraulicLeak); seed += 1) {
      const model = new PlantModel({ seed, startMs: start, sparkplug: false, sampleIntervalMs: 60_000, bearingFault: false });
      for (const message of model.step(start + 48 * hour)) {
        if (message.kind === "state" && message.topic.includes("/press-")) seen.add(Number(json(message).state));
      }
    }
    expect(seen).toContain(stateCode.hydraulicLeak);
  });
});

describe("plant model: Sparkplug B edge node", () => {
  const { model, messages } = simulate({ sampleIntervalMs: 2_000 }, 30 * minute);
  const spb = messages.filter((message) => message.topic.startsWith("spBv1.0/"));
  const decoded = spb.map((message) => ({ message, payload: decodeSparkplugPayload(message.payload) }));

  it("starts with NBIRTH (bdSeq 0, seq 0) and one DBIRTH per station with names, aliases and types", () => {
    const [nbirth, ...rest] = decoded;
    expect(nbirth?.message.topic).toBe("spBv1.0/acme/NBIRTH/detroit-line-a");
    expect(nbirth?.payload.seq).toBe(0n);
    expect(nbirth?.payload.metrics.find((metric) => metric.name === "bdSeq")?.value).toEqual({ kind: "long", value: 0n });
    const dbirths = rest.slice(0, 3);
    expect(dbirths.map(({ message }) => message.topic)).toEqual(["station-1", "station-2", "station-3"].map((id) => `spBv1.0/acme/DBIRTH/detroit-line-a/${id}`));
    for (const { payload } of dbirths) {
      expect(payload.metrics.map((metric) => metric.name)).toEqual(["temperature", "vibration", "power", "torque", "door_closed", simSeqMetric]);
      expect(payload.metrics.every((metric) => metric.alias !== undefined && metric.datatype !== undefined)).toBe(true);
    }
    const aliases = decoded.filter(({ message }) => message.kind === "sparkplug-birth").flatMap(({ payload }) => payload.metrics.map((metric) => metric.alias)).filter((alias) => alias !== undefined);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it("sends DATA by alias only, QoS 0, with seq +1 per message wrapping 255 → 0", () => {
    const data = decoded.filter(({ message }) => message.kind === "sparkplug-data");
    expect(data.length).toBeGreaterThan(2_000);
    expect(data.every(({ message }) => message.qos === 0)).toBe(true);
    expect(data.every(({ payload }) => payload.metrics.every((metric) => metric.name === undefined && metric.alias !== undefined))).toBe(true);
    const seqs = decoded.map(({ payload }) => Number(payload.seq));
    seqs.forEach((seq, index) => {
      if (index > 0) expect(seq).toBe(((seqs[index - 1] ?? 0) + 1) % 256);
    });
    expect(seqs.filter((seq) => seq === 0).length).toBeGreaterThan(5);
  });

  it("counts sim/seq per device and per node without gaps", () => {
    const seqs = seqsBySource(spb);
    expect([...seqs.keys()].sort()).toEqual(["acme/detroit-line-a", "acme/detroit-line-a/station-1", "acme/detroit-line-a/station-2", "acme/detroit-line-a/station-3"]);
    for (const list of seqs.values()) expect(checkSeqs(list)).toMatchObject({ first: 1, missing: [], duplicates: [] });
  });

  it("is accepted by the Shopfloor Sparkplug host with the demo's path template", () => {
    const host = new SparkplugHost({
      hostId: "test", now: () => start,
      mapPath: (group, edgeNode, device) => (device === undefined ? `${group}/detroit/assembly/line-a` : `${sparkplugNode.linePath}/${device}`),
    });
    const samples: TIngestRecord[] = [];
    for (const message of spb) {
      const result = host.handle(message.topic, message.payload, message.time);
      expect(result.quarantine).toBeUndefined();
      expect(result.commands).toEqual([]);
      samples.push(...result.records);
    }
    const paths = new Set(samples.map((record) => record.path));
    expect(paths).toContain("acme/detroit/assembly/line-a/station-2");
    expect(samples.some((record) => record.kind === "sample" && record.metric === "torque")).toBe(true);
  });

  it("answers a rebirth request with fresh births on the same bdSeq, and a reconnect with the next bdSeq", () => {
    const edge = model.sparkplug;
    if (!edge) throw new Error("no edge node");
    const now = start + 31 * minute;
    expect(edge.handleCommand("spBv1.0/acme/NCMD/other-node", encodeRebirthRequest(now), now)).toEqual([]);
    const births = edge.handleCommand(edge.commandTopic(), encodeRebirthRequest(now), now);
    expect(births.map((message) => message.topic.split("/")[2])).toEqual(["NBIRTH", "DBIRTH", "DBIRTH", "DBIRTH"]);
    const nbirth = decodeSparkplugPayload(births[0]?.payload ?? Buffer.alloc(0));
    expect(nbirth.seq).toBe(0n);
    expect(bdSeqOf(nbirth)).toBe(0n);
    // The DBIRTHs carry the last values, sim/seq included, so a host can resume the oracle.
    const station1 = decodeSparkplugPayload(births[1]?.payload ?? Buffer.alloc(0));
    const sentByStation1 = spb.filter((message) => message.topic === "spBv1.0/acme/DDATA/detroit-line-a/station-1").length;
    expect(station1.metrics.find((metric) => metric.name === simSeqMetric)?.value).toEqual({ kind: "long", value: BigInt(sentByStation1) });

    const will = edge.nextConnection();
    expect(will.topic).toBe("spBv1.0/acme/NDEATH/detroit-line-a");
    expect(bdSeqOf(decodeSparkplugPayload(will.payload))).toBe(1n);
    expect(decodeSparkplugPayload(will.payload).seq).toBeUndefined();
    expect(model.step(start + 32 * minute).some((message) => message.topic.startsWith("spBv1.0/"))).toBe(false);
    const rebirth = edge.births(start + 32 * minute);
    expect(bdSeqOf(decodeSparkplugPayload(rebirth[0]?.payload ?? Buffer.alloc(0)))).toBe(1n);
    expect(bdSeqOf(decodeSparkplugPayload(edge.death(start + 33 * minute).payload))).toBe(1n);
  });

  it("with sparkplug off, puts Assembly Line A on UNS like the other lines", () => {
    const plain = simulate({ sparkplug: false }, 5 * minute).messages;
    expect(plain.some((message) => message.topic.startsWith("spBv1.0/"))).toBe(false);
    expect(plain.some((message) => message.topic === "umh/v1/acme/detroit/assembly/line-a/station-1/_historian")).toBe(true);
  });
});

function bdSeqOf(payload: TSpbPayload): bigint | undefined {
  const value = payload.metrics.find((metric) => metric.name === "bdSeq")?.value;
  return value?.kind === "long" ? value.value : undefined;
}
