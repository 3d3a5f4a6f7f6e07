import type { TMachineKind, TMachineSpec, TProduct } from "./plant-layout";
import { Random } from "./random";
import type { ShiftSchedule, TScheduleSegment } from "./shift-schedule";

/**
 * One machine as a small state machine on simulated time. Pure: it returns what happened
 * (events), the plant model turns events into UNS or Sparkplug messages.
 *
 * The state at any instant follows from a fixed precedence:
 *   no shift (160000) > technical failure under repair > break (150000) > changeover (100000)
 *   > other incident (micro-stop, jam, material, speed loss…) > producing (10000).
 * Incidents are drawn while the machine runs freely, as competing exponential waiting times.
 */

export type TProcessValues = Record<string, number | boolean>;

export type TMachineEvent =
  | { kind: "sample"; time: number; values: TProcessValues }
  | { kind: "state"; time: number; state: number }
  | { kind: "count"; time: number; count: number; scrap: number }
  | { kind: "product-type"; time: number; product: TProduct }
  | { kind: "work-order-create"; time: number; workOrderId: string; productId: string; quantity: number }
  | { kind: "work-order-start"; time: number; workOrderId: string }
  | { kind: "work-order-stop"; time: number; workOrderId: string };

export const stateCode = {
  producing: 10_000,
  reducedSpeed: 20_000,
  microStop: 50_000,
  inletJam: 60_000,
  materialIssue: 90_000,
  changeover: 100_000,
  operatorBreak: 150_000,
  noShift: 160_000,
  equipmentFailure: 180_000,
  hydraulicLeak: 180_001,
  otherTechnicalStop: 220_000,
} as const;

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** Parts are reported in batches every this many simulated milliseconds. */
export const countIntervalMs = 10 * second;

type TIncidentKind = "microStop" | "reducedSpeed" | "inletJam" | "materialIssue" | "equipmentFailure" | "otherTechnicalStop";

/** How often each incident starts, per hour of free running. */
const incidentRatePerHour: Record<TIncidentKind, number> = {
  microStop: 8,
  reducedSpeed: 1.2,
  inletJam: 0.35,
  materialIssue: 0.15,
  equipmentFailure: 0.04,
  otherTechnicalStop: 0.08,
};
const incidentEntries = Object.entries(incidentRatePerHour) as [TIncidentKind, number][];
const totalIncidentRatePerMs = incidentEntries.reduce((sum, [, rate]) => sum + rate, 0) / hour;

/** A press failure is a hydraulic leak (sub-code 180001) this often. */
const hydraulicLeakShareOnPresses = 0.4;
/** Parts per cycle time while producing below full speed. */
const reducedSpeedFactor = 0.7;
const scrapRateRange = [0.01, 0.03] as const;

type TKindProfile = {
  ratedPowerKw: number;
  /** Idle power while stopped inside a shift, as a share of rated power. */
  idlePowerShare: number;
  runningTemperatureC: number;
  baseVibration: number;
  orderQuantity: readonly [number, number];
  changeoverMinutes: readonly [number, number];
};

const profiles: Record<TMachineKind, TKindProfile> = {
  press: { ratedPowerKw: 55, idlePowerShare: 0.18, runningTemperatureC: 58, baseVibration: 2.2, orderQuantity: [1_500, 4_000], changeoverMinutes: [15, 35] },
  cnc: { ratedPowerKw: 22, idlePowerShare: 0.12, runningTemperatureC: 42, baseVibration: 1.1, orderQuantity: [40, 100], changeoverMinutes: [20, 45] },
  station: { ratedPowerKw: 4.5, idlePowerShare: 0.25, runningTemperatureC: 35, baseVibration: 0.6, orderQuantity: [200, 600], changeoverMinutes: [10, 20] },
  generic: { ratedPowerKw: 15, idlePowerShare: 0.15, runningTemperatureC: 45, baseVibration: 1.5, orderQuantity: [500, 1_500], changeoverMinutes: [10, 25] },
};

const ambientTemperatureC = 22;
/** First-order lag of the machine temperature: the warm-up takes about an hour. */
const temperatureTimeConstantMs = 20 * minute;

