import { ingestLimits, type TIngestRecord, type TSampleRecord, type TSampleValue } from "../records";
import { dataTypeName, decodeSparkplugPayload, spbDataType, type TSpbMetric, type TSpbPayload, type TSpbValue } from "./codec";
import { encodeRebirthRequest } from "./encode";
import { SequenceTracker } from "./sequence";

/**
 * Sparkplug B 3.0 primary host application core. Pure logic, no I/O: the worker feeds it every
 * message with its receive time, publishes the commands it returns, calls tick() on a timer and
 * publishes stateDeath()/stateBirth() as its MQTT will and first message.
 *
 * A message yields records for all of it or a quarantine reason, never part of it. Data is never
 * stored under a guessed name: DATA before a birth, or with an alias/name the birth did not
 * declare, is quarantined and a rebirth is requested (at most one per node per reorderTimeoutMs).
 *
 * Metric names: "/" becomes "." and " " becomes "_" ("Inputs/Temperature" → "Inputs.Temperature");
 * the result must be a valid Shopfloor metric name (A-Z a-z 0-9 _ - : . up to 200 characters),
 * otherwise that metric's values are skipped with a note. `bdSeq`, `Node Control/*` and
 * `Properties/*` are session metadata, not samples.
 */

export type TSparkplugCommand = { topic: string; payload: Buffer; qos: 0 | 1; retain: boolean };
export type TStaleMark = { path: string; at: number };

export type THostResult = {
  records: TIngestRecord[];
  quarantine?: { reason: string };
  commands: TSparkplugCommand[];
  /** Paths whose every metric became STALE at `at` (NDEATH / DDEATH, host receive time). */
  stale?: TStaleMark[];
  notes?: string[];
};

export type TSparkplugHostOptions = {
  hostId: string;
  /** Asset path of a node (device undefined) or of a device. Default `<group>/<edge_node>[/<device>]`. */
  mapPath?: (group: string, edgeNode: string, device?: string) => string;
  /** How long a missing seq may stay missing before a rebirth is requested; also the rebirth rate limit. */
  reorderTimeoutMs?: number;
  now?: () => number;
};

const namespace = "spBv1.0";
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const metricNamePattern = /^[A-Za-z0-9_:.-]+$/;
const { maxAbsSampleValue } = ingestLimits;
/** PostgreSQL text cannot hold NUL, and an unpaired surrogate cannot be stored as UTF-8. */
const unstorableText = /[\u0000\uD800-\uDFFF]/u;
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
/** Bounds on remembered state, so a flood of made-up node or device ids cannot grow memory. */
const maxEdgeNodes = 10_000;
const maxDevicesPerNode = 1_000;

const nodeMessageTypes = new Set(["NBIRTH", "NDEATH", "NDATA", "NCMD"]);
const deviceMessageTypes = new Set(["DBIRTH", "DDEATH", "DDATA", "DCMD"]);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Thrown inside the host only; handle() turns it into a quarantine reason. */
class Rejection extends Error {}

function reject(reason: string): never {
  throw new Rejection(reason);
}

type TRoute =
  | { kind: "state"; hostId: string }
  | { kind: "edge"; type: string; group: string; edge: string; device: string | undefined };

type TMetricDef = {
  sparkplugName: string;
  datatype: number;
  /** Our metric name; undefined when the values are not samples (session metadata, unmappable name). */
  metric: string | undefined;
  /** Said in notes when values are skipped for a reason worth telling an admin. */
  skipNote: string | undefined;
  transient: boolean;
};

type TMetricTable = { byName: Map<string, TMetricDef>; byAlias: Map<bigint, TMetricDef> };
type TDevice = { path: string; table: TMetricTable };
type TBirth = { bdSeq: bigint; path: string; table: TMetricTable; seq: SequenceTracker; devices: Map<string, TDevice> };
type TNode = {
  label: string;
  group: string;
  edge: string;
  /** The current session; undefined before NBIRTH and after a matching NDEATH. */
  birth: TBirth | undefined;
  lastRebirthAt: number | undefined;
  /** A rebirth held back by the rate limit; tick() sends it when allowed. */
  rebirthWanted: string | undefined;
};

type TContext = { commands: TSparkplugCommand[]; notes: string[]; stale: TStaleMark[] };

