import { z } from "zod";
import { ZCreateAssetType, ZCreateTypeVersion, ZMoveAssets } from "../asset-types/asset-type-fields";
import { ZCreateAsset } from "../assets/create-asset";
import { ZAssetTreeQuery } from "../assets/find-admin-assets";
import { ZLatestValuesQuery } from "../assets/find-latest-values";
import { ZMoveAsset } from "../assets/move-asset";
import { ZRestoreAsset, ZRetireAsset } from "../assets/retire-asset";
import { ZUpdateAsset } from "../assets/update-asset";
import { ZAuditQuery } from "../audit/find-audit";
import { ZCreateApiToken } from "../auth/api-tokens";
import { loginLimits } from "../auth/rate-limit";
import { ZSignIn } from "../auth/sign-in";
import { ZClassifyStop } from "../oee/classify-stop";
import { ZReasonCodesQuery } from "../oee/find-reason-codes";
import { ZStopsQuery } from "../oee/find-stops";
import { ZOeeQuery } from "../oee/get-oee";
import { ZReasonCodeScope, ZSaveReasonCode } from "../oee/save-reason-code";
import { ZShiftException, ZShiftPattern } from "../shifts/calendar-schema";
import { ZPlannedShiftsQuery } from "../shifts/find-planned-shifts";
import { ZProductTypesQuery, ZSaveProductType } from "../product-types/product-types";
import { ZTelemetryQuery } from "../telemetry/find-telemetry";
import { ZQuarantineBulkDelete, ZQuarantineQuery } from "../quarantine/quarantine-fields";
import { ZUpdateIngestSettings } from "../topics/ingest-settings";
import { ZMapTopic, ZUnmappedQuery } from "../topics/topic-fields";
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
const siteIdParam = { siteId: { description: "The id of a SITE asset.", schema: { type: "string", format: "uuid" } } };