/**
 * The developing bearing fault (press-2): vibration grows as w0·(e^((t−onset)/τ) − 1) until the
 * trend crosses the limit (ISO 10816 zone D for this class of machine), then the press fails,
 * is repaired, and the next fault starts developing much later.
 */
export type TBearingFaultOptions = { firstOnsetAfterMs: number };
export const bearingFault = {
  vibrationLimit: 7.1,
  timeConstantMs: 45 * minute,
  timeToLimitMs: [2.5 * hour, 3.5 * hour] as const,
  repairMs: [60 * minute, 120 * minute] as const,
  nextOnsetAfterMs: [6 * hour, 12 * hour] as const,
};

type TIncident = { code: number; until: number; persists: boolean; bearingRepair: boolean };
type TWorkOrder = { id: string; product: TProduct; quantity: number; good: number };
type TBearing = { onsetAt: number; scale: number };

export type TMachineOptions = {
  seed: number;
  startMs: number;
  sampleIntervalMs: number;
  /** Distinguishes work order ids of different runs (orders are unique per asset). */
  runTag: string;
  bearingFault?: TBearingFaultOptions;
};

export class MachineModel {
  private readonly random: Random;
  private readonly profile: TKindProfile;
  private readonly scrapRate: number;
  private segment: TScheduleSegment;
  private state = 0;
  /** Production has been integrated up to this instant. */
  private clock: number;
  private nextSampleAt: number;
  private nextCountAt: number;
  private nextIncidentAt: number | undefined;
  private incident: TIncident | undefined;
  private changeoverUntil = Number.NEGATIVE_INFINITY;
  private orderToStart: TWorkOrder | undefined;
  private order: TWorkOrder;
  private orderNumber = 0;
  /** Parts made since the last count message (fractional while a part is in progress). */
  private parts = 0;
  private temperature: number;
  private temperatureAt: number;
  private bearing: TBearing | undefined;
  private started = false;

  constructor(readonly spec: TMachineSpec, private readonly schedule: ShiftSchedule, private readonly options: TMachineOptions) {
    this.random = new Random(options.seed, spec.path);
    this.profile = profiles[spec.kind];
    this.scrapRate = this.random.uniform(...scrapRateRange);
    this.clock = options.startMs;
    this.segment = schedule.segmentAt(options.startMs);
    // Stagger samples so that machines do not all publish in the same millisecond.
    this.nextSampleAt = options.startMs + Math.floor(options.sampleIntervalMs * ((spec.index * 0.618_034) % 1));
    this.nextCountAt = options.startMs + countIntervalMs;
    this.temperature = ambientTemperatureC + this.random.uniform(0, 3);
    this.temperatureAt = options.startMs;
    this.order = this.newOrder();
    if (options.bearingFault) this.bearing = this.newBearingFault(options.startMs + options.bearingFault.firstOnsetAfterMs);
  }

  /** Appends to `out` everything that happens up to and including `until`, in time order. */
  advance(until: number, out: TMachineEvent[]): void {
    if (!this.started) this.begin(out);
    for (;;) {
      const t = Math.min(
        this.nextSampleAt, this.nextCountAt, this.segment.until,
        this.incident?.until ?? Infinity, this.nextIncidentAt ?? Infinity,
        this.orderToStart ? this.changeoverUntil : Infinity,
      );
      if (t > until) return;
      this.produceUntil(t);

      if (t >= this.segment.until) this.enterSegment(t);
      if (this.incident && this.incident.until <= t) this.endIncident(t);
      if (this.orderToStart && this.changeoverUntil <= t) {
        this.order = this.orderToStart;
        this.orderToStart = undefined;
        out.push({ kind: "work-order-start", time: t, workOrderId: this.order.id });
      }
      if (this.nextIncidentAt !== undefined && this.nextIncidentAt <= t) this.startIncident(t);
      this.updateState(t, out);

      if (this.nextCountAt <= t) {
        this.reportCount(t, out);
        this.nextCountAt += countIntervalMs;
        this.updateState(t, out);
      }
      if (this.nextSampleAt <= t) {
        out.push({ kind: "sample", time: t, values: this.sample(t) });
        this.nextSampleAt += this.options.sampleIntervalMs;
        this.checkBearing(t);
        this.updateState(t, out);
      }
    }
  }