export class SparkplugHost {
  private readonly hostId: string;
  private readonly mapPath: (group: string, edgeNode: string, device?: string) => string;
  private readonly reorderTimeoutMs: number;
  private readonly now: () => number;
  private readonly nodes = new Map<string, TNode>();
  /** Timestamp of the STATE will registered for the current connection (spec: birth repeats it). */
  private stateTimestamp: number | undefined;
  private stateOnline = false;

  constructor(options: TSparkplugHostOptions) {
    if (!idPattern.test(options.hostId)) throw new Error(`Sparkplug host id ${quote(options.hostId)} must be 1–64 characters from A-Z a-z 0-9 _ -`);
    const reorderTimeoutMs = options.reorderTimeoutMs ?? 2_000;
    if (!Number.isFinite(reorderTimeoutMs) || reorderTimeoutMs < 0) throw new Error(`reorderTimeoutMs must be a finite number ≥ 0, got ${reorderTimeoutMs}`);
    this.hostId = options.hostId;
    this.mapPath = options.mapPath ?? ((group, edgeNode, device) => (device === undefined ? `${group}/${edgeNode}` : `${group}/${edgeNode}/${device}`));
    this.reorderTimeoutMs = reorderTimeoutMs;
    this.now = options.now ?? Date.now;
  }

  /** Own STATE is included: spec 3.0 requires it, to republish the birth if an old will lands. */
  subscriptions(): string[] {
    return [`${namespace}/+/+/+`, `${namespace}/+/+/+/+`, this.stateTopic()];
  }

  /**
   * The will for the MQTT CONNECT. Each call starts a new STATE timestamp, which the following
   * stateBirth() repeats (spec: the birth's timestamp equals the prior CONNECT will's).
   * Also the message to publish before an intentional disconnect.
   */
  stateDeath(nowMs: number = this.now()): TSparkplugCommand {
    this.stateTimestamp = checkClock(nowMs);
    this.stateOnline = false;
    return this.stateMessage(false, this.stateTimestamp);
  }

  /** Publish after subscribing. Uses the will's timestamp; `nowMs` only when no will was made. */
  stateBirth(nowMs: number): TSparkplugCommand {
    this.stateTimestamp ??= checkClock(nowMs);
    this.stateOnline = true;
    return this.stateMessage(true, this.stateTimestamp);
  }

  handle(topic: string, payload: Buffer, receivedAtMs: number): THostResult {
    const context: TContext = { commands: [], notes: [], stale: [] };
    try {
      if (!Number.isFinite(receivedAtMs)) reject("receive time is not a finite number (worker clock problem)");
      return result(this.route(parseTopic(topic), payload, receivedAtMs, context), context);
    } catch (error) {
      // Never throw to the worker: an unexpected failure still quarantines just this message.
      const reason = error instanceof Rejection ? error.message : `Sparkplug host failure: ${error instanceof Error ? error.message : "unknown error"}`;
      return result([], context, reason);
    }
  }

  /** Rebirth requests for seq gaps that outlived the reorder timeout, and held-back requests now allowed. */
  /**
   * Asks every born edge node for a rebirth (sent by tick(), within the rate limit), e.g. when the
   * asset path mapping changed: paths are fixed at birth, so only a new birth applies a new rule.
   */
  requestRebirthOfAll(reason: string): void {
    for (const node of this.nodes.values()) if (node.birth) node.rebirthWanted ??= reason;
  }

  tick(nowMs: number): TSparkplugCommand[] {
    const commands: TSparkplugCommand[] = [];
    for (const [key, node] of this.nodes) {
      const since = node.birth?.seq.oldestMissingSince();
      const gapExpired = since !== undefined && nowMs - since >= this.reorderTimeoutMs;
      if ((gapExpired || node.rebirthWanted !== undefined) && this.rebirthAllowed(node, nowMs)) {
        commands.push(this.sendRebirth(node, nowMs));
        continue;
      }
      // Forget nodes that hold nothing but an expired rate-limit entry.
      if (!node.birth && node.rebirthWanted === undefined && this.rebirthAllowed(node, nowMs)) this.nodes.delete(key);
    }
    return commands;
  }

  // --- routing ------------------------------------------------------------------------------------

