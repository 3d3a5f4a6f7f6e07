import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { type TCaller, bearerSecret, resolveCaller } from "../auth/caller";
import { hasRole } from "../auth/roles";
import { siteScopeOf } from "../auth/site-scope";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import { assertSameOrigin } from "./same-origin";

type TAccess = "public" | Role;

type TRouteConfig<TQuery extends z.ZodType, TBody extends z.ZodType> = {
  /** "public" or the lowest role allowed. Checked here, in the route itself, not only in proxy.ts. */
  access: TAccess;
  query?: TQuery;
  body?: TBody;
  /** Bytes; larger bodies are refused before parsing. */
  maxBodyBytes?: number;
};

type TContext<TQuery extends z.ZodType, TBody extends z.ZodType, TAccessValue extends TAccess> = {
  request: NextRequest;
  caller: TAccessValue extends "public" ? TCaller | null : TCaller;
  query: z.infer<TQuery>;
  body: z.infer<TBody>;
  params: Record<string, string | string[]>;
};

type TNextContext = { params: Promise<Record<string, string | string[]>> };

const stateChanging = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The one wrapper every /api/v1 handler goes through: cross-site check, caller and role,
 * zod-parsed query and body, and errors turned into `{ error: { code, message } }`.
 * A handler returns a Response, or data that is sent as JSON with status 200.
 */
export function route<
  const TAccessValue extends TAccess,
  TQuery extends z.ZodType = z.ZodUnknown,
  TBody extends z.ZodType = z.ZodUnknown,
>(
  config: TRouteConfig<TQuery, TBody> & { access: TAccessValue },
  handler: (context: TContext<TQuery, TBody, TAccessValue>) => Promise<Response | object>,
) {
  return async (request: NextRequest, nextContext: TNextContext): Promise<Response> => {
    try {
      const caller = await resolveCaller(request.headers);
      if (config.access !== "public" && !caller) throw new AppError("unauthorized", "Sign in first.");
      // Bearer tokens are not sent by browsers on their own, so only cookie-carrying
      // state changes (and sign-in itself) need the cross-site check.
      if (stateChanging.has(request.method) && !bearerSecret(request.headers)) assertSameOrigin(request);
      if (config.access !== "public" && caller) {
        if (!hasRole(caller.role, config.access)) {
          console.warn(JSON.stringify({ event: "forbidden", caller: caller.label, role: caller.role, needed: config.access, path: request.nextUrl.pathname }));
          throw new AppError("forbidden", `This needs the ${config.access.toLowerCase()} role.`);
        }
        // Configuration is plant-wide: a caller limited to some sites never reaches it (users-api refuses
        // site-scoped admins too; this holds should one exist anyway).
        if (config.access === "ADMIN" && siteScopeOf(caller) !== null) throw new AppError("forbidden", "Configuration needs a plant-wide admin.");
      }

      const query = parseWith(config.query, Object.fromEntries(request.nextUrl.searchParams), "query");
      const body = config.body ? parseWith(config.body, await readJsonBody(request, config.maxBodyBytes ?? 1_000_000), "body") : undefined;
      const params = nextContext?.params ? await nextContext.params : {};

      const result = await handler({ request, caller, query, body, params } as TContext<TQuery, TBody, TAccessValue>);
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: error.status },
    );
  }
  console.error(error);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on the server." } }, { status: 500 });
}

function parseWith<TSchema extends z.ZodType>(schema: TSchema | undefined, input: unknown, where: string): z.infer<TSchema> {
  if (!schema) return undefined as z.infer<TSchema>;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  const first = issues[0];
  throw new AppError("validation", first ? `Invalid ${where}: ${first.path ? `${first.path}: ` : ""}${first.message}` : `Invalid ${where}.`, { issues });
}

async function readJsonBody(request: NextRequest, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("payload_too_large", `Request body is larger than ${maxBytes} bytes.`);
  if (!request.headers.get("content-type")?.toLowerCase().includes("application/json")) {
    throw new AppError("bad_request", "Send the body as JSON (Content-Type: application/json).");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError("payload_too_large", `Request body is larger than ${maxBytes} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON.");
  }
}