  /** Bearing vibration trend (without noise) at `t`; 0 when no fault is developing. */
  bearingWear(t: number): number {
    if (!this.bearing || t < this.bearing.onsetAt) return 0;
    return this.bearing.scale * (Math.exp((t - this.bearing.onsetAt) / bearingFault.timeConstantMs) - 1);
  }

  private begin(out: TMachineEvent[]) {
    this.started = true;
    const t = this.options.startMs;
    for (const product of this.spec.products) out.push({ kind: "product-type", time: t, product });
    out.push({ kind: "work-order-create", time: t, workOrderId: this.order.id, productId: this.order.product.id, quantity: this.order.quantity });
    out.push({ kind: "work-order-start", time: t, workOrderId: this.order.id });
    this.updateState(t, out);
  }

  private newOrder(): TWorkOrder {
    this.orderNumber += 1;
    const id = `WO-${this.options.runTag}-${this.spec.slug}-${String(this.orderNumber).padStart(3, "0")}`;
    const [min, max] = this.profile.orderQuantity;
    return { id, product: this.random.pick(this.spec.products), quantity: this.random.int(min, max), good: 0 };
  }

  private newBearingFault(onsetAt: number): TBearing {
    const timeToLimit = this.random.uniform(...bearingFault.timeToLimitMs);
    const rise = bearingFault.vibrationLimit - this.profile.baseVibration;
    return { onsetAt, scale: rise / (Math.exp(timeToLimit / bearingFault.timeConstantMs) - 1) };
  }

  private enterSegment(t: number) {
    const previous = this.segment.status;
    this.segment = this.schedule.segmentAt(t);
    // One shift handing over to the next changes nothing on the machine.
    if (this.segment.status === previous) return;
    // A break or the end of the shifts ends short stops; a technical failure stays until repaired.
    if (this.incident && !this.incident.persists) this.incident = undefined;
    this.nextIncidentAt = undefined;
  }

  private endIncident(t: number) {
    if (this.incident?.bearingRepair) this.bearing = this.newBearingFault(t + this.random.uniform(...bearingFault.nextOnsetAfterMs));
    this.incident = undefined;
  }

  private startIncident(t: number) {
    this.nextIncidentAt = undefined;
    if (!this.runsFreely(t)) return;
    const kind = this.random.weighted(incidentEntries);
    const r = this.random;
    switch (kind) {
      case "microStop":
        this.incident = { code: stateCode.microStop, until: t + Math.round(r.uniform(5, 40) * second), persists: false, bearingRepair: false };
        break;
      case "reducedSpeed":
        this.incident = { code: stateCode.reducedSpeed, until: t + Math.round(minute + r.exponential(5 * minute)), persists: false, bearingRepair: false };
        break;
      case "inletJam":
        this.incident = { code: stateCode.inletJam, until: t + Math.round(minute + r.exponential(4 * minute)), persists: false, bearingRepair: false };
        break;
      case "materialIssue":
        this.incident = { code: stateCode.materialIssue, until: t + Math.round(3 * minute + r.exponential(10 * minute)), persists: false, bearingRepair: false };
        break;
      case "equipmentFailure": {
        const code = this.spec.kind === "press" && r.chance(hydraulicLeakShareOnPresses) ? stateCode.hydraulicLeak : stateCode.equipmentFailure;
        this.incident = { code, until: t + Math.round(15 * minute + r.exponential(40 * minute)), persists: true, bearingRepair: false };
        break;
      }
      case "otherTechnicalStop":
        this.incident = { code: stateCode.otherTechnicalStop, until: t + Math.round(2 * minute + r.exponential(8 * minute)), persists: true, bearingRepair: false };
        break;
    }
  }

  private runsFreely(t: number): boolean {
    return this.segment.status === "work" && !this.incident && this.changeoverUntil <= t;
  }

  private desiredState(t: number): number {
    if (this.segment.status === "off") return stateCode.noShift;
    if (this.incident?.persists) return this.incident.code;
    if (this.segment.status === "break") return stateCode.operatorBreak;
    if (this.changeoverUntil > t) return stateCode.changeover;
    if (this.incident) return this.incident.code;
    return stateCode.producing;
  }

