import { MachineModel, type TBearingFaultOptions, type TMachineEvent } from "./machine-model";
import { demoTimeZone, plantMachines, type TMachineSpec } from "./plant-layout";
import { ShiftSchedule, threeShiftPattern, type TShiftPattern } from "./shift-schedule";
import type { TSimMessage } from "./sim-message";
import { SparkplugEdge, type TEdgeMetricDef } from "./sparkplug-edge";

/**
 * The simulated plant: pure and deterministic for a given seed and start time. `step(t)` returns
 * every message due in (previous step, t], in time order.
 *
 * Press Line 1, the CNC Line and the --machines extras speak UNS JSON. Assembly Line A sits behind
 * one Sparkplug B edge node whose DDATA carry the stations' process values; their states, counts
 * and planning events still go over UNS `_analytics` on the station paths (the Shopfloor
 * Sparkplug host turns metrics into samples only, and planning data comes from the MES anyway).
 *
 * Shifts are announced (`_analytics/shift/add`) when they start (planning times may lie ahead).
 */

export type TPlantOptions = {
  seed: number;
  /** Simulated time zero (epoch ms); all timestamps are simulated time from here on. */
  startMs: number;
  /** Generated UNS machines beyond the demo plant. */
  extraMachines?: number;
  /** Simulated milliseconds between two process-value messages of one machine. */
  sampleIntervalMs?: number;
  /** false: Assembly Line A speaks UNS JSON like the other lines. */
  sparkplug?: boolean;
  timeZone?: string;
  shiftPattern?: TShiftPattern;
  /** When the press-2 bearing starts to wear, after start; false for no developing fault. */
  bearingFault?: TBearingFaultOptions | false;
};

export const sparkplugNode = { group: "acme", edgeNode: "detroit-line-a", linePath: "acme/detroit/assembly/line-a" } as const;
export const bearingFaultPath = "acme/detroit/press-shop/line-1/press-2";

const defaultSampleIntervalMs = 1_000;
const defaultBearingFault: TBearingFaultOptions = { firstOnsetAfterMs: 30 * 60_000 };
/** The edge node reports its own uptime this often (simulated). */
const nodeDataIntervalMs = 60_000;
const stationMetrics: TEdgeMetricDef[] = [
  { name: "temperature", type: "Double" }, { name: "vibration", type: "Double" }, { name: "power", type: "Double" },
  { name: "torque", type: "Double" }, { name: "door_closed", type: "Boolean" },
];

type TTimedEvent = { time: number; machine: number; event: TMachineEvent | { kind: "shift-add"; time: number; start: number; end: number } | { kind: "node-data"; time: number } };

export class PlantModel {
  readonly machines: readonly TMachineSpec[];
  readonly schedule: ShiftSchedule;
  /** The Assembly Line A edge node; undefined with sparkplug: false. */
  readonly sparkplug: SparkplugEdge | undefined;
  readonly startMs: number;
  private readonly models: MachineModel[];
  /** Sparkplug device id by machine index, for machines behind the edge node. */
  private readonly deviceOf = new Map<number, string>();
  private readonly historianSeq: number[];
  private now: number;
  private nextNodeDataAt: number;

  constructor(options: TPlantOptions) {
    this.startMs = options.startMs;
    this.now = options.startMs - 1;
    this.nextNodeDataAt = options.startMs + nodeDataIntervalMs;
    this.machines = plantMachines(options.extraMachines ?? 0);
    this.schedule = new ShiftSchedule(options.timeZone ?? demoTimeZone(), options.shiftPattern ?? threeShiftPattern);
    const bearing = options.bearingFault === false ? undefined : options.bearingFault ?? defaultBearingFault;
    const machineOptions = {
      seed: options.seed, startMs: options.startMs, runTag: runTag(options.startMs),
      sampleIntervalMs: Math.max(1, Math.round(options.sampleIntervalMs ?? defaultSampleIntervalMs)),
    };
    this.models = this.machines.map((spec) => new MachineModel(spec, this.schedule, {
      ...machineOptions, ...(spec.path === bearingFaultPath && bearing ? { bearingFault: bearing } : {}),
    }));
    this.historianSeq = this.machines.map(() => 0);

    if (options.sparkplug === false) return;
    const stations = this.machines.filter((machine) => machine.path.startsWith(`${sparkplugNode.linePath}/`));
    for (const station of stations) this.deviceOf.set(station.index, station.slug);
    this.sparkplug = new SparkplugEdge({
      group: sparkplugNode.group, edgeNode: sparkplugNode.edgeNode,
      nodeMetrics: [{ name: "uptime_s", type: "UInt64" }],
      devices: stations.map((station) => ({ id: station.slug, metrics: stationMetrics })),
    });
  }

