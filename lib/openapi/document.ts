import { z } from "zod";
import { ZLatestValuesQuery } from "../assets/find-latest-values";
import { ZAuditQuery } from "../audit/find-audit";
import { ZCreateApiToken } from "../auth/api-tokens";
import { loginLimits } from "../auth/rate-limit";
import { ZSignIn } from "../auth/sign-in";
import { ZClassifyStop } from "../oee/classify-stop";
import { ZReasonCodesQuery } from "../oee/find-reason-codes";
import { ZStopsQuery } from "../oee/find-stops";
import { ZOeeQuery } from "../oee/get-oee";
import { ZSaveReasonCode } from "../oee/save-reason-code";
import { ZTelemetryQuery } from "../telemetry/find-telemetry";
import { ZCreateUser } from "../users/create-user";
import { ZUpdateUser } from "../users/update-user";

/**
 * The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json. Request schemas
 * are generated from the same zod schemas the handlers parse with, so they cannot drift;
 * lib/openapi/document.test.ts checks that every route file on disk is described, with its methods.
 */

type TJsonSchema = Record<string, unknown>;
export type TAccess = "public" | "viewer" | "supervisor" | "manager" | "admin";
type TMethod = "get" | "post" | "put" | "patch" | "delete";

type TOperation = {
  summary: string;
  description?: string;
  tag: string;
  /** The lowest role allowed, as lib/http/route.ts checks it ("public": no sign-in). */
  access: TAccess;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Names of string fields that are ISO 8601 date-times but parsed through a pipe zod cannot describe. */
  dateTimes?: string[];
  pathParams?: Record<string, { description: string; schema: TJsonSchema }>;
  /** Status → response; error statuses are added from the access level and the inputs. */
  responses: Record<string, TJsonSchema>;
  /** Extra error statuses this operation can answer. */
  errors?: TErrorStatus[];
};

type TErrorStatus = "400" | "401" | "403" | "404" | "409" | "413" | "429" | "503";

const errorResponseNames: Record<TErrorStatus, string> = {
  "400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
  "409": "Conflict", "413": "PayloadTooLarge", "429": "TooManyRequests", "503": "Unavailable",
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const dateTime = { type: "string", format: "date-time" };
const json = (schema: TJsonSchema, description: string) => ({ description, content: { "application/json": { schema } } });
const dataOf = (schema: TJsonSchema, description: string) =>
  json({ type: "object", properties: { data: schema }, required: ["data"] }, description);

/** A zod schema as JSON Schema (2020-12, what OpenAPI 3.1 uses), as a client sends it. */
export function toJsonSchema(schema: z.ZodType, dateTimes: readonly string[] = []): TJsonSchema {
  const { $schema: _dialect, ...converted } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as TJsonSchema;
  const properties = converted.properties as Record<string, TJsonSchema> | undefined;
  for (const name of dateTimes) if (properties?.[name]) properties[name] = { ...properties[name], format: "date-time" };
  return withoutFormatPatterns(converted) as TJsonSchema;
}

// zod spells out the regular expression behind `format`; the format alone says it more readably.
function withoutFormatPatterns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFormatPatterns);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([key]) => !(key === "pattern" && "format" in value));
  return Object.fromEntries(entries.map(([key, inner]) => [key, withoutFormatPatterns(inner)]));
}

function queryParameters(schema: z.ZodType, dateTimes: readonly string[] = []) {
  const converted = toJsonSchema(schema, dateTimes);
  const properties = (converted.properties ?? {}) as Record<string, TJsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, { description, ...propertySchema }]) => ({
    name, in: "query", required: required.has(name), schema: propertySchema, ...(description ? { description } : {}),
  }));
}

const userId = { id: { description: "The user's id.", schema: { type: "string", format: "uuid" } } };