  private route(route: TRoute, payload: Buffer, receivedAtMs: number, context: TContext): TSampleRecord[] {
    if (route.kind === "state") {
      this.onState(route.hostId, payload, context);
      return [];
    }
    const { type, group, edge, device } = route;
    switch (type) {
      case "NBIRTH": return this.onNodeBirth(group, edge, payload, receivedAtMs, context);
      case "DBIRTH": return this.onDeviceBirth(group, edge, device ?? "", payload, receivedAtMs, context);
      case "NDATA": case "DDATA": return this.onData(type, group, edge, device, payload, receivedAtMs, context);
      case "NDEATH": this.onNodeDeath(group, edge, payload, receivedAtMs, context); return [];
      case "DDEATH": this.onDeviceDeath(group, edge, device ?? "", payload, receivedAtMs, context); return [];
      // Commands are ours or another host's, never data.
      default: return [];
    }
  }

  private onState(hostId: string, payload: Buffer, context: TContext) {
    // Other hosts' STATE is none of our business; ours matters only while we are online.
    if (hostId !== this.hostId || !this.stateOnline || this.stateTimestamp === undefined) return;
    checkSize(payload);
    let online: unknown;
    try {
      const parsed: unknown = JSON.parse(utf8.decode(payload));
      online = typeof parsed === "object" && parsed !== null ? (parsed as { online?: unknown }).online : undefined;
    } catch {
      context.notes.push("own STATE message is not JSON; ignored");
      return;
    }
    if (online !== false) return;
    // Spec 3.0: an offline STATE on our own id (an old will) must be answered by our birth again.
    context.commands.push(this.stateMessage(true, this.stateTimestamp));
    context.notes.push("own STATE seen offline while online; STATE birth republished");
  }

  private onNodeBirth(group: string, edge: string, payload: Buffer, receivedAtMs: number, context: TContext): TSampleRecord[] {
    const node = this.node(group, edge);
    const message = decode(payload);
    // A new NBIRTH opens a new session whatever follows: the previous one no longer applies.
    node.birth = undefined;
    const seq = readSeq(message, "NBIRTH", node.label);
    const bdSeq = readBdSeq(message, "NBIRTH", node.label);
    const table = declare(message.metrics, "NBIRTH", node.label);
    const path = this.pathFor(group, edge, undefined);
    node.birth = { bdSeq, path, table, seq: new SequenceTracker(seq), devices: new Map() };
    node.rebirthWanted = undefined;
    const entries = message.metrics.map((metric) => ({ metric, def: declaredDef(metric, table) }));
    return birthSamples(() => buildSamples("NBIRTH", node.label, path, message, entries, receivedAtMs, context));
  }

  private onDeviceBirth(group: string, edge: string, device: string, payload: Buffer, receivedAtMs: number, context: TContext): TSampleRecord[] {
    const node = this.node(group, edge);
    const label = `${node.label}/${device}`;
    const message = decode(payload);
    const birth = node.birth;
    if (!birth) {
      this.requestRebirth(node, receivedAtMs, `DBIRTH for ${label} before the node's NBIRTH`, context);
      return reject(`DBIRTH for ${label} arrived before an NBIRTH for ${node.label}; not stored`);
    }
    this.trackSeq(node, birth, readSeq(message, "DBIRTH", label), receivedAtMs, context);
    if (!birth.devices.has(device) && birth.devices.size >= maxDevicesPerNode) reject(`DBIRTH for ${label}: more than ${maxDevicesPerNode} devices on one edge node`);
    // The new DBIRTH replaces the old declarations even when it is refused.
    birth.devices.delete(device);
    const table = declare(message.metrics, "DBIRTH", label);
    const path = this.pathFor(group, edge, device);
    birth.devices.set(device, { path, table });
    const entries = message.metrics.map((metric) => ({ metric, def: declaredDef(metric, table) }));
    return birthSamples(() => buildSamples("DBIRTH", label, path, message, entries, receivedAtMs, context));
  }

  private onData(
    type: "NDATA" | "DDATA", group: string, edge: string, device: string | undefined,
    payload: Buffer, receivedAtMs: number, context: TContext,
  ): TSampleRecord[] {
    const node = this.node(group, edge);
    const label = device === undefined ? node.label : `${node.label}/${device}`;
    const message = decode(payload);
    const birth = node.birth;
    if (!birth) {
      this.requestRebirth(node, receivedAtMs, `${type} before NBIRTH`, context);
      return reject(`${type} for ${label} arrived before an NBIRTH for ${node.label}; not stored under a guessed name`);
    }
    this.trackSeq(node, birth, readSeq(message, type, label), receivedAtMs, context);
    const target = device === undefined ? { path: birth.path, table: birth.table } : birth.devices.get(device);
    if (!target) {
      this.requestRebirth(node, receivedAtMs, `DDATA for ${label} before its DBIRTH`, context);
      return reject(`DDATA for ${label} arrived before its DBIRTH; not stored under a guessed name`);
    }
    // Resolve every metric first, so an unknown alias anywhere refuses the whole message.
    const entries = message.metrics.map((metric, index) => ({ metric, def: this.resolve(node, metric, index, target.table, type, label, receivedAtMs, context) }));
    return buildSamples(type, label, target.path, message, entries, receivedAtMs, context);
  }

