import { z } from "zod";
import { ingestLimits, type TIngestRecord, type TParseResult, type TSampleRecord, type TSampleValue } from "./records";

/**
 * Unified Namespace JSON (UMH v1 compatible) parser. Pure: no I/O, no clock (the caller passes
 * the receive time), never throws. A message yields records for all of it or a reason.
 *
 * Topic: umh/v1/<enterprise>[/<site>[/<area>[/<line>[/<workCell>]]]][/<originId>]/<schema…>
 * The schema starts at the first segment beginning with "_"; up to 5 levels before it form the
 * asset path, a 6th is the origin id.
 *
 * Metric names (decided here): 1–200 characters from A-Z a-z 0-9 _ - : and ".", where "."
 * only separates non-empty parts. Nested objects flatten with ".", so {"axis": {"x": 1}} is
 * "axis.x"; a flat key "axis.x" next to that object is the same name and is refused.
 */

const topicPrefix = "umh/v1/";
const maxAssetLevels = 5;
const maxLevelLength = 64;
const levelPattern = /^[A-Za-z0-9_-]+$/;
/** Parts of A-Z a-z 0-9 _ - : separated by single dots. */
const metricKeyPattern = /^[A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*$/;
const forbiddenKeys = new Set(["__proto__", "constructor", "prototype"]);
const { maxAbsSampleValue, maxInt32 } = ingestLimits;
const maxExternalIdLength = 100;
const maxCycleTimeMs = 24 * 60 * 60_000;
const maxShiftSpanMs = 7 * 24 * 60 * 60_000;
/** PostgreSQL text cannot hold NUL, and an unpaired surrogate cannot be stored as UTF-8. */
const unstorableText = /[\u0000\uD800-\uDFFF]/u;
/** Ids are shown and matched as text: no control characters. */
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;
const everyControlCharacter = new RegExp(controlCharacters.source, "g");

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Thrown inside the parser only; parseUnsMessage turns it into { ok: false, reason }. */
class Rejection extends Error {}

function reject(reason: string): never {
  throw new Rejection(reason);
}

type TPayload = Record<string, unknown>;

export function parseUnsMessage(topic: string, payload: Buffer, receivedAtMs: number): TParseResult {
  try {
    if (!Number.isFinite(receivedAtMs)) reject("receive time is not a finite number (worker clock problem)");
    const route = routeOf(topic);
    const body = decodePayload(payload);
    const records = parseSchema(route, body, receivedAtMs);
    return route.originId === undefined ? { ok: true, records } : { ok: true, records, originId: route.originId };
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, reason: error.message };
    // Never throw to the worker: an unexpected failure still quarantines just this message.
    return { ok: false, reason: `parser failure: ${error instanceof Error ? error.message : "unknown error"}` };
  }
}

type TRoute = { readonly path: string; readonly originId: string | undefined; readonly schema: readonly string[] };

// A plant publishes on a bounded set of topics, each thousands of times: validating a topic once
// and remembering its route saves a third of the hot path. Only valid topics are remembered.
const routeCache = new Map<string, TRoute>();
const routeCacheSize = 10_000;

function routeOf(topic: unknown): TRoute {
  const cached = typeof topic === "string" ? routeCache.get(topic) : undefined;
  if (cached) return cached;
  const route = parseTopic(topic);
  if (routeCache.size >= routeCacheSize) routeCache.clear();
  routeCache.set(route.topic, route);
  return route;
}

