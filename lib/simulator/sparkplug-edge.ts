import { decodeSparkplugPayload } from "../ingest/sparkplug/codec";
import { encodeData, encodeDBirth, encodeNBirth, encodeNDeath, sparkplugTopic, type TMetricSpec } from "../ingest/sparkplug/encode";
import type { TSimMessage } from "./sim-message";

/**
 * One simulated Sparkplug B edge node with its devices. Pure: it builds payloads and keeps the
 * session bookkeeping a real edge node keeps —
 * - bdSeq: one per MQTT connection (0–255), carried by that connection's NDEATH will and by every
 *   NBIRTH sent on it (a rebirth on the same connection reuses it);
 * - seq: 0 on NBIRTH, +1 for every later DBIRTH/NDATA/DDATA, wrapping 255 → 0;
 * - aliases: declared in the births, unique across the node; DATA carries aliases only;
 * - `sim/seq`: a per-device (and per-node) counter of DATA messages, for loss/duplicate oracles.
 * While offline (before a birth, after a connection loss) it produces no DATA.
 */

export type TEdgeMetricType = "Double" | "Boolean" | "Int32" | "UInt64";
export type TEdgeMetricDef = { name: string; type: TEdgeMetricType };
export type TEdgeValue = number | boolean;

/** The oracle counter carried in every NDATA/DDATA. */
export const simSeqMetric = "sim/seq";
const rebirthMetric = "Node Control/Rebirth";

type TMetricState = { name: string; type: TEdgeMetricType; alias: number; value: TEdgeValue };
type TDeviceState = { id: string; metrics: Map<string, TMetricState>; dataCount: number };

export type TSparkplugEdgeOptions = {
  group: string;
  edgeNode: string;
  nodeMetrics: readonly TEdgeMetricDef[];
  devices: readonly { id: string; metrics: readonly TEdgeMetricDef[] }[];
};

export class SparkplugEdge {
  readonly group: string;
  readonly edgeNode: string;
  private readonly node: TDeviceState;
  private readonly devices = new Map<string, TDeviceState>();
  /** bdSeq of the current connection; -1 before the first connect. */
  private bdSeq = -1;
  private seq = 0;
  private online = false;

  constructor(options: TSparkplugEdgeOptions) {
    this.group = options.group;
    this.edgeNode = options.edgeNode;
    let alias = 0;
    const table = (metrics: readonly TEdgeMetricDef[]) => new Map(
      [...metrics, { name: simSeqMetric, type: "UInt64" as const }].map((metric) => {
        alias += 1;
        return [metric.name, { ...metric, alias, value: metric.type === "Boolean" ? false : 0 }];
      }),
    );
    this.node = { id: "", metrics: table(options.nodeMetrics), dataCount: 0 };
    for (const device of options.devices) this.devices.set(device.id, { id: device.id, metrics: table(device.metrics), dataCount: 0 });
  }

  get isOnline(): boolean {
    return this.online;
  }

  get currentBdSeq(): number {
    return this.bdSeq;
  }

  deviceIds(): string[] {
    return [...this.devices.keys()];
  }

  /** Topic the edge node listens on for commands (rebirth requests). */
  commandTopic(): string {
    return sparkplugTopic(this.group, "NCMD", this.edgeNode);
  }

  /** Call before every (re)connect: a new bdSeq and the NDEATH to register as the MQTT will. */
  nextConnection(): { topic: string; payload: Buffer; qos: 1; retain: false } {
    this.bdSeq = (this.bdSeq + 1) % 256;
    this.online = false;
    return { topic: sparkplugTopic(this.group, "NDEATH", this.edgeNode), payload: encodeNDeath({ bdSeq: this.bdSeq }), qos: 1, retain: false };
  }

  /** The connection is gone: stop producing DATA until the next birth. */
  markOffline(): void {
    this.online = false;
  }

  /** NBIRTH and every DBIRTH with current values; the session (re)starts at seq 0. */
  births(time: number): TSimMessage[] {
    if (this.bdSeq < 0) throw new Error("births before nextConnection(): the NDEATH will must be registered first");
    this.online = true;
    this.seq = 0;
    const messages: TSimMessage[] = [{
      topic: sparkplugTopic(this.group, "NBIRTH", this.edgeNode),
      payload: encodeNBirth({ timestamp: time, bdSeq: this.bdSeq, seq: 0, metrics: this.birthMetrics(this.node, time) }),
      qos: 0, kind: "sparkplug-birth", time,
    }];
    for (const device of this.devices.values()) {
      messages.push({
        topic: sparkplugTopic(this.group, "DBIRTH", this.edgeNode, device.id),
        payload: encodeDBirth({ timestamp: time, seq: this.nextSeq(), metrics: this.birthMetrics(device, time) }),
        qos: 0, kind: "sparkplug-birth", time,
      });
    }
    return messages;
  }

  /** NDEATH for a graceful shutdown (same bdSeq as the will, so hosts accept it). */
  death(time: number): TSimMessage {
    return { topic: sparkplugTopic(this.group, "NDEATH", this.edgeNode), payload: encodeNDeath({ bdSeq: this.bdSeq }), qos: 1, kind: "sparkplug-death", time };
  }

  /** DDATA (device id given) or NDATA with the changed values; undefined while offline. */
  data(deviceId: string | undefined, time: number, values: Record<string, TEdgeValue>): TSimMessage | undefined {
    const target = deviceId === undefined ? this.node : this.devices.get(deviceId);
    if (!target) throw new Error(`unknown Sparkplug device ${deviceId}`);
    if (!this.online) return undefined;
    target.dataCount += 1;
    const metrics: TMetricSpec[] = [];
    for (const [name, value] of [...Object.entries(values), [simSeqMetric, target.dataCount] as const]) {
      const metric = target.metrics.get(name);
      if (!metric) throw new Error(`metric ${name} was not declared in the birth of ${deviceId ?? this.edgeNode}`);
      metric.value = value;
      metrics.push({ ...typedValue(metric), alias: metric.alias, timestamp: time });
    }
    const type = deviceId === undefined ? "NDATA" : "DDATA";
    return {
      topic: sparkplugTopic(this.group, type, this.edgeNode, deviceId),
      payload: encodeData({ timestamp: time, seq: this.nextSeq(), metrics }),
      qos: 0, kind: "sparkplug-data", time,
    };
  }

  /** Answers an NCMD: `Node Control/Rebirth` = true gives fresh births; anything else nothing. */
  handleCommand(topic: string, payload: Uint8Array, time: number): TSimMessage[] {
    if (topic !== this.commandTopic()) return [];
    let rebirth = false;
    try {
      rebirth = decodeSparkplugPayload(payload).metrics.some((metric) => metric.name === rebirthMetric && metric.value?.kind === "boolean" && metric.value.value);
    } catch {
      return [];
    }
    return rebirth && this.bdSeq >= 0 ? this.births(time) : [];
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) % 256;
    return this.seq;
  }

  private birthMetrics(target: TDeviceState, time: number): TMetricSpec[] {
    return [...target.metrics.values()].map((metric) => ({ ...typedValue(metric), name: metric.name, alias: metric.alias, timestamp: time }));
  }
}

function typedValue(metric: TMetricState): TMetricSpec {
  switch (metric.type) {
    case "Boolean":
      return { type: "Boolean", value: metric.value === true };
    case "Double":
      return { type: "Double", value: Number(metric.value) };
    case "Int32":
      return { type: "Int32", value: Number(metric.value) };
    case "UInt64":
      return { type: "UInt64", value: Number(metric.value) };
  }
}