  /** Messages due up to and including `until` (simulated epoch ms), in time order. */
  private announcedShiftAtStart = false;

  step(until: number): TSimMessage[] {
    if (until <= this.now) return [];
    const from = this.now;
    const timed: TTimedEvent[] = [];
    const buffer: TMachineEvent[] = [];
    for (const model of this.models) {
      buffer.length = 0;
      model.advance(until, buffer);
      for (const event of buffer) timed.push({ time: event.time, machine: model.spec.index, event });
    }
    for (const shift of this.schedule.shiftsBetween(from, until + 1)) {
      // Announced as it starts (the shift in progress when the simulator starts, at once), so
      // live OEE knows the planned time of the current shift.
      const at = Math.max(shift.start, this.startMs);
      const first = at === this.startMs && !this.announcedShiftAtStart;
      if (at > until || (at <= from && !first)) continue;
      if (first) this.announcedShiftAtStart = true;
      for (const machine of this.machines) timed.push({ time: at, machine: machine.index, event: { kind: "shift-add", time: at, start: shift.start, end: shift.end } });
    }
    if (this.sparkplug) {
      for (; this.nextNodeDataAt <= until; this.nextNodeDataAt += nodeDataIntervalMs) {
        timed.push({ time: this.nextNodeDataAt, machine: -1, event: { kind: "node-data", time: this.nextNodeDataAt } });
      }
    }
    this.now = until;
    // Stable: events of one instant keep machine order, and each machine's own order.
    timed.sort((a, b) => a.time - b.time);
    const messages: TSimMessage[] = [];
    for (const entry of timed) {
      const message = this.encode(entry);
      if (message) messages.push(message);
    }
    return messages;
  }

  private encode({ machine, event }: TTimedEvent): TSimMessage | undefined {
    const time = Math.round(event.time);
    if (event.kind === "node-data") return this.sparkplug?.data(undefined, time, { uptime_s: Math.floor((time - this.startMs) / 1000) });
    const spec = this.machines[machine];
    if (!spec) return undefined;
    const device = this.deviceOf.get(machine);
    const uns = (schema: string, kind: TSimMessage["kind"], body: Record<string, unknown>): TSimMessage => ({
      topic: `umh/v1/${spec.path}/${schema}`, payload: Buffer.from(JSON.stringify({ timestamp_ms: time, ...body })), qos: 1, kind, time,
    });
    switch (event.kind) {
      case "sample": {
        if (device !== undefined && this.sparkplug) return this.sparkplug.data(device, time, event.values);
        this.historianSeq[machine] = (this.historianSeq[machine] ?? 0) + 1;
        return uns("_historian", "historian", { seq: this.historianSeq[machine], ...event.values });
      }
      case "state":
        return uns("_analytics/state", "state", { state: event.state });
      case "count":
        return uns("_analytics/count", "count", { count: event.count, scrap: event.scrap });
      case "product-type":
        return uns("_analytics/product-type/create", "planning", { externalProductTypeId: event.product.id, cycleTimeMs: event.product.cycleTimeMs });
      case "work-order-create":
        return uns("_analytics/work-order/create", "planning", { externalWorkOrderId: event.workOrderId, externalProductTypeId: event.productId, quantity: event.quantity });
      case "work-order-start":
        return uns("_analytics/work-order/start", "planning", { externalWorkOrderId: event.workOrderId, startTime: time });
      case "work-order-stop":
        return uns("_analytics/work-order/stop", "planning", { externalWorkOrderId: event.workOrderId, endTime: time });
      case "shift-add":
        return uns("_analytics/shift/add", "planning", { startTime: event.start, endTime: event.end });
    }
  }
}

/** Work order ids carry the run's start (UTC yyMMddHHmm) so that a second run does not reuse them. */
function runTag(startMs: number): string {
  const iso = new Date(startMs).toISOString();
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}