  private onNodeDeath(group: string, edge: string, payload: Buffer, receivedAtMs: number, context: TContext) {
    const label = `${group}/${edge}`;
    const message = decode(payload);
    const bdSeq = readBdSeq(message, "NDEATH", label);
    const node = this.nodes.get(label);
    if (!node?.birth) {
      context.notes.push(`NDEATH for ${label} ignored: the node has no current NBIRTH`);
      return;
    }
    if (bdSeq !== node.birth.bdSeq) {
      // An old session's will (spec: bdSeq correlates NDEATH with its NBIRTH).
      context.notes.push(`stale NDEATH for ${label} ignored: bdSeq ${bdSeq} does not match the current NBIRTH's bdSeq ${node.birth.bdSeq}`);
      return;
    }
    // Spec: NDEATH time is the host's receive time (the broker may publish the will much later).
    const paths = new Set([node.birth.path, ...[...node.birth.devices.values()].map((device) => device.path)]);
    for (const path of paths) context.stale.push({ path, at: receivedAtMs });
    node.birth = undefined;
    node.rebirthWanted = undefined;
    context.notes.push(`${label} offline (NDEATH bdSeq ${bdSeq}); its metrics and its devices' metrics are stale`);
  }

  private onDeviceDeath(group: string, edge: string, device: string, payload: Buffer, receivedAtMs: number, context: TContext) {
    const label = `${group}/${edge}/${device}`;
    const message = decode(payload);
    const node = this.nodes.get(`${group}/${edge}`);
    if (!node?.birth) {
      context.notes.push(`DDEATH for ${label} ignored: the node has no current NBIRTH`);
      return;
    }
    this.trackSeq(node, node.birth, readSeq(message, "DDEATH", label), receivedAtMs, context);
    const known = node.birth.devices.get(device);
    if (!known) {
      context.notes.push(`DDEATH for ${label} ignored: the device has no current DBIRTH`);
      return;
    }
    node.birth.devices.delete(device);
    context.stale.push({ path: known.path, at: receivedAtMs });
    context.notes.push(`${label} offline (DDEATH); its metrics are stale`);
  }

  // --- sessions, seq and rebirth --------------------------------------------------------------------

  private node(group: string, edge: string): TNode {
    const label = `${group}/${edge}`;
    let node = this.nodes.get(label);
    if (!node) {
      if (this.nodes.size >= maxEdgeNodes) reject(`more than ${maxEdgeNodes} Sparkplug edge nodes are tracked; ${label} refused`);
      node = { label, group, edge, birth: undefined, lastRebirthAt: undefined, rebirthWanted: undefined };
      this.nodes.set(label, node);
    }
    return node;
  }

  private trackSeq(node: TNode, birth: TBirth, seq: number, receivedAtMs: number, context: TContext) {
    const observation = birth.seq.observe(seq, receivedAtMs);
    switch (observation.kind) {
      case "gap":
        context.notes.push(`seq gap at ${node.label}: ${observation.missing} message(s) missing before seq ${seq}; rebirth in ${this.reorderTimeoutMs} ms unless they arrive`);
        break;
      case "late":
        context.notes.push(`seq ${seq} at ${node.label} arrived late, within the reorder window`);
        break;
      case "duplicate":
        context.notes.push(`seq ${seq} at ${node.label} seen again (redelivery); not a gap`);
        break;
      case "unplaceable":
        this.requestRebirth(node, receivedAtMs, `seq ${seq} does not fit the stream (expected ${observation.expected})`, context);
        break;
      case "next":
        break;
    }
    if (birth.seq.takeLost()) this.requestRebirth(node, receivedAtMs, "a missing seq fell out of the reorder window", context);
  }

