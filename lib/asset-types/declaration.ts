import { z } from "zod";
import { MetricDataType } from "../generated/prisma/enums";
import { ingestLimits } from "../ingest/records";

/**
 * What an asset type version declares: metrics, states and commands. Pure (the types page
 * validates with the same schemas as the API). A version is immutable once saved.
 */

// Control characters would end up in CSV exports, logs and the UI.
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;
/** The ingest parser's metric names (lib/ingest/parse-uns.ts): parts of A-Z a-z 0-9 _ - : joined by single dots. */
const metricNamePattern = /^[A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*$/;
/** Keys the ingest parser refuses as payload keys, so a metric can never be named so. */
const forbiddenParts = new Set(["__proto__", "constructor", "prototype"]);
/** A command name is published in an MQTT topic: no wildcards, separators or spaces. */
const commandNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const declarationLimits = {
  maxMetrics: 500,
  maxStates: 200,
  maxCommands: 100,
  maxUnitLength: 32,
  maxNameLength: 100,
  maxDescriptionLength: 500,
  maxCommandNameLength: 64,
  maxPayloadSchemaBytes: 10_000,
  maxPrecision: 6,
  /** domain.md §3: every state code lies in 10000–229999. */
  minStateCode: 10_000,
  maxStateCode: 229_999,
} as const;

export const metricDataTypes = Object.values(MetricDataType);

const ZLabel = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .refine((text) => !controlCharacters.test(text), { error: `${field} must not contain control characters` });

/** Optional text: null, missing and "" all mean "none". */
const ZOptionalText = (field: string, max: number) =>
  z.union([z.literal("").transform(() => null), ZLabel(field, max)]).nullish().transform((value) => value ?? null);

export const ZMetricName = z
  .string({ error: "name is required" })
  .min(1, { error: "name must not be empty" })
  .max(ingestLimits.maxMetricNameLength, { error: `name must be at most ${ingestLimits.maxMetricNameLength} characters` })
  .refine((name) => metricNamePattern.test(name), { error: "name may use A-Z a-z 0-9 _ - : and single dots between parts (as ingest accepts)" })
  .refine((name) => !forbiddenParts.has(name), { error: "name must not be __proto__, constructor or prototype" })
  .refine((name) => name !== "timestamp_ms", { error: "timestamp_ms is the message time, not a metric" });

const ZBound = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .refine((value) => Math.abs(value) <= ingestLimits.maxAbsSampleValue, { error: `${field} must be within ±${ingestLimits.maxAbsSampleValue}` })
    .nullish()
    .transform((value) => value ?? null);

export const ZMetricDefinition = z
  .strictObject({
    name: ZMetricName,
    unit: ZOptionalText("unit", declarationLimits.maxUnitLength),
    dataType: z
      .string({ error: "dataType is required" })
      .transform((type) => type.toUpperCase())
      .pipe(z.enum(metricDataTypes, { error: "dataType must be NUMBER, BOOLEAN or STRING" })),
    min: ZBound("min"),
    max: ZBound("max"),
    displayPrecision: z
      .number({ error: "displayPrecision must be a whole number from 0 to 6" })
      .int({ error: "displayPrecision must be a whole number from 0 to 6" })
      .min(0, { error: "displayPrecision must be a whole number from 0 to 6" })
      .max(declarationLimits.maxPrecision, { error: "displayPrecision must be a whole number from 0 to 6" })
      .nullish()
      .transform((value) => value ?? null),
  })
  .superRefine((metric, context) => {
    if (metric.dataType !== "NUMBER") {
      for (const field of ["min", "max", "displayPrecision"] as const) {
        if (metric[field] !== null) context.addIssue({ code: "custom", path: [field], message: `${field} applies to NUMBER metrics only` });
      }
    }
    if (metric.min !== null && metric.max !== null && metric.min > metric.max) {
      context.addIssue({ code: "custom", path: ["max"], message: "max must not be below min" });
    }
  });
export type TMetricDefinition = z.infer<typeof ZMetricDefinition>;

export const ZStateDefinition = z.strictObject({
  code: z
    .number({ error: "code must be a whole number" })
    .int({ error: "code must be a whole number" })
    .min(declarationLimits.minStateCode, { error: "code must be from 10000 to 229999 (machine state ranges)" })
    .max(declarationLimits.maxStateCode, { error: "code must be from 10000 to 229999 (machine state ranges)" }),
  name: ZLabel("name", declarationLimits.maxNameLength),
});
export type TStateDefinition = z.infer<typeof ZStateDefinition>;

/** A JSON Schema for the command's payload: an object schema (`"type": "object"`), small and without prototype keys. */
const ZPayloadSchema = z
  .record(z.string(), z.unknown(), { error: "payloadSchema must be a JSON object (a JSON Schema)" })
  .superRefine((schema, context) => {
    if (schema.type !== "object") context.addIssue({ code: "custom", message: 'payloadSchema must describe an object payload ("type": "object")' });
    if (JSON.stringify(schema).length > declarationLimits.maxPayloadSchemaBytes) {
      context.addIssue({ code: "custom", message: `payloadSchema must be at most ${declarationLimits.maxPayloadSchemaBytes} characters as JSON` });
    }
    const forbidden = findForbiddenKey(schema);
    if (forbidden) context.addIssue({ code: "custom", message: `payloadSchema must not contain the key ${forbidden}` });
  });

function findForbiddenKey(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const key of Object.keys(value)) {
    if (forbiddenParts.has(key)) return key;
    const inner = findForbiddenKey((value as Record<string, unknown>)[key]);
    if (inner) return inner;
  }
  return undefined;
}