function parseTopic(topic: unknown): TRoute & { topic: string } {
  if (typeof topic !== "string") reject("topic is not a string");
  if (topic.length > ingestLimits.maxTopicLength) reject(`topic is ${topic.length} characters long; the limit is ${ingestLimits.maxTopicLength}`);
  if (topic.includes("\u0000")) reject("topic contains a NUL character");
  for (const wildcard of ["+", "#"]) {
    if (topic.includes(wildcard)) reject(`topic contains the MQTT wildcard "${wildcard}"; a message topic must be concrete`);
  }
  if (topic.includes("..")) reject(`topic contains ".."`);
  if (!topic.startsWith(topicPrefix)) reject(`topic must start with "${topicPrefix}" (got ${quote(topic)})`);

  const segments = topic.slice(topicPrefix.length).split("/");
  let schemaStart = -1;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    const position = index + 3;
    if (!segment) reject(`topic level ${position} is empty (check for "//" or a trailing "/")`);
    if (segment.length > maxLevelLength) reject(`topic level ${position} is ${segment.length} characters long; the limit is ${maxLevelLength}`);
    if (!levelPattern.test(segment)) reject(`topic level ${quote(segment)} contains characters outside a-z A-Z 0-9 - _`);
    if (schemaStart === -1 && segment.startsWith("_")) schemaStart = index;
  }
  if (schemaStart === -1) reject("topic has no schema segment (_historian or _analytics) after the asset levels");
  if (schemaStart === 0) reject(`topic has no enterprise level before the schema ${quote(segments[0] ?? "")}`);
  if (schemaStart > maxAssetLevels + 1) {
    reject(`topic has ${schemaStart} levels before the schema; at most ${maxAssetLevels} asset levels (enterprise/site/area/line/workCell) and one origin id are allowed`);
  }
  const levels = segments.slice(0, schemaStart);
  const originId = levels.length > maxAssetLevels ? levels.pop() : undefined;
  return Object.freeze({ topic, path: levels.join("/"), originId, schema: Object.freeze(segments.slice(schemaStart)) });
}