  private resolve(
    node: TNode, metric: TSpbMetric, index: number, table: TMetricTable,
    type: string, label: string, receivedAtMs: number, context: TContext,
  ): TMetricDef {
    let def: TMetricDef | undefined;
    let unknown: string | undefined;
    if (metric.alias !== undefined) {
      def = table.byAlias.get(metric.alias);
      if (!def) unknown = `unknown alias ${metric.alias} for ${label}`;
      else if (metric.name !== undefined && metric.name !== def.sparkplugName) {
        unknown = `${type} for ${label}: metric name ${quote(metric.name)} does not match alias ${metric.alias} (${quote(def.sparkplugName)})`;
      }
    } else if (metric.name !== undefined) {
      def = table.byName.get(metric.name);
      if (!def) unknown = `unknown metric name ${quote(metric.name)} for ${label}`;
    } else {
      return reject(`${type} for ${label}: metric #${index + 1} has neither a name nor an alias`);
    }
    if (def && metric.datatype !== undefined && metric.datatype !== def.datatype) {
      unknown = `${type} for ${label}: metric ${quote(def.sparkplugName)} is sent as ${describeType(metric.datatype)} but its birth declared ${describeType(def.datatype)}`;
    }
    if (unknown !== undefined || !def) {
      // The edge node and we disagree on its metrics: only a new birth can settle it.
      this.requestRebirth(node, receivedAtMs, unknown ?? "unresolved metric", context);
      return reject(unknown ?? `${type} for ${label}: unresolved metric`);
    }
    return def;
  }

  private rebirthAllowed(node: TNode, atMs: number): boolean {
    return node.lastRebirthAt === undefined || atMs - node.lastRebirthAt >= this.reorderTimeoutMs;
  }

  private requestRebirth(node: TNode, atMs: number, reason: string, context: TContext) {
    if (!this.rebirthAllowed(node, atMs)) {
      node.rebirthWanted ??= reason;
      context.notes.push(`rebirth for ${node.label} held back (${reason}): one was requested ${atMs - (node.lastRebirthAt ?? atMs)} ms ago`);
      return;
    }
    context.commands.push(this.sendRebirth(node, atMs));
    context.notes.push(`rebirth requested for ${node.label}: ${reason}`);
  }

  private sendRebirth(node: TNode, atMs: number): TSparkplugCommand {
    node.lastRebirthAt = atMs;
    node.rebirthWanted = undefined;
    // The coming NBIRTH restarts the seq stream; old gaps must not trigger another request.
    node.birth?.seq.forgetGaps();
    // Spec: NCMD QoS 0, not retained, with a payload timestamp and no seq.
    return { topic: `${namespace}/${node.group}/NCMD/${node.edge}`, payload: encodeRebirthRequest(atMs), qos: 0, retain: false };
  }

  private pathFor(group: string, edge: string, device: string | undefined): string {
    let path: unknown;
    try {
      path = this.mapPath(group, edge, device);
    } catch (error) {
      reject(`asset path mapping failed for ${group}/${edge}${device === undefined ? "" : `/${device}`}: ${error instanceof Error ? error.message : "unknown error"}`);
    }
    if (typeof path !== "string" || !path || path.length > ingestLimits.maxTopicLength || path.includes("\u0000") || path.split("/").some((part) => !part)) {
      reject(`asset path mapping returned an invalid path for ${group}/${edge}${device === undefined ? "" : `/${device}`}`);
    }
    return path;
  }

  private stateTopic(): string {
    return `${namespace}/STATE/${this.hostId}`;
  }

  private stateMessage(online: boolean, timestamp: number): TSparkplugCommand {
    return { topic: this.stateTopic(), payload: Buffer.from(JSON.stringify({ online, timestamp })), qos: 1, retain: true };
  }
}

// --- topic and payload ------------------------------------------------------------------------------

function parseTopic(topic: unknown): TRoute {
  if (typeof topic !== "string") reject("topic is not a string");
  if (topic.length > ingestLimits.maxTopicLength) reject(`topic is ${topic.length} characters long; the limit is ${ingestLimits.maxTopicLength}`);
  const segments = topic.split("/");
  if (segments[0] !== namespace) reject(`topic must start with "${namespace}/" (got ${quote(topic)})`);
  if (segments[1] === "STATE") {
    if (segments.length !== 3) reject(`a STATE topic must be ${namespace}/STATE/<host_id> (got ${quote(topic)})`);
    return { kind: "state", hostId: segments[2] ?? "" };
  }
  const [, group = "", type = "", edge = "", device] = segments;
  const isNodeType = nodeMessageTypes.has(type);
  if (!isNodeType && !deviceMessageTypes.has(type)) reject(`unknown Sparkplug message type ${quote(type)} in topic ${quote(topic)}`);
  const expected = isNodeType ? 4 : 5;
  if (segments.length !== expected) {
    reject(`a ${type} topic must be ${namespace}/<group_id>/${type}/<edge_node_id>${isNodeType ? "" : "/<device_id>"} (got ${quote(topic)})`);
  }
  for (const [role, id] of [["group_id", group], ["edge_node_id", edge], ["device_id", device]] as const) {
    if (id !== undefined && !idPattern.test(id)) reject(`topic ${role} ${quote(id)} must be 1–64 characters from A-Z a-z 0-9 _ -`);
  }
  return { kind: "edge", type, group, edge, device };
}