  private updateState(t: number, out: TMachineEvent[]) {
    const state = this.desiredState(t);
    if (state !== this.state) {
      this.state = state;
      out.push({ kind: "state", time: t, state });
    }
    if (!this.runsFreely(t)) this.nextIncidentAt = undefined;
    else if (this.nextIncidentAt === undefined) this.nextIncidentAt = t + Math.max(1, Math.round(this.random.exponential(1 / totalIncidentRatePerMs)));
  }

  private partsPerMs(): number {
    if (this.state === stateCode.producing) return 1 / this.order.product.cycleTimeMs;
    if (this.state === stateCode.reducedSpeed) return reducedSpeedFactor / this.order.product.cycleTimeMs;
    return 0;
  }

  private produceUntil(t: number) {
    this.parts += (t - this.clock) * this.partsPerMs();
    this.clock = t;
  }

  private reportCount(t: number, out: TMachineEvent[]) {
    const count = Math.floor(this.parts);
    if (count === 0) return;
    this.parts -= count;
    const scrap = this.random.binomial(count, this.scrapRate);
    out.push({ kind: "count", time: t, count, scrap });
    this.order.good += count - scrap;
    if (this.order.good < this.order.quantity || this.orderToStart) return;
    // Order done: stop it, announce the next one and change the line over to it.
    out.push({ kind: "work-order-stop", time: t, workOrderId: this.order.id });
    const next = this.newOrder();
    out.push({ kind: "work-order-create", time: t, workOrderId: next.id, productId: next.product.id, quantity: next.quantity });
    const [min, max] = this.profile.changeoverMinutes;
    this.changeoverUntil = t + Math.round(this.random.uniform(min, max) * minute);
    this.orderToStart = next;
    this.incident = this.incident?.persists ? this.incident : undefined;
  }

  private checkBearing(t: number) {
    if (!this.bearing || !isProducing(this.state)) return;
    if (this.profile.baseVibration + this.bearingWear(t) < bearingFault.vibrationLimit) return;
    const repairMs = Math.round(this.random.uniform(...bearingFault.repairMs));
    this.incident = { code: stateCode.equipmentFailure, until: t + repairMs, persists: true, bearingRepair: true };
    this.bearing = undefined;
  }

  private sample(t: number): TProcessValues {
    const r = this.random;
    const profile = this.profile;
    const producing = isProducing(this.state);
    const speed = this.state === stateCode.reducedSpeed ? reducedSpeedFactor : 1;
    const inShift = this.state !== stateCode.noShift;

    const target = producing
      ? profile.runningTemperatureC
      : inShift ? ambientTemperatureC + 0.4 * (profile.runningTemperatureC - ambientTemperatureC) : ambientTemperatureC;
    this.temperature += (target - this.temperature) * (1 - Math.exp(-(t - this.temperatureAt) / temperatureTimeConstantMs));
    this.temperatureAt = t;

    const vibration = producing
      ? profile.baseVibration * speed + this.bearingWear(t) + r.normal() * 0.06 * profile.baseVibration
      : 0.15 + Math.abs(r.normal()) * 0.05;
    const powerShare = producing ? 0.9 * speed : inShift ? profile.idlePowerShare : 0.03;
    const values: TProcessValues = {
      temperature: round(this.temperature + r.normal() * 0.25, 2),
      vibration: round(Math.max(0, vibration), 3),
      power: round(Math.max(0, profile.ratedPowerKw * (powerShare + r.normal() * 0.01)), 2),
    };
    switch (this.spec.kind) {
      case "press":
        values.stroke_rate = producing ? round((60_000 / this.order.product.cycleTimeMs) * speed + r.normal() * 0.2, 1) : 0;
        break;
      case "cnc":
        values.spindle_speed = producing ? Math.round(12_000 * speed + r.normal() * 40) : 0;
        break;
      case "station":
        values.torque = producing ? round(12 + r.normal() * 0.4, 2) : 0;
        // Operators open the guard door to clear unplanned stops.
        values.door_closed = !(this.state >= stateCode.inletJam && this.state !== stateCode.operatorBreak && this.state !== stateCode.noShift && this.state !== stateCode.changeover);
        break;
      case "generic":
        break;
    }
    return values;
  }
}

export function isProducing(state: number): boolean {
  return state >= 10_000 && state < 30_000;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