const userId = { id: { description: "The user's id.", schema: { type: "string", format: "uuid" } } };
const assetId = { id: { description: "The asset's id.", schema: { type: "string", format: "uuid" } } };

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
    get: {
      tag: "assets", access: "viewer", query: ZAssetTreeQuery, summary: "The asset hierarchy as a tree",
      description: "Active assets by default; `retired=include` gives every asset, retired ones too, with the fields the admin page edits.",
      responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "Root assets with their children, by name.") },
    },
    post: {
      tag: "assets", access: "admin", body: ZCreateAsset,
      summary: "Create an asset under a parent (audited as asset.create)",
      description:
        "The level is the one below the parent's (ENTERPRISE > SITE > AREA > LINE > WORK_CELL), an enterprise when parentId is null. " +
        "The path is the parent's path plus the slug, which MQTT topics map to. A slug already used under the parent (even by a retired asset) is 409; " +
        "a time zone on anything but a site, an ideal cycle time on anything but a machine, or a machine as parent is 400; an unknown parent or type version 404.",
      responses: { "201": dataOf(ref("Asset"), "The new asset.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/assets/{id}": {
    get: {
      tag: "assets", access: "viewer", pathParams: assetId, summary: "One asset, retired or not, with the admin fields",
      responses: { "200": dataOf({ allOf: [ref("Asset"), { type: "object", properties: { activeDescendants: { type: "integer" } } }] }, "The asset.") },
      errors: ["404"],
    },
    patch: {
      tag: "assets", access: "admin", body: ZUpdateAsset, pathParams: assetId,
      summary: "Rename an asset, change its fields or type version, or change its topic segment (audited as asset.update)",
      description:
        "A new slug recomputes the path of the asset and of its whole subtree in one transaction (each descendant audited as asset.path): " +
        "data sent to the old path arrives as a new asset unless the old path is mapped. A retired asset is 409 until restored.",
      responses: { "200": dataOf({ allOf: [ref("Asset"), { type: "object", properties: { descendantsMoved: { type: "integer" } } }] }, "The asset after the change.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/assets/{id}/move": {
    post: {
      tag: "assets", access: "admin", body: ZMoveAsset, pathParams: assetId,
      summary: "Move an asset with its subtree under another parent (audited as asset.move)",
      description:
        "The new parent must be one level above the asset (400 otherwise, and for a move into its own subtree). The paths of the subtree are " +
        "recomputed in the same transaction; the slug already used under the new parent or a retired asset or parent is 409.",
      responses: { "200": dataOf({ allOf: [ref("Asset"), { type: "object", properties: { descendantsMoved: { type: "integer" } } }] }, "The asset after the move.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/assets/{id}/retire": {
    post: {
      tag: "assets", access: "admin", body: ZRetireAsset, pathParams: assetId,
      summary: "Retire an asset (audited as asset.retire); its history stays",
      description: "Send `{}`, or `{\"subtree\": true}` to retire the active assets below it too: without it, an asset with active children is 409.",
      responses: { "200": dataOf({ allOf: [ref("Asset"), { type: "object", properties: { affected: { type: "integer" } } }] }, "The retired asset and how many assets were retired.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/assets/{id}/restore": {
    post: {
      tag: "assets", access: "admin", body: ZRestoreAsset, pathParams: assetId,
      summary: "Restore a retired asset (audited as asset.restore)",
      description: "Send `{}`, or `{\"subtree\": true}` to restore what was retired together with it. A retired parent is 409: restore it first.",
      responses: { "200": dataOf({ allOf: [ref("Asset"), { type: "object", properties: { affected: { type: "integer" } } }] }, "The restored asset and how many assets were restored.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/assets/latest": {
    get: {
      tag: "assets", access: "viewer", query: ZLatestValuesQuery,
      summary: "Current state and latest value of every metric of the assets under a path",
      responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "One entry per asset, with stale marks.") },
    },
  },
  "/api/v1/asset-types": {
    get: {
      tag: "assets", access: "viewer", summary: "Asset types with their versions and how many assets are on each",
      responses: { "200": dataOf({ type: "array", items: { type: "object", properties: { id: { type: "string", format: "uuid" }, key: { type: "string" }, name: { type: "string" }, description: { type: ["string", "null"] }, versions: { type: "array", items: { type: "object", properties: { id: { type: "string", format: "uuid" }, version: { type: "integer" }, createdAt: dateTime, assetCount: { type: "integer" } } } } } } }, "Types by name, versions oldest first.") },
    },
    post: {
      tag: "assets", access: "admin", body: ZCreateAssetType,
      summary: "Create an asset type with its version 1 declarations (audited as asset_type.create)",
      description: "Metric names follow the ingest rules; names (metrics, commands) and state codes are unique within a version (400). A taken key is 409.",
      responses: { "201": dataOf({ type: "object" }, "The type with its versions, as GET /api/v1/asset-types/{id}.") },
      errors: ["409"],
    },
  },
  "/api/v1/asset-types/{id}": {
    get: {
      tag: "assets", access: "viewer", pathParams: { id: { description: "The asset type's id.", schema: { type: "string", format: "uuid" } } },
      summary: "An asset type with every version's metrics, states, commands and assets",
      responses: { "200": dataOf({ type: "object" }, "The type; versions oldest first.") },
      errors: ["404"],
    },
  },
  "/api/v1/asset-types/{id}/versions": {
    post: {
      tag: "assets", access: "admin", body: ZCreateTypeVersion, pathParams: { id: { description: "The asset type's id.", schema: { type: "string", format: "uuid" } } },
      summary: "Edit a type: save the full new declaration as the next version (audited as asset_type.version)",
      description: "Versions are immutable and assets stay on theirs until moved. 409 when baseVersion is not the latest (someone saved meanwhile) or nothing changed.",
      responses: { "201": dataOf({ type: "object" }, "The new version with its declarations.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/asset-types/{id}/versions/{version}/assets": {
    post: {
      tag: "assets", access: "admin", body: ZMoveAssets,
      pathParams: {
        id: { description: "The asset type's id.", schema: { type: "string", format: "uuid" } },
        version: { description: "The version number to move the assets to.", schema: { type: "integer", minimum: 1 } },
      },
      summary: "Move assets to a version of their type (each audited as asset_type.move_asset)",
      description: "Only assets of this type or without a type; any other (or a retired asset) is 409 and nothing moves. Assets already on the version are reported as unchanged.",
      responses: { "200": dataOf({ type: "object", properties: { version: { type: "integer" }, moved: { type: "array", items: { type: "object" } }, unchanged: { type: "array", items: { type: "object" } } } }, "What moved.") },
      errors: ["404", "409"],
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
  "/api/v1/sites/{siteId}/shift-calendar": {
    get: {
      tag: "shifts", access: "viewer", pathParams: siteIdParam,
      summary: "A site's shift calendar: weekly pattern versions and dated exceptions, in the site's time zone",
      responses: { "200": dataOf({ type: "object" }, "The site (with its zone), patterns oldest first, exceptions by date.") },
      errors: ["404"],
    },
    put: {
      tag: "shifts", access: "admin", pathParams: siteIdParam, body: ZShiftPattern,
      summary: "Save the weekly shift pattern in force from validFrom on (audited)",
      description: "Earlier dates keep the pattern they had, so past reports do not change. Shifts of one pattern may touch but not overlap (400).",
      responses: { "201": dataOf({ type: "object" }, "A new version."), "200": dataOf({ type: "object" }, "The version starting that day, replaced.") },
      errors: ["404"],
    },
  },
  "/api/v1/sites/{siteId}/shift-calendar/patterns/{validFrom}": {
    delete: {
      tag: "shifts", access: "admin", pathParams: { ...siteIdParam, validFrom: { description: "The version's first day, YYYY-MM-DD.", schema: { type: "string", format: "date" } } },
      summary: "Delete a pattern version (audited); the previous version then holds on",
      responses: { "204": { description: "Deleted." } },
      errors: ["404"],
    },
  },
  "/api/v1/sites/{siteId}/shift-calendar/exceptions": {
    put: {
      tag: "shifts", access: "admin", pathParams: siteIdParam, body: ZShiftException,
      summary: "Save a holiday (closed), a changed day (replace) or overtime (add) on a date (audited)",
      responses: { "201": dataOf({ type: "object" }, "A new exception."), "200": dataOf({ type: "object" }, "That date's exception, replaced.") },
      errors: ["404"],
    },
  },
  "/api/v1/sites/{siteId}/shift-calendar/exceptions/{date}": {
    delete: {
      tag: "shifts", access: "admin", pathParams: { ...siteIdParam, date: { description: "The date, YYYY-MM-DD.", schema: { type: "string", format: "date" } } },
      summary: "Delete a date's exception (audited): the pattern applies again",
      responses: { "204": { description: "Deleted." } },
      errors: ["404"],
    },
  },
  "/api/v1/sites/{siteId}/planned-shifts": {
    get: {
      tag: "shifts", access: "viewer", pathParams: siteIdParam, query: ZPlannedShiftsQuery, dateTimes: ["from", "to"],
      summary: "The calendar's shifts and breaks in [from, to) (at most 62 days) as instants, as OEE uses them",
      responses: { "200": dataOf({ type: "object" }, "The site's zone and its planned shifts in start order.") },
      errors: ["404"],
    },
  },
  "/api/v1/reason-codes/{code}": {
    delete: {
      tag: "oee", access: "admin", query: ZReasonCodeScope,
      pathParams: { code: { description: "The reason code, e.g. 180001.", schema: { type: "integer", minimum: 10_000, maximum: 999_999 } } },
      summary: "Remove a plant-wide (or, with site, a site's) reason code row (audited as reason_code.delete)",
      description:
        "The code reverts to the layer beneath: a site's row to the plant-wide one, a plant-wide row to the standard code of domain.md §3. " +
        "404 when the scope has no row of its own for the code. 409 when the code would become unknown while classified stops still carry it.",
      responses: { "200": dataOf({ type: "object", properties: { removed: { type: "object" }, reverted: { type: ["object", "null"] } } }, "The removed row and what the code reverts to (null: nothing).") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/tokens/{id}": {
    delete: {
      tag: "admin", access: "admin", pathParams: { id: { description: "The token's id.", schema: { type: "string", format: "uuid" } } },
      summary: "Revoke an API token (signed-in admins only; audited as revoke on api_token)",
      description: "Sets revokedAt: the token's next bearer call answers 401. The row stays for the audit. Revoking an already revoked token answers 409 and changes nothing.",
      responses: { "200": dataOf({ type: "object" }, "The token, now with status revoked.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/topics/unmapped": {
    get: {
      tag: "admin", access: "admin", query: ZUnmappedQuery,
      summary: "Asset paths seen on the broker without an asset (counts, first and last seen), most recent first",
      responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "Unmapped topics with their status and, once mapped, the asset.") },
    },
  },
  "/api/v1/topics/unmapped/{path}/map": {
    post: {
      tag: "admin", access: "admin", body: ZMapTopic, pathParams: { path: { description: "The asset path, URL-encoded (\"/\" as %2F), e.g. acme%2Fdetroit%2Fline-9.", schema: { type: "string" } } },
      summary: "Store this path's messages for an existing asset from now on (audited as topic.map)",
      description: "Workers look unknown paths up in every batch, so the next message is stored for the asset without a restart. Messages quarantined meanwhile can be retried. 409 when already mapped.",
      responses: { "200": dataOf({ type: "object" }, "The mapping.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/topics/unmapped/{path}/ignore": {
    post: {
      tag: "admin", access: "admin", pathParams: { path: { description: "The asset path, URL-encoded (\"/\" as %2F), e.g. acme%2Fdetroit%2Fline-9.", schema: { type: "string" } } },
      summary: "Drop this path's messages silently; they are still counted (audited as topic.ignore)",
      responses: { "200": dataOf({ type: "object" }, "The new status.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/topics/unmapped/{path}/reject": {
    post: {
      tag: "admin", access: "admin", pathParams: { path: { description: "The asset path, URL-encoded (\"/\" as %2F), e.g. acme%2Fdetroit%2Fline-9.", schema: { type: "string" } } },
      summary: "Quarantine this path's messages with the reason \"rejected by an admin\" (audited as topic.reject)",
      responses: { "200": dataOf({ type: "object" }, "The new status.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/topics/unmapped/{path}/restore": {
    post: {
      tag: "admin", access: "admin", pathParams: { path: { description: "The asset path, URL-encoded (\"/\" as %2F), e.g. acme%2Fdetroit%2Fline-9.", schema: { type: "string" } } },
      summary: "Undo ignore or reject: the path is pending again (audited as topic.restore)",
      responses: { "200": dataOf({ type: "object" }, "The new status.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/settings/ingest": {
    get: { tag: "admin", access: "admin", summary: "Auto-registration and the Sparkplug mapping rule", responses: { "200": dataOf({ type: "object" }, "The settings workers follow.") } },
    put: {
      tag: "admin", access: "admin", body: ZUpdateIngestSettings,
      summary: "Change auto-registration or the Sparkplug mapping rule (audited as setting.update)",
      description: "Workers apply a change within 5 s, unless their environment pins it (INGEST_AUTO_REGISTER=true/false, SPARKPLUG_PATH_TEMPLATE). A new Sparkplug rule applies from each edge node's next birth; workers request one.",
      responses: { "200": dataOf({ type: "object" }, "The settings after the change.") },
    },
  },
  "/api/v1/quarantine": {
    get: {
      tag: "admin", access: "admin", query: ZQuarantineQuery,
      summary: "Quarantined messages, newest first, filtered by reason or topic (contains, any case)",
      responses: { "200": json({ type: "object", properties: { data: { type: "array", items: { type: "object" } }, meta: { type: "object" } } }, "A page (payloads base64, the first 2 KiB) with the total and the next page's cursor.") },
    },
    delete: {
      tag: "admin", access: "admin", query: ZQuarantineBulkDelete,
      summary: "Delete every quarantined message matching the filters, or all with all=true (audited as quarantine.delete_matching)",
      responses: { "200": dataOf({ type: "object", properties: { deleted: { type: "integer" } } }, "How many were deleted.") },
    },
  },
  "/api/v1/quarantine/{id}": {
    get: {
      tag: "admin", access: "admin", pathParams: { id: { description: "The quarantined message's id.", schema: { type: "string", pattern: "^[1-9][0-9]*$" } } },
      summary: "One quarantined message with its whole stored payload (base64)",
      responses: { "200": dataOf({ type: "object" }, "The message.") },
      errors: ["404"],
    },
    delete: {
      tag: "admin", access: "admin", pathParams: { id: { description: "The quarantined message's id.", schema: { type: "string", pattern: "^[1-9][0-9]*$" } } },
      summary: "Delete a quarantined message (audited as quarantine.delete)",
      responses: { "200": dataOf({ type: "object" }, "Deleted.") },
      errors: ["404"],
    },
  },
  "/api/v1/quarantine/{id}/retry": {
    post: {
      tag: "admin", access: "admin", pathParams: { id: { description: "The quarantined message's id.", schema: { type: "string", pattern: "^[1-9][0-9]*$" } } },
      summary: "Run the stored bytes through the worker's parse and write path again (audited as quarantine.retry)",
      description: "Stored: the row is deleted in the same transaction. Refused again: the row stays with the new reason (outcome quarantined). Sparkplug DATA and DBIRTH messages cannot be decoded without their birth and fail again. 404 when retried or deleted meanwhile; 409 when the payload was truncated on arrival.",
      responses: { "200": dataOf({ type: "object" }, "stored or quarantined, with the reason.") },
      errors: ["404", "409"],
    },
  },
  "/api/v1/product-types": {
    get: {
      tag: "oee", access: "viewer", query: ZProductTypesQuery,
      summary: "Product types with their ideal cycle time, at or below an asset (within the caller's sites)",
      responses: { "200": dataOf({ type: "array", items: { type: "object" } }, "By asset path and id.") },
    },
    post: {
      tag: "oee", access: "admin", body: ZSaveProductType,
      summary: "Create a product type or set its ideal cycle time (audited; OEE recomputes)",
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
            "application/json": {
              schema: {
                type: "object",
                properties: { data: { type: "array", items: ref("AuditEntry") }, nextCursor: { type: ["string", "null"], description: "Send as cursor for the next, older page; null on the last page." } },
                required: ["data", "nextCursor"],
              },
            },
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
  Asset: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" }, name: { type: "string" }, slug: { type: "string" }, path: { type: "string" },
      level: { enum: ["ENTERPRISE", "SITE", "AREA", "LINE", "WORK_CELL"] }, parentId: { type: ["string", "null"], format: "uuid" },
      timeZone: { type: ["string", "null"] }, notes: { type: ["string", "null"] }, idealCycleTimeMs: { type: ["number", "null"] },
      typeVersionId: { type: ["string", "null"], format: "uuid" },
      type: { type: ["object", "null"], properties: { id: { type: "string" }, key: { type: "string" }, name: { type: "string" }, versionId: { type: "string" }, version: { type: "integer" } } },
      retiredAt: { ...dateTime, type: ["string", "null"] }, createdAt: dateTime, updatedAt: dateTime,
    },
    required: ["id", "name", "slug", "path", "level", "parentId", "timeZone", "notes", "idealCycleTimeMs", "typeVersionId", "type", "retiredAt", "createdAt", "updatedAt"],
  },
  User: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" }, email: { type: "string", format: "email" }, name: { type: ["string", "null"] },
      role: ref("Role"),
      siteIds: { type: "array", items: { type: "string", format: "uuid" }, description: "The SITE assets the user is limited to; empty: every site." },
      disabledAt: { ...dateTime, type: ["string", "null"] }, createdAt: dateTime,
    },
    required: ["id", "email", "name", "role", "siteIds", "disabledAt", "createdAt"],
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
    tags: ["auth", "system", "assets", "telemetry", "oee", "shifts", "admin"].map((name) => ({ name })),
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
