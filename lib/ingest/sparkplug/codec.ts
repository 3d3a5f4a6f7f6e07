import { createRequire } from "node:module";
import * as tahuModule from "sparkplug-payload/lib/sparkplugPayloadProto.js";
import type * as TTahuProto from "sparkplug-payload/lib/sparkplugPayloadProto.js";

/**
 * Typed Sparkplug B payload codec on top of Eclipse Tahu's generated protobuf classes
 * (package sparkplug-payload). We skip Tahu's high-level decodePayload on purpose: it throws on
 * valid DataSets (no Int32 column case) and picks the value by the metric's own datatype, which
 * alias-only NDATA/DDATA omit (spec: datatype SHOULD NOT be sent in DATA). Here the value is
 * reported by the protobuf field that carries it; the host interprets it with the birth's datatype.
 */

// The package is CommonJS (`module.exports = root`); Node's ESM loader exposes it only as
// `default` (its .d.ts has no default export), a bundler (the web app's retry from quarantine)
// as the namespace itself. A static import serves both; createRequire cannot be bundled.
const tahuRoot = ((tahuModule as { default?: typeof TTahuProto }).default ?? tahuModule) as typeof TTahuProto;
const tahu = tahuRoot.org.eclipse.tahu.protobuf;

type TProtoMetric = TTahuProto.org.eclipse.tahu.protobuf.Payload.IMetric;
type TProtoDataSet = TTahuProto.org.eclipse.tahu.protobuf.Payload.IDataSet;
type TProtoDataSetValue = TTahuProto.org.eclipse.tahu.protobuf.Payload.DataSet.IDataSetValue;
type TProtoTemplate = TTahuProto.org.eclipse.tahu.protobuf.Payload.ITemplate;
/** The Long class protobufjs uses for uint64 fields. */
type TProtoLong = Exclude<NonNullable<TProtoMetric["longValue"]>, number>;
type TLongFactory = { fromBits(low: number, high: number, unsigned?: boolean): TProtoLong };
// protobufjs reads uint64 through the `long` package it finds beside sparkplug-payload; encoding
// a bigint needs the same class. Loaded on first use: only encoding needs it, and decoding must
// also load where createRequire cannot run at module evaluation (the web app's bundle).
let longFactory: TLongFactory | undefined;
function longClass(): TLongFactory {
  longFactory ??= createRequire(createRequire(import.meta.url).resolve("sparkplug-payload"))("long") as TLongFactory;
  return longFactory;
}

/** Sparkplug B 3.0 DataType enum (specification §6.4.16). */
export const spbDataType = {
  Unknown: 0, Int8: 1, Int16: 2, Int32: 3, Int64: 4, UInt8: 5, UInt16: 6, UInt32: 7, UInt64: 8,
  Float: 9, Double: 10, Boolean: 11, String: 12, DateTime: 13, Text: 14, UUID: 15, DataSet: 16,
  Bytes: 17, File: 18, Template: 19, PropertySet: 20, PropertySetList: 21,
  Int8Array: 22, Int16Array: 23, Int32Array: 24, Int64Array: 25, UInt8Array: 26, UInt16Array: 27,
  UInt32Array: 28, UInt64Array: 29, FloatArray: 30, DoubleArray: 31, BooleanArray: 32,
  StringArray: 33, DateTimeArray: 34,
} as const;
export type TSpbDataTypeName = keyof typeof spbDataType;

const dataTypeNames = new Map<number, TSpbDataTypeName>(
  (Object.entries(spbDataType) as [TSpbDataTypeName, number][]).map(([name, code]) => [code, name]),
);

export function dataTypeName(code: number): TSpbDataTypeName | undefined {
  return dataTypeNames.get(code);
}

/** Which protobuf `value` field a metric carried (uint64 as an unsigned bigint). */
export type TSpbValue =
  | { kind: "int"; value: number }
  | { kind: "long"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "double"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "bytes"; length: number }
  | { kind: "dataset" }
  | { kind: "template"; isDefinition: boolean }
  | { kind: "extension" };

export type TSpbMetric = {
  name?: string;
  alias?: bigint;
  timestamp?: bigint;
  datatype?: number;
  isHistorical: boolean;
  isTransient: boolean;
  isNull: boolean;
  value?: TSpbValue;
};

export type TSpbPayload = { timestamp?: bigint; seq?: bigint; uuid?: string; metrics: TSpbMetric[] };

export type TDataSetCell = number | bigint | boolean | string;

export type TSpbValueInput =
  | { kind: "int"; value: number }
  | { kind: "long"; value: number | bigint }
  | { kind: "float"; value: number }
  | { kind: "double"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "dataset"; columns: string[]; types: number[]; rows: TDataSetCell[][] }
  | { kind: "template"; isDefinition: boolean; templateRef?: string; metrics?: TSpbMetricInput[] };

export type TSpbMetricInput = {
  name?: string;
  alias?: number | bigint;
  timestamp?: number;
  datatype?: number;
  isHistorical?: boolean;
  isTransient?: boolean;
  isNull?: boolean;
  value?: TSpbValueInput;
};

export type TSpbPayloadInput = { timestamp?: number; seq?: number; uuid?: string; metrics: TSpbMetricInput[] };

/** Decodes a Sparkplug B payload. Throws on bytes that are not a valid protobuf Payload. */
export function decodeSparkplugPayload(bytes: Uint8Array): TSpbPayload {
  const message = tahu.Payload.decode(bytes);
  const payload: TSpbPayload = { metrics: message.metrics.map(readMetric) };
  // proto2 optional fields: decoded messages carry own properties only for fields on the wire.
  if (Object.hasOwn(message, "timestamp")) payload.timestamp = toUint64(message.timestamp);
  if (Object.hasOwn(message, "seq")) payload.seq = toUint64(message.seq);
  if (Object.hasOwn(message, "uuid")) payload.uuid = message.uuid;
  return payload;
}