export const ZCommandDefinition = z.strictObject({
  name: z
    .string({ error: "name is required" })
    .min(1, { error: "name must not be empty" })
    .max(declarationLimits.maxCommandNameLength, { error: `name must be at most ${declarationLimits.maxCommandNameLength} characters` })
    .refine((name) => commandNamePattern.test(name), { error: "name may use A-Z a-z 0-9 _ - . and must start with a letter or digit" }),
  description: ZOptionalText("description", declarationLimits.maxDescriptionLength),
  payloadSchema: ZPayloadSchema.nullish().transform((value) => value ?? null),
});
export type TCommandDefinition = z.infer<typeof ZCommandDefinition>;

function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string | number, field: string, what: string, context: z.RefinementCtx, prefix: string) {
  const seen = new Set<string | number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) context.addIssue({ code: "custom", path: [prefix, index, field], message: `${what} ${key} is declared twice` });
    seen.add(key);
  });
}

export const declarationShape = {
  metrics: z.array(ZMetricDefinition, { error: "metrics must be a list" }).max(declarationLimits.maxMetrics, { error: `at most ${declarationLimits.maxMetrics} metrics` }),
  states: z.array(ZStateDefinition, { error: "states must be a list" }).max(declarationLimits.maxStates, { error: `at most ${declarationLimits.maxStates} states` }),
  commands: z.array(ZCommandDefinition, { error: "commands must be a list" }).max(declarationLimits.maxCommands, { error: `at most ${declarationLimits.maxCommands} commands` }),
};

export type TDeclaration = { metrics: TMetricDefinition[]; states: TStateDefinition[]; commands: TCommandDefinition[] };

/** Names (metrics, commands) and codes (states) are unique within a version; a clash is a 400 naming the second one. */
export function refineUniqueDeclarations(declaration: TDeclaration, context: z.RefinementCtx) {
  uniqueBy(declaration.metrics, (metric) => metric.name, "name", "metric", context, "metrics");
  uniqueBy(declaration.states, (state) => state.code, "code", "state code", context, "states");
  uniqueBy(declaration.commands, (command) => command.name, "name", "command", context, "commands");
}

export const ZDeclaration = z.strictObject(declarationShape).superRefine(refineUniqueDeclarations);