function checkSize(payload: unknown): asserts payload is Uint8Array {
  if (!(payload instanceof Uint8Array)) reject("payload is not a byte buffer");
  // Size first: nothing larger than the cap is decoded.
  if (payload.byteLength > ingestLimits.maxPayloadBytes) reject(`payload is ${payload.byteLength} bytes; the limit is ${ingestLimits.maxPayloadBytes} bytes`);
}

function decode(payload: unknown): TSpbPayload {
  checkSize(payload);
  let message: TSpbPayload;
  try {
    message = decodeSparkplugPayload(payload);
  } catch (error) {
    reject(`payload is not a valid Sparkplug B protobuf (${truncate(error instanceof Error ? error.message : "decode error", 160)})`);
  }
  if (message.metrics.length > ingestLimits.maxMetricsPerMessage) reject(`${message.metrics.length} metrics in one message; the limit is ${ingestLimits.maxMetricsPerMessage}`);
  return message;
}

function readSeq(message: TSpbPayload, type: string, label: string): number {
  if (message.seq === undefined) reject(`${type} for ${label} has no seq`);
  if (message.seq > 255n) reject(`${type} for ${label} has seq ${message.seq}, outside 0–255`);
  return Number(message.seq);
}

function readBdSeq(message: TSpbPayload, type: string, label: string): bigint {
  const found = message.metrics.filter((metric) => metric.name === "bdSeq");
  if (found.length !== 1) reject(found.length ? `${type} for ${label} has ${found.length} bdSeq metrics` : `${type} for ${label} has no bdSeq metric`);
  const value = found[0]?.value;
  if (value?.kind === "long") return value.value;
  if (value?.kind === "int") return BigInt(value.value);
  return reject(`${type} for ${label}: bdSeq is not an integer`);
}

// --- declarations ------------------------------------------------------------------------------------

/** The metric table of a birth. Structural faults refuse the whole birth. */
function declare(metrics: TSpbMetric[], type: string, label: string): TMetricTable {
  const table: TMetricTable = { byName: new Map(), byAlias: new Map() };
  const sparkplugNameOf = new Map<string, string>();
  metrics.forEach((metric, index) => {
    const name = metric.name;
    if (name === undefined || name === "") reject(`${type} for ${label}: metric #${index + 1} has no name`);
    if (table.byName.has(name)) reject(`${type} for ${label}: metric ${quote(name)} is declared twice`);
    if (metric.datatype === undefined) reject(`${type} for ${label}: metric ${quote(name)} has no datatype`);
    if (metric.datatype === spbDataType.Unknown || dataTypeName(metric.datatype) === undefined) {
      reject(`${type} for ${label}: metric ${quote(name)} has unknown datatype ${metric.datatype}`);
    }
    const def: TMetricDef = { sparkplugName: name, datatype: metric.datatype, metric: undefined, skipNote: undefined, transient: metric.isTransient };
    if (!isSessionMetadata(name)) {
      const mapped = toMetricName(name);
      const clash = mapped === undefined ? undefined : sparkplugNameOf.get(mapped);
      if (mapped === undefined) def.skipNote = `${quote(name)} (no valid metric name after mapping)`;
      else if (clash !== undefined) def.skipNote = `${quote(name)} (maps to ${quote(mapped)} like ${quote(clash)})`;
      else {
        def.metric = mapped;
        sparkplugNameOf.set(mapped, name);
      }
    }
    table.byName.set(name, def);
    if (metric.alias !== undefined) {
      const taken = table.byAlias.get(metric.alias);
      if (taken) reject(`${type} for ${label}: alias ${metric.alias} is declared for both ${quote(taken.sparkplugName)} and ${quote(name)}`);
      table.byAlias.set(metric.alias, def);
    }
  });
  return table;
}