const operations: Record<string, Partial<Record<TMethod, TOperation>>> = {
  "/api/v1/auth/login": {
    post: {
      tag: "auth", access: "public", body: ZSignIn,
      summary: "Sign in",
      description:
        "Sets the session cookie. An unknown e-mail, a wrong password and a disabled account get the same 401. " +
        `At most ${loginLimits.perEmail} failed attempts per e-mail and ${loginLimits.perIp} per client address ` +
        `in ${loginLimits.windowSeconds / 60} minutes; beyond that 429 with Retry-After, whatever the account and the password.`,
      responses: { "200": dataOf({ type: "object", properties: { user: ref("SignedInUser") }, required: ["user"] }, "Signed in; Set-Cookie carries the session.") },
      errors: ["429"],
    },
  },
  "/api/v1/auth/logout": {
    post: { tag: "auth", access: "viewer", summary: "Sign out (ends the session on the server)", responses: { "200": dataOf({ type: "object", properties: { ok: { const: true } } }, "Signed out.") } },
  },
  "/api/v1/me": {
    get: { tag: "auth", access: "viewer", summary: "The caller (a signed-in user or an API token)", responses: { "200": dataOf(ref("Caller"), "The caller.") } },
  },
  "/api/v1/health": {
    get: {
      tag: "system", access: "public", summary: "Database, TimescaleDB, broker and worker health",
      responses: { "200": json({ type: "object" }, "Healthy (status ok or degraded)."), "503": json({ type: "object" }, "The database is unreachable.") },
    },
  },
  "/api/v1/openapi.json": {
    get: { tag: "system", access: "public", summary: "This document", responses: { "200": json({ type: "object" }, "OpenAPI 3.1 document.") } },
  },
  "/api/v1/assets": {
    get: { tag: "assets", access: "viewer", summary: "The asset hierarchy as a tree", responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "Root assets with their children.") } },
  },
  "/api/v1/assets/latest": {
    get: {
      tag: "assets", access: "viewer", query: ZLatestValuesQuery,
      summary: "Current state and latest value of every metric of the assets under a path",
      responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "One entry per asset, with stale marks.") },
    },
  },
  "/api/v1/telemetry": {
    get: {
      tag: "telemetry", access: "viewer", query: ZTelemetryQuery,
      summary: "Values of one metric over a time range, raw or bucketed",
      responses: { "200": json({ type: "object", properties: { data: { type: "array", items: { type: "object" } }, meta: { type: "object" } } }, "Time-ordered points.") },
      errors: ["404"],
    },
  },
  "/api/v1/events": {
    get: {
      tag: "telemetry", access: "viewer", summary: "Server-sent events: `ingest` (assets whose data changed) and `resync`",
      responses: { "200": { description: "An event stream.", content: { "text/event-stream": { schema: { type: "string" } } } } },
    },
  },
  "/api/v1/oee": {
    get: {
      tag: "oee", access: "viewer", query: ZOeeQuery, dateTimes: ["from", "to"],
      summary: "OEE of an asset over [from, to), optionally per shift, hour, day or week",
      responses: { "200": dataOf({ oneOf: [{ type: "object" }, { type: "array", items: { type: "object" } }] }, "A summary with per-machine figures, or one entry per bucket with groupBy.") },
      errors: ["404"],
    },
  },
  "/api/v1/stops": {
    get: {
      tag: "oee", access: "viewer", query: ZStopsQuery, dateTimes: ["from", "to"],
      summary: "Stops of an asset's machines overlapping [from, to), newest first; format=csv for a spreadsheet",
      responses: {
        "200": {
          description: "The stops, as JSON (`{data, meta: {truncated}}`) or CSV (formula-safe).",
          content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: { type: "object" } }, meta: { type: "object" } } } }, "text/csv": { schema: { type: "string" } } },
        },
      },
      errors: ["404"],
    },
    patch: {
      tag: "oee", access: "supervisor", body: ZClassifyStop, dateTimes: ["start"],
      summary: "Give a stop its reason (audited)",
      responses: { "200": dataOf({ type: "object" }, "The stop with its new reason.") },
      errors: ["404"],
    },
  },
  "/api/v1/reason-codes": {
    get: {
      tag: "oee", access: "viewer", query: ZReasonCodesQuery,
      summary: "The reason codes of a site (or the plant-wide list)",
      responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "Effective codes with their source.") },
      errors: ["404"],
    },
    post: {
      tag: "oee", access: "admin", body: ZSaveReasonCode,
      summary: "Create or update a plant-wide or site reason code (audited)",
      responses: { "201": dataOf({ type: "object" }, "Created."), "200": dataOf({ type: "object" }, "Updated.") },
      errors: ["404"],
    },
  },
  "/api/v1/tokens": {
    get: { tag: "admin", access: "admin", summary: "API tokens (never their secrets)", responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "Tokens, newest first.") } },
    post: {
      tag: "admin", access: "admin", body: ZCreateApiToken,
      summary: "Create an API token (signed-in admins only; the secret is shown once)",
      responses: { "201": dataOf({ type: "object", properties: { secret: { type: "string" } } }, "The token with its secret.") },
    },
  },
  "/api/v1/users": {
    get: { tag: "admin", access: "admin", summary: "Users", responses: { "200": dataOf({ type: "array", items: ref("User") }, "Users by e-mail.") } },
    post: {
      tag: "admin", access: "admin", body: ZCreateUser,
      summary: "Create a user (signed-in admins only; audited as user.create)",
      responses: { "201": dataOf(ref("User"), "The new user (never the password hash).") },
      errors: ["409"],
    },
  },
  "/api/v1/users/{id}": {
    patch: {
      tag: "admin", access: "admin", body: ZUpdateUser, pathParams: userId,
      summary: "Change a user's role, name or disabled state, or reset the password (audited as user.update)",
      description: "Disabling and a password reset end the user's sessions. The last active admin cannot be demoted or disabled (409).",
      responses: { "200": dataOf(ref("User"), "The user after the change.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/audit": {
    get: {
      tag: "admin", access: "admin", query: ZAuditQuery,
      summary: "The audit log, newest first",
      description:
        "`user` matches the actor's e-mail or user id; `from`/`to` bound [from, to). With format=csv: one line per changed field " +
        "(at, actor, action, entity, entityId, field, before, after), every cell quoted, formula-like cells prefixed with an apostrophe.",
      responses: {
        "200": {
          description: "Audit entries.",
          content: {
            "application/json": { schema: { type: "object", properties: { data: { type: "array", items: ref("AuditEntry") } }, required: ["data"] } },
            "text/csv": { schema: { type: "string" } },
          },
        },
      },
    },
  },
};

const schemas: Record<string, TJsonSchema> = {
  Error: {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: { code: { type: "string", examples: ["validation", "unauthorized", "forbidden", "cross_site", "conflict", "rate_limited"] }, message: { type: "string" }, details: {} },
        required: ["code", "message"],
      },
    },
    required: ["error"],
  },
  Role: { type: "string", enum: ["VIEWER", "SUPERVISOR", "MANAGER", "ADMIN"] },
  User: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" }, email: { type: "string", format: "email" }, name: { type: ["string", "null"] },
      role: ref("Role"), disabledAt: { ...dateTime, type: ["string", "null"] }, createdAt: dateTime,
    },
    required: ["id", "email", "name", "role", "disabledAt", "createdAt"],
  },
  SignedInUser: {
    type: "object",
    properties: { id: { type: "string", format: "uuid" }, email: { type: "string" }, name: { type: ["string", "null"] }, role: ref("Role") },
    required: ["id", "email", "name", "role"],
  },
  Caller: {
    type: "object",
    properties: { kind: { enum: ["user", "token"] }, id: { type: "string" }, label: { type: "string" }, role: ref("Role"), email: { type: "string" }, name: { type: ["string", "null"] } },
    required: ["kind", "id", "label", "role"],
  },
  AuditEntry: {
    type: "object",
    properties: {
      at: dateTime, actor: { type: "string", description: "E-mail or token label at the time, or \"system\"." },
      action: { type: "string" }, entity: { type: "string" }, entityId: { type: ["string", "null"] }, before: {}, after: {},
    },
    required: ["at", "actor", "action", "entity", "entityId", "before", "after"],
  },
};

