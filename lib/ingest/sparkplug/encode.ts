import {
  encodeSparkplugPayload, spbDataType,
  type TDataSetCell, type TSpbDataTypeName, type TSpbMetricInput, type TSpbValueInput,
} from "./codec";

/**
 * Builders for Sparkplug B payloads, for the simulator and tests. They follow the spec's shape:
 * births carry name, alias and datatype; DATA metrics carry the alias (or name) and no datatype
 * unless asked; NBIRTH gets `bdSeq` and `Node Control/Rebirth` = false when the caller omits them.
 */

export type TSparkplugMessageType = "NBIRTH" | "NDEATH" | "DBIRTH" | "DDEATH" | "NDATA" | "DDATA" | "NCMD" | "DCMD";

export type TDataSetInput = { columns: string[]; types: TSpbDataTypeName[]; rows: TDataSetCell[][] };

/** A value matched to its Sparkplug datatype; `null` sends is_null. */
export type TTypedValue =
  | { type: "Int8" | "Int16" | "Int32" | "UInt8" | "UInt16" | "UInt32"; value: number | null }
  | { type: "Int64" | "UInt64" | "DateTime"; value: number | bigint | null }
  | { type: "Float" | "Double"; value: number | null }
  | { type: "Boolean"; value: boolean | null }
  | { type: "String" | "Text" | "UUID"; value: string | null }
  | { type: "Bytes" | "File"; value: Uint8Array | null }
  | { type: "DataSet"; value: TDataSetInput | null };

export type TMetricSpec = TTypedValue & {
  name?: string;
  alias?: number | bigint;
  timestamp?: number;
  isHistorical?: boolean;
  isTransient?: boolean;
  /** Births always send the datatype; DATA messages only when this is true. */
  includeDatatype?: boolean;
};

export function sparkplugTopic(group: string, messageType: TSparkplugMessageType, edgeNode: string, device?: string): string {
  return device === undefined ? `spBv1.0/${group}/${messageType}/${edgeNode}` : `spBv1.0/${group}/${messageType}/${edgeNode}/${device}`;
}

export function encodeNBirth(input: { timestamp: number; bdSeq: number | bigint; seq?: number; metrics: TMetricSpec[] }): Buffer {
  const metrics = [...input.metrics];
  if (!metrics.some((metric) => metric.name === "Node Control/Rebirth")) {
    metrics.unshift({ name: "Node Control/Rebirth", type: "Boolean", value: false, timestamp: input.timestamp });
  }
  if (!metrics.some((metric) => metric.name === "bdSeq")) {
    metrics.unshift({ name: "bdSeq", type: "Int64", value: input.bdSeq, timestamp: input.timestamp });
  }
  return encodeSparkplugPayload({ timestamp: input.timestamp, seq: input.seq ?? 0, metrics: metrics.map((metric) => toMetricInput(metric, true)) });
}

export function encodeDBirth(input: { timestamp: number; seq: number; metrics: TMetricSpec[] }): Buffer {
  return encodeSparkplugPayload({ timestamp: input.timestamp, seq: input.seq, metrics: input.metrics.map((metric) => toMetricInput(metric, true)) });
}

/** NDATA and DDATA share one payload shape. */
export function encodeData(input: { timestamp: number; seq: number; metrics: TMetricSpec[] }): Buffer {
  return encodeSparkplugPayload({ timestamp: input.timestamp, seq: input.seq, metrics: input.metrics.map((metric) => toMetricInput(metric, false)) });
}

/** The NDEATH will: only bdSeq, no seq (spec: NDEATH MUST NOT include a sequence number). */
export function encodeNDeath(input: { bdSeq: number | bigint; timestamp?: number }): Buffer {
  const bdSeq = toMetricInput({ name: "bdSeq", type: "Int64", value: input.bdSeq }, true);
  return encodeSparkplugPayload(input.timestamp === undefined ? { metrics: [bdSeq] } : { timestamp: input.timestamp, metrics: [bdSeq] });
}

export function encodeDDeath(input: { timestamp: number; seq: number }): Buffer {
  return encodeSparkplugPayload({ timestamp: input.timestamp, seq: input.seq, metrics: [] });
}

/** NCMD rebirth request (spec §6.4.4 "Node Control/Rebirth"): no seq, a payload timestamp. */
export function encodeRebirthRequest(timestamp: number): Buffer {
  return encodeSparkplugPayload({
    timestamp,
    metrics: [{ name: "Node Control/Rebirth", datatype: spbDataType.Boolean, timestamp, value: { kind: "boolean", value: true } }],
  });
}

function toMetricInput(spec: TMetricSpec, isBirth: boolean): TSpbMetricInput {
  const metric: TSpbMetricInput = {};
  if (spec.name !== undefined) metric.name = spec.name;
  if (spec.alias !== undefined) metric.alias = spec.alias;
  if (spec.timestamp !== undefined) metric.timestamp = spec.timestamp;
  if (isBirth || spec.includeDatatype) metric.datatype = spbDataType[spec.type];
  if (spec.isHistorical !== undefined) metric.isHistorical = spec.isHistorical;
  if (spec.isTransient !== undefined) metric.isTransient = spec.isTransient;
  if (spec.value === null) {
    metric.isNull = true;
    return metric;
  }
  metric.value = toValueInput(spec);
  return metric;
}

function toValueInput(spec: TTypedValue): TSpbValueInput | undefined {
  switch (spec.type) {
    case "Int8": case "Int16": case "Int32": case "UInt8": case "UInt16": case "UInt32":
      // Spec 3.0 §6.4.16: these travel in the uint32 int_value; negatives as 32-bit two's complement.
      return spec.value === null ? undefined : { kind: "int", value: spec.value };
    case "Int64": case "UInt64": case "DateTime":
      return spec.value === null ? undefined : { kind: "long", value: spec.value };
    case "Float":
      return spec.value === null ? undefined : { kind: "float", value: spec.value };
    case "Double":
      return spec.value === null ? undefined : { kind: "double", value: spec.value };
    case "Boolean":
      return spec.value === null ? undefined : { kind: "boolean", value: spec.value };
    case "String": case "Text": case "UUID":
      return spec.value === null ? undefined : { kind: "string", value: spec.value };
    case "Bytes": case "File":
      return spec.value === null ? undefined : { kind: "bytes", value: spec.value };
    case "DataSet":
      return spec.value === null
        ? undefined
        : { kind: "dataset", columns: spec.value.columns, types: spec.value.types.map((type) => spbDataType[type]), rows: spec.value.rows };
  }
}