function declaredDef(metric: TSpbMetric, table: TMetricTable): TMetricDef {
  // declare() has checked every birth metric has a name in the table.
  const def = metric.name === undefined ? undefined : table.byName.get(metric.name);
  if (!def) return reject("internal: birth metric missing from its own declarations");
  return def;
}

function isSessionMetadata(name: string): boolean {
  return name === "bdSeq" || name.startsWith("Node Control/") || name.startsWith("Properties/");
}

/** Sparkplug metric name → Shopfloor metric name, or undefined if it cannot be one. */
export function toMetricName(sparkplugName: string): string | undefined {
  const mapped = sparkplugName.replaceAll("/", ".").replaceAll(" ", "_");
  if (!mapped || mapped.length > ingestLimits.maxMetricNameLength || !metricNamePattern.test(mapped)) return undefined;
  if (mapped.startsWith(".") || mapped.endsWith(".") || mapped.includes("..")) return undefined;
  return mapped;
}

// --- samples -------------------------------------------------------------------------------------------

/** A birth whose values are refused keeps its declarations: later DATA can still be read. */
function birthSamples(build: () => TSampleRecord[]): TSampleRecord[] {
  try {
    return build();
  } catch (error) {
    if (error instanceof Rejection) reject(`${error.message} (the birth's metric declarations were accepted; none of its values were stored)`);
    throw error;
  }
}

function buildSamples(
  type: string, label: string, path: string, message: TSpbPayload,
  entries: { metric: TSpbMetric; def: TMetricDef }[], receivedAtMs: number, context: TContext,
): TSampleRecord[] {
  const payloadTime = message.timestamp === undefined ? undefined : checkTime(message.timestamp, `${type} for ${label}: payload timestamp`, receivedAtMs);
  const records: TSampleRecord[] = [];
  const skipped: string[] = [];
  const transient: string[] = [];
  const historical: string[] = [];
  for (const { metric, def } of entries) {
    if (def.metric === undefined) {
      if (def.skipNote !== undefined) skipped.push(def.skipNote);
      continue;
    }
    if (metric.isNull) continue;
    // Spec: transient metrics "should not be stored in a historian".
    if (def.transient || metric.isTransient) {
      transient.push(def.metric);
      continue;
    }
    const what = `${type} for ${label}: metric ${quote(def.sparkplugName)}`;
    const value = readValue(metric.value, def.datatype, what);
    if (typeof value === "object") {
      skipped.push(`${quote(def.sparkplugName)} (${value.skip})`);
      continue;
    }
    const time = metric.timestamp === undefined ? payloadTime : checkTime(metric.timestamp, `${what} timestamp`, receivedAtMs);
    if (time === undefined) reject(`${what} has no timestamp and neither has the payload`);
    if (metric.isHistorical) {
      records.push({ kind: "sample", path, metric: def.metric, time, value, historical: true });
      historical.push(def.metric);
    } else {
      records.push({ kind: "sample", path, metric: def.metric, time, value });
    }
  }
  if (skipped.length) context.notes.push(`${type} for ${label}: values not stored for ${skipped.join(", ")}`);
  if (transient.length) context.notes.push(`${type} for ${label}: is_transient metrics not stored: ${transient.join(", ")}`);
  if (historical.length) context.notes.push(`is_historical at ${path}: ${historical.join(", ")} (back-filled; must not change current values)`);
  return records;
}

/** A sample value, or why this value is skipped. Invalid values refuse the whole message. */
function readValue(value: TSpbValue | undefined, datatype: number, what: string): TSampleValue | { skip: string } {
  const typeName = describeType(datatype);
  if (!value) return { skip: "no value" };
  switch (datatype) {
    case spbDataType.Int8: return readSigned(value, 8, what, typeName);
    case spbDataType.Int16: return readSigned(value, 16, what, typeName);
    case spbDataType.Int32: return readSigned(value, 32, what, typeName);
    case spbDataType.Int64: return readSigned(value, 64, what, typeName);
    case spbDataType.UInt8: return readUnsigned(value, 8, what, typeName);
    case spbDataType.UInt16: return readUnsigned(value, 16, what, typeName);
    case spbDataType.UInt32: return readUnsigned(value, 32, what, typeName);
    case spbDataType.UInt64: case spbDataType.DateTime: return readUnsigned(value, 64, what, typeName);
    case spbDataType.Float: case spbDataType.Double: {
      if (value.kind !== "float" && value.kind !== "double") return wrongField(what, typeName, value);
      if (!Number.isFinite(value.value)) reject(`${what} is not a finite number (${value.value})`);
      if (Math.abs(value.value) > maxAbsSampleValue) reject(`${what} is ${value.value}, beyond the accepted magnitude ±${maxAbsSampleValue}`);
      return value.value;
    }
    case spbDataType.Boolean:
      return value.kind === "boolean" ? value.value : wrongField(what, typeName, value);
    case spbDataType.String: case spbDataType.Text: case spbDataType.UUID: {
      if (value.kind !== "string") return wrongField(what, typeName, value);
      if (value.value.length > ingestLimits.maxStringValueLength) reject(`${what} is a string of ${value.value.length} characters; the limit is ${ingestLimits.maxStringValueLength}`);
      if (unstorableText.test(value.value)) reject(`${what} contains a NUL character or an unpaired surrogate`);
      return value.value;
    }
    default:
      // DataSet, Bytes, File, Template, property sets and arrays have no place in a sample row.
      return { skip: `${typeName} values are not stored` };
  }
}