const errorResponses: Record<string, TJsonSchema> = {
  BadRequest: json(ref("Error"), "Invalid input (code validation or bad_request); the message names the field."),
  Unauthorized: json(ref("Error"), "Not signed in, or the session or token is not valid."),
  Forbidden: json(ref("Error"), "The caller's role is too low (forbidden), or a cross-site browser request (cross_site)."),
  NotFound: json(ref("Error"), "Not found."),
  Conflict: json(ref("Error"), "Conflicts with the current state."),
  PayloadTooLarge: json(ref("Error"), "The body is too large."),
  TooManyRequests: {
    ...json(ref("Error"), "Too many attempts; the same answer for every account."),
    headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", minimum: 1 } } },
  },
  Unavailable: json(ref("Error"), "A dependency is unavailable."),
};

function buildOperation(path: string, method: TMethod, operation: TOperation) {
  const errors = new Set<TErrorStatus>(operation.errors);
  if (operation.query || operation.body) errors.add("400");
  if (operation.body) errors.add("413");
  if (operation.access !== "public") errors.add("401");
  if (operation.access !== "public" && operation.access !== "viewer") errors.add("403");
  // Browser requests that change state must come from the console's own origin.
  if (method !== "get") errors.add("403");
  const parameters = [
    ...Object.entries(operation.pathParams ?? {}).map(([name, param]) => ({ name, in: "path", required: true, ...param })),
    ...(operation.query ? queryParameters(operation.query, operation.dateTimes) : []),
  ];
  return {
    operationId: `${method}${path.replace(/^\/api\/v1/, "").replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? "").toUpperCase())}`,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    "x-required-role": operation.access,
    ...(operation.access === "public" ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body ? { requestBody: { required: true, content: { "application/json": { schema: toJsonSchema(operation.body, operation.dateTimes) } } } } : {}),
    responses: {
      ...operation.responses,
      ...Object.fromEntries([...errors].sort().map((status) => [status, { $ref: `#/components/responses/${errorResponseNames[status]}` }])),
    },
  };
}

/** The whole document; built once per process. */
export function buildOpenApiDocument() {
  const paths = Object.fromEntries(
    Object.entries(operations).map(([path, methods]) => [
      path,
      Object.fromEntries(Object.entries(methods).map(([method, operation]) => [method, buildOperation(path, method as TMethod, operation)])),
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Shopfloor API",
      version: "1",
      description:
        "Smart-factory console API. Every route but sign-in, health and this document needs a session cookie (browsers) or " +
        "`Authorization: Bearer sf_…` (an API token with a role). Roles: viewer < supervisor < manager < admin; " +
        "`x-required-role` names the lowest role an operation allows. Errors are `{ error: { code, message } }`.",
    },
    servers: [{ url: "/" }],
    security: [{ sessionCookie: [] }, { bearerToken: [] }],
    tags: ["auth", "system", "assets", "telemetry", "oee", "admin"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "__Host-shopfloor_session", description: "`shopfloor_session` over plain HTTP." },
        bearerToken: { type: "http", scheme: "bearer", description: "An API token (sf_…) created by an admin." },
      },
      schemas,
      responses: errorResponses,
    },
  };
}

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;
export function getOpenApiDocument() {
  cached ??= buildOpenApiDocument();
  return cached;
}