function decodePayload(payload: unknown): TPayload {
  if (!(payload instanceof Uint8Array)) reject("payload is not a byte buffer");
  // Size first: nothing larger than the cap is decoded or parsed.
  if (payload.byteLength > ingestLimits.maxPayloadBytes) reject(`payload is ${payload.byteLength} bytes; the limit is ${ingestLimits.maxPayloadBytes} bytes`);
  if (payload.byteLength === 0) reject("payload is empty; expected a JSON object");
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    reject("payload is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message may quote a snippet of the payload: escape its control characters.
    const message = (error instanceof Error ? error.message : "parse error").replace(everyControlCharacter, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
    reject(`payload is not valid JSON (${truncate(message, 160)})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) reject(`payload must be a JSON object, got ${describe(value)}`);
  // JSON.parse makes "__proto__" an own property, harmless here, but such keys have no place in
  // telemetry and would be dangerous in any later merge: refuse them wherever they sit. Without a
  // backslash every key appears literally in the text, so the walk can be skipped when none does.
  const mayHideKey = text.includes("\\") || text.includes("__proto__") || text.includes("constructor") || text.includes("prototype");
  const forbidden = mayHideKey ? findForbiddenKey(value) : undefined;
  if (forbidden !== undefined) reject(`payload contains the key ${quote(forbidden)}; __proto__, constructor and prototype keys are refused`);
  return value as TPayload;
}

/** Iterative so that deeply nested input cannot exhaust the stack. */
function findForbiddenKey(root: object): string | undefined {
  const pending: object[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) if (typeof item === "object" && item !== null) pending.push(item);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (forbiddenKeys.has(key)) return key;
      const child = (node as TPayload)[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
  return undefined;
}

function parseSchema(route: TRoute, body: TPayload, receivedAtMs: number): TIngestRecord[] {
  const [family, ...rest] = route.schema;
  if (family === "_historian") {
    return rest.length ? parseHistorianValue(route.path, rest, body, receivedAtMs) : parseHistorianObject(route.path, body, receivedAtMs);
  }
  const name = route.schema.join("/");
  if (family === "_analytics") {
    const handler = analyticsHandlers.get(rest.join("/"));
    if (!handler) reject(`unknown schema ${quote(name)}; expected ${[...analyticsHandlers.keys()].map((key) => `_analytics/${key}`).join(", ")}`);
    return [handler(route.path, body, receivedAtMs)];
  }
  return reject(`unknown schema ${quote(name)}; expected _historian or _analytics`);
}

// --- _historian -------------------------------------------------------------------------------
// The hot path (100k rows/s): hand-written checks, no zod, no intermediate objects.

function parseHistorianObject(path: string, body: TPayload, receivedAtMs: number): TSampleRecord[] {
  const time = readEpochMs("_historian", body, "timestamp_ms", receivedAtMs);
  const records: TSampleRecord[] = [];
  let dotted = false;
  for (const key of Object.keys(body)) {
    if (key === "timestamp_ms") continue;
    dotted = checkMetricKey(key, "") || dotted;
    addMetric(path, key, body[key], time, records);
  }
  if (!records.length) reject("_historian payload carries no metrics besides timestamp_ms");
  // Only keys that contain "." can collide with a flattened nested name.
  if (dotted) {
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.metric)) reject(`_historian: metric ${quote(record.metric)} appears twice (as a dotted key and as a nested object)`);
      seen.add(record.metric);
    }
  }
  return records;
}

function addMetric(path: string, metric: string, value: unknown, time: number, records: TSampleRecord[]) {
  if (metric.length > ingestLimits.maxMetricNameLength) reject(`_historian: metric name ${quote(metric)} is longer than ${ingestLimits.maxMetricNameLength} characters`);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (!keys.length) reject(`_historian: metric ${quote(metric)} is an empty object; expected a number, boolean or string`);
    for (const key of keys) {
      checkMetricKey(key, metric);
      addMetric(path, `${metric}.${key}`, (value as TPayload)[key], time, records);
    }
    return;
  }
  records.push({ kind: "sample", path, metric, time, value: readSampleValue("_historian", metric, value) });
  if (records.length > ingestLimits.maxMetricsPerMessage) reject(`_historian: more than ${ingestLimits.maxMetricsPerMessage} metrics in one message`);
}

/** Returns whether the key contains "." (so flattened names may collide). */
function checkMetricKey(key: string, parent: string): boolean {
  if (key.length <= ingestLimits.maxMetricNameLength && metricKeyPattern.test(key)) return key.includes(".");
  const where = parent ? ` under ${quote(parent)}` : "";
  if (!key) reject(`_historian: empty metric key${where}`);
  if (key.length > ingestLimits.maxMetricNameLength) reject(`_historian: metric name ${quote(key)}${where} is longer than ${ingestLimits.maxMetricNameLength} characters`);
  if (/^[A-Za-z0-9_:.-]+$/.test(key)) reject(`_historian: metric key ${quote(key)}${where} has an empty part between dots`);
  return reject(`_historian: metric key ${quote(key)}${where} contains characters outside A-Z a-z 0-9 _ - . :`);
}

/** `_historian/<tag group…>/<name>`: the topic tail, joined with ".", names the one metric. */
function parseHistorianValue(path: string, tail: string[], body: TPayload, receivedAtMs: number): TSampleRecord[] {
  const schema = `_historian/${tail.join("/")}`;
  const metric = tail.join(".");
  if (metric.length > ingestLimits.maxMetricNameLength) reject(`${schema}: metric name ${quote(metric)} is longer than ${ingestLimits.maxMetricNameLength} characters`);
  for (const key of Object.keys(body)) {
    if (key !== "timestamp_ms" && key !== "value") reject(`${schema}: unexpected key ${quote(key)}; a single-value message takes only timestamp_ms and value`);
  }
  const time = readEpochMs(schema, body, "timestamp_ms", receivedAtMs);
  if (!Object.hasOwn(body, "value")) reject(`${schema}: value is missing`);
  return [{ kind: "sample", path, metric, time, value: readSampleValue(schema, metric, body.value) }];
}

function readSampleValue(schema: string, metric: string, value: unknown): TSampleValue {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) reject(`${schema}: metric ${quote(metric)} is not a finite number (${value})`);
    if (Math.abs(value) > maxAbsSampleValue) reject(`${schema}: metric ${quote(metric)} is ${value}, beyond the accepted magnitude ±${maxAbsSampleValue}`);
    return value;
  }
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    if (value.length > ingestLimits.maxStringValueLength) reject(`${schema}: metric ${quote(metric)} is a string of ${value.length} characters; the limit is ${ingestLimits.maxStringValueLength}`);
    if (unstorableText.test(value)) reject(`${schema}: metric ${quote(metric)} contains a NUL character or an unpaired surrogate`);
    return value;
  }
  return reject(`${schema}: metric ${quote(metric)} is ${describe(value)}; expected a number, boolean or string`);
}

// --- timestamps ---------------------------------------------------------------------------------

function readEpochMs(schema: string, body: TPayload, key: string, receivedAtMs: number, maxAheadMs: number = ingestLimits.maxFutureSkewMs): number {
  const value = body[key];
  if (value === undefined) reject(`${schema}: ${key} is missing`);
  if (typeof value !== "number") reject(`${schema}: ${key} must be a number of epoch milliseconds, got ${describe(value)}`);
  if (!Number.isFinite(value)) reject(`${schema}: ${key} is not a finite number (${value})`);
  if (!Number.isInteger(value)) reject(`${schema}: ${key} must be an integer number of epoch milliseconds, got ${value}`);
  if (value < ingestLimits.minTimestampMs) {
    const hint = value >= 1e9 && value < 1e11 ? " — seconds instead of milliseconds?" : "";
    reject(`${schema}: ${key} ${value} is before 2000-01-01T00:00:00Z${hint}`);
  }
  const ahead = value - receivedAtMs;
  if (ahead > maxAheadMs) {
    const hint = value >= 1e14 ? " — microseconds or nanoseconds instead of milliseconds?" : "";
    reject(`${schema}: ${key} ${value} is ${Math.round(ahead / 1000)} s ahead of the receiving clock; at most ${maxAheadMs / 1000} s is allowed${hint}`);
  }
  return value;
}

// --- _analytics -----------------------------------------------------------------------------------
// Rare messages: zod describes their shape; times are checked first by readEpochMs so that every
// schema reports timestamp problems in the same words. Objects are strict so a typo such as
// "scarp" is refused instead of silently defaulting scrap to 0.

const ZEpochMs = z.number();
const ZCount = z
  .int({ error: "must be an integer" })
  .min(0, { error: "must be ≥ 0" })
  .max(maxInt32, { error: `must be at most ${maxInt32}` });
const ZExternalId = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(maxExternalIdLength, { error: `must be at most ${maxExternalIdLength} characters` })
  .refine((id) => !controlCharacters.test(id) && !unstorableText.test(id), { error: "must not contain control characters or unpaired surrogates" });
/** Planning events carry their own times; a timestamp_ms alongside them is allowed and checked, not used. */
const ZOptionalEpochMs = ZEpochMs.optional();

const ZCountPayload = z.strictObject({ timestamp_ms: ZEpochMs, count: ZCount, scrap: ZCount.default(0) });
const ZStatePayload = z.strictObject({
  timestamp_ms: ZEpochMs,
  state: z.int({ error: "must be an integer state code" }).gt(0, { error: "must be > 0" }).lt(1_000_000, { error: "must be < 1000000" }),
});
const ZShiftAddPayload = z.strictObject({ timestamp_ms: ZOptionalEpochMs, startTime: ZEpochMs, endTime: ZEpochMs });
const ZShiftDeletePayload = z.strictObject({ timestamp_ms: ZOptionalEpochMs, startTime: ZEpochMs });
const ZProductTypePayload = z.strictObject({
  timestamp_ms: ZOptionalEpochMs,
  externalProductTypeId: ZExternalId,
  cycleTimeMs: z.number({ error: "must be a number of milliseconds" }).gt(0, { error: "must be > 0" }).max(maxCycleTimeMs, { error: "must be at most one day (86400000 ms)" }),
});
const ZWorkOrderCreatePayload = z.strictObject({
  timestamp_ms: ZOptionalEpochMs,
  externalWorkOrderId: ZExternalId,
  externalProductTypeId: ZExternalId,
  quantity: z.int({ error: "must be an integer" }).gt(0, { error: "must be > 0" }).max(maxInt32, { error: `must be at most ${maxInt32}` }),
});
const ZWorkOrderStartPayload = z.strictObject({ timestamp_ms: ZOptionalEpochMs, externalWorkOrderId: ZExternalId, startTime: ZEpochMs });
const ZWorkOrderStopPayload = z.strictObject({ timestamp_ms: ZOptionalEpochMs, externalWorkOrderId: ZExternalId, endTime: ZEpochMs });

type TAnalyticsHandler = (path: string, body: TPayload, receivedAtMs: number) => TIngestRecord;

// A Map, not an object literal: a topic segment such as "constructor" must not find anything.
const analyticsHandlers = new Map<string, TAnalyticsHandler>([
  ["count", (path, body, now) => {
    const payload = validate("_analytics/count", ZCountPayload, body, ["timestamp_ms"], now);
    if (payload.scrap > payload.count) reject(`_analytics/count: scrap ${payload.scrap} exceeds count ${payload.count}`);
    return { kind: "count", path, time: payload.timestamp_ms, count: payload.count, scrap: payload.scrap };
  }],
  ["state", (path, body, now) => {
    const payload = validate("_analytics/state", ZStatePayload, body, ["timestamp_ms"], now);
    return { kind: "state", path, time: payload.timestamp_ms, state: payload.state };
  }],
  ["shift/add", (path, body, now) => {
    const payload = validate("_analytics/shift/add", ZShiftAddPayload, body, ["startTime", "endTime"], now);
    if (payload.endTime <= payload.startTime) reject(`_analytics/shift/add: endTime ${payload.endTime} must be after startTime ${payload.startTime}`);
    if (payload.endTime - payload.startTime > maxShiftSpanMs) reject("_analytics/shift/add: shift spans more than 7 days");
    return { kind: "shift-add", path, startTime: payload.startTime, endTime: payload.endTime };
  }],
  ["shift/delete", (path, body, now) => {
    const payload = validate("_analytics/shift/delete", ZShiftDeletePayload, body, ["startTime"], now);
    return { kind: "shift-delete", path, startTime: payload.startTime };
  }],
  ["product-type/create", (path, body, now) => {
    const payload = validate("_analytics/product-type/create", ZProductTypePayload, body, [], now);
    return { kind: "product-type", path, externalProductTypeId: payload.externalProductTypeId, cycleTimeMs: payload.cycleTimeMs };
  }],
  ["work-order/create", (path, body, now) => {
    const payload = validate("_analytics/work-order/create", ZWorkOrderCreatePayload, body, [], now);
    return { kind: "work-order-create", path, externalWorkOrderId: payload.externalWorkOrderId, externalProductTypeId: payload.externalProductTypeId, quantity: payload.quantity };
  }],
  ["work-order/start", (path, body, now) => {
    const payload = validate("_analytics/work-order/start", ZWorkOrderStartPayload, body, ["startTime"], now);
    return { kind: "work-order-start", path, externalWorkOrderId: payload.externalWorkOrderId, startTime: payload.startTime };
  }],
  ["work-order/stop", (path, body, now) => {
    const payload = validate("_analytics/work-order/stop", ZWorkOrderStopPayload, body, ["endTime"], now);
    return { kind: "work-order-stop", path, externalWorkOrderId: payload.externalWorkOrderId, endTime: payload.endTime };
  }],
]);

function validate<TSchema extends z.ZodObject<z.ZodRawShape, z.core.$strict>>(
  schema: string, Z: TSchema, body: TPayload, requiredTimes: string[], receivedAtMs: number,
): z.output<TSchema> {
  // Shifts and work orders are planned ahead; their times may lie in the future (within limits).
  for (const key of requiredTimes) readEpochMs(schema, body, key, receivedAtMs, ingestLimits.maxPlanningAheadMs);
  // Planning events may also carry a timestamp_ms; when present it must be sane too.
  if (!requiredTimes.includes("timestamp_ms") && body.timestamp_ms !== undefined) readEpochMs(schema, body, "timestamp_ms", receivedAtMs);
  const result = Z.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) return reject(`${schema}: invalid payload`);
  if (issue.code === "unrecognized_keys") {
    return reject(`${schema}: unexpected key ${issue.keys.map(quote).join(", ")}; allowed keys are ${Object.keys(Z.shape).join(", ")}`);
  }
  const field = issue.path.map(String).join(".");
  const value = field ? body[field] : body;
  if (value === undefined) return reject(`${schema}: ${field} is missing`);
  return reject(`${schema}: ${field} ${issue.message} (got ${describe(value)})`);
}

// --- reason helpers -------------------------------------------------------------------------------

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Quoted and escaped, so a reason never carries raw control characters from the sender. */
function quote(text: string): string {
  return JSON.stringify(truncate(text, 80));
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${quote(value)}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return String(value);
}