function readSigned(value: TSpbValue, bits: 8 | 16 | 32 | 64, what: string, typeName: string): number {
  let n: bigint;
  if (value.kind === "int") {
    // uint32 on the wire: narrow types may come as their own two's complement (0xFF = -1 for Int8)
    // or sign-extended to 32 bits (0xFFFFFFFF = -1); accept both.
    n = bits < 32 && value.value < 2 ** bits ? BigInt.asIntN(bits, BigInt(value.value)) : BigInt(value.value | 0);
  } else if (value.kind === "long") {
    n = BigInt.asIntN(64, value.value);
  } else {
    return wrongField(what, typeName, value);
  }
  const limit = 2n ** BigInt(bits - 1);
  if (n < -limit || n >= limit) reject(`${what} value ${n} is out of range for ${typeName}`);
  if (n > maxSafe || n < -maxSafe) reject(`${what} value ${n} is beyond ±(2^53−1) and cannot be stored exactly`);
  return Number(n);
}

function readUnsigned(value: TSpbValue, bits: 8 | 16 | 32 | 64, what: string, typeName: string): number {
  let n: bigint;
  if (value.kind === "int") n = BigInt(value.value);
  else if (value.kind === "long") n = value.value;
  else return wrongField(what, typeName, value);
  if (n >= 2n ** BigInt(bits)) reject(`${what} value ${n} is out of range for ${typeName}`);
  if (n > maxSafe) reject(`${what} value ${n} is beyond 2^53−1 and cannot be stored exactly`);
  return Number(n);
}

function wrongField(what: string, typeName: string, value: TSpbValue): never {
  return reject(`${what} is declared ${typeName} but carries a ${value.kind} value`);
}

function checkTime(value: bigint, what: string, receivedAtMs: number): number {
  if (value > maxSafe) reject(`${what} ${value} is not epoch milliseconds — microseconds or nanoseconds?`);
  const ms = Number(value);
  if (ms < ingestLimits.minTimestampMs) {
    const hint = ms >= 1e9 && ms < 1e11 ? " — seconds instead of milliseconds?" : "";
    reject(`${what} ${ms} is before 2000-01-01T00:00:00Z${hint}`);
  }
  const ahead = ms - receivedAtMs;
  if (ahead > ingestLimits.maxFutureSkewMs) {
    const hint = ms >= 1e14 ? " — microseconds or nanoseconds instead of milliseconds?" : "";
    reject(`${what} ${ms} is ${Math.round(ahead / 1000)} s ahead of the receiving clock; at most ${ingestLimits.maxFutureSkewMs / 1000} s is allowed${hint}`);
  }
  return ms;
}

// --- helpers -----------------------------------------------------------------------------------------

function result(records: TSampleRecord[], context: TContext, reason?: string): THostResult {
  const outcome: THostResult = { records, commands: context.commands };
  if (reason !== undefined) outcome.quarantine = { reason };
  if (context.stale.length) outcome.stale = context.stale;
  if (context.notes.length) outcome.notes = context.notes;
  return outcome;
}

function checkClock(nowMs: number): number {
  if (!Number.isFinite(nowMs)) throw new Error(`STATE timestamp must be a finite number of epoch milliseconds, got ${nowMs}`);
  return Math.trunc(nowMs);
}

function describeType(code: number): string {
  return dataTypeName(code) ?? `datatype ${code}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Quoted and escaped, so a reason never carries raw control characters from the sender. */
function quote(text: string): string {
  return JSON.stringify(truncate(text, 80));
}