export function encodeSparkplugPayload(input: TSpbPayloadInput): Buffer {
  const message = tahu.Payload.create({ metrics: input.metrics.map(writeMetric) });
  if (input.timestamp !== undefined) message.timestamp = input.timestamp;
  if (input.seq !== undefined) message.seq = input.seq;
  if (input.uuid !== undefined) message.uuid = input.uuid;
  const bytes = tahu.Payload.encode(message).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readMetric(metric: TProtoMetric, index: number): TSpbMetric {
  const has = (field: keyof TProtoMetric) => Object.hasOwn(metric, field) && metric[field] !== null && metric[field] !== undefined;
  const result: TSpbMetric = { isHistorical: metric.isHistorical === true, isTransient: metric.isTransient === true, isNull: metric.isNull === true };
  if (has("name") && typeof metric.name === "string") result.name = metric.name;
  if (has("alias") && metric.alias !== null && metric.alias !== undefined) result.alias = toUint64(metric.alias);
  if (has("timestamp") && metric.timestamp !== null && metric.timestamp !== undefined) result.timestamp = toUint64(metric.timestamp);
  if (has("datatype") && typeof metric.datatype === "number") result.datatype = metric.datatype;

  const values: TSpbValue[] = [];
  if (has("intValue") && typeof metric.intValue === "number") values.push({ kind: "int", value: metric.intValue >>> 0 });
  if (has("longValue") && metric.longValue !== null && metric.longValue !== undefined) values.push({ kind: "long", value: toUint64(metric.longValue) });
  if (has("floatValue") && typeof metric.floatValue === "number") values.push({ kind: "float", value: metric.floatValue });
  if (has("doubleValue") && typeof metric.doubleValue === "number") values.push({ kind: "double", value: metric.doubleValue });
  if (has("booleanValue") && typeof metric.booleanValue === "boolean") values.push({ kind: "boolean", value: metric.booleanValue });
  if (has("stringValue") && typeof metric.stringValue === "string") values.push({ kind: "string", value: metric.stringValue });
  if (has("bytesValue") && metric.bytesValue) values.push({ kind: "bytes", length: metric.bytesValue.length });
  if (has("datasetValue")) values.push({ kind: "dataset" });
  if (has("templateValue")) values.push({ kind: "template", isDefinition: metric.templateValue?.isDefinition === true });
  if (has("extensionValue")) values.push({ kind: "extension" });
  // A oneof seen twice on the wire is legal protobuf but ambiguous here: refuse it.
  if (values.length > 1) throw new Error(`metric #${index + 1} carries ${values.length} different value fields`);
  if (values[0]) result.value = values[0];
  return result;
}

function writeMetric(input: TSpbMetricInput): TProtoMetric {
  const metric: TProtoMetric = {};
  if (input.name !== undefined) metric.name = input.name;
  if (input.alias !== undefined) metric.alias = toProtoUint64(input.alias);
  if (input.timestamp !== undefined) metric.timestamp = input.timestamp;
  if (input.datatype !== undefined) metric.datatype = input.datatype;
  if (input.isHistorical !== undefined) metric.isHistorical = input.isHistorical;
  if (input.isTransient !== undefined) metric.isTransient = input.isTransient;
  if (input.isNull !== undefined) metric.isNull = input.isNull;
  const value = input.value;
  if (!value) return metric;
  switch (value.kind) {
    case "int": metric.intValue = value.value; break;
    case "long": metric.longValue = toProtoUint64(value.value); break;
    case "float": metric.floatValue = value.value; break;
    case "double": metric.doubleValue = value.value; break;
    case "boolean": metric.booleanValue = value.value; break;
    case "string": metric.stringValue = value.value; break;
    case "bytes": metric.bytesValue = value.value; break;
    case "dataset": metric.datasetValue = writeDataSet(value.columns, value.types, value.rows); break;
    case "template": metric.templateValue = writeTemplate(value.isDefinition, value.templateRef, value.metrics); break;
  }
  return metric;
}

function writeDataSet(columns: string[], types: number[], rows: TDataSetCell[][]): TProtoDataSet {
  return {
    numOfColumns: columns.length,
    columns,
    types,
    rows: rows.map((row) => ({ elements: row.map(writeDataSetCell) })),
  };
}

function writeDataSetCell(cell: TDataSetCell): TProtoDataSetValue {
  if (typeof cell === "bigint") return { longValue: toProtoUint64(cell) };
  if (typeof cell === "number") return Number.isInteger(cell) ? { longValue: cell } : { doubleValue: cell };
  if (typeof cell === "boolean") return { booleanValue: cell };
  return { stringValue: cell };
}

function writeTemplate(isDefinition: boolean, templateRef: string | undefined, metrics: TSpbMetricInput[] | undefined): TProtoTemplate {
  const template: TProtoTemplate = { isDefinition, metrics: (metrics ?? []).map(writeMetric) };
  if (templateRef !== undefined) template.templateRef = templateRef;
  return template;
}

/** uint64 as protobufjs hands it over (a Long, or a number when Long is absent) → unsigned bigint. */
function toUint64(value: number | TProtoLong): bigint {
  if (typeof value === "number") return BigInt.asUintN(64, BigInt(Math.trunc(value)));
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/** Numbers pass through (protobufjs writes negatives as two's complement); bigints become a Long. */
function toProtoUint64(value: number | bigint): number | TProtoLong {
  if (typeof value === "number") return value;
  const bits = BigInt.asUintN(64, value);
  return longClass().fromBits(Number(bits & 0xffff_ffffn) | 0, Number(bits >> 32n) | 0, true);
}
