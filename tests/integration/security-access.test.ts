import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { roleOrder } from "@/lib/auth/roles";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { listApiRoutes } from "@/tests/support/api-routes";

/**
 * Security rows 19 and 20 over every route handler on disk, called directly (no proxy, no
 * middleware in front): the checks in lib/http/route.ts are the only thing that can answer.
 * The lowest role of each operation comes from the OpenAPI document; a route file the document
 * does not describe (the catch-all) is treated as needing a sign-in.
 */
type THandler = (request: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type TOperation = { path: string; method: string; handler: THandler; access: string };

const db = getDb();
const apiRoot = path.join(process.cwd(), "app", "api", "v1");
const dummySegment = "00000000-0000-4000-8000-000000000000";
const origin = "http://localhost";
const methodNames = ["GET", "POST", "PUT", "PATCH", "DELETE"];
let operations: TOperation[] = [];

/** Route files with the URL path listApiRoutes gives them (a dummy id in every dynamic segment). */
function findRouteFiles(dir = apiRoot): { path: string; file: string; params: Record<string, string | string[]> }[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return findRouteFiles(full);
    if (entry !== "route.ts") return [];
    const segments = path.relative(apiRoot, dir).split(path.sep).filter(Boolean);
    const params = Object.fromEntries(segments.filter((segment) => segment.startsWith("[")).map((segment) => {
      const name = segment.replace(/^\[(\.\.\.)?|\]$/g, "");
      return [name, segment.startsWith("[...") ? [dummySegment] : dummySegment];
    }));
    return [{ path: `/api/v1/${segments.map((segment) => (segment.startsWith("[") ? dummySegment : segment)).join("/")}`, file: full, params }];
  });
}

function documentedAccess(): Map<string, string> {
  const access = new Map<string, string>();
  for (const [docPath, methods] of Object.entries(buildOpenApiDocument().paths)) {
    for (const [method, operation] of Object.entries(methods as Record<string, { "x-required-role": string }>)) {
      access.set(`${method.toUpperCase()} ${docPath.replace(/\{[^}]+\}/g, dummySegment)}`, operation["x-required-role"]);
    }
  }
  return access;
}

const paramsByPath = new Map<string, Record<string, string | string[]>>();

function call(operation: TOperation, headers: Record<string, string>) {
  const hasBody = operation.method !== "GET";
  const request = new NextRequest(`${origin}${operation.path}`, {
    method: operation.method,
    // Same-origin headers, so that a refusal is about who calls, not about where from.
    headers: { host: "localhost", origin, ...(hasBody ? { "content-type": "application/json" } : {}), ...headers },
    body: hasBody ? "{}" : undefined,
  });
  return operation.handler(request, { params: Promise.resolve(paramsByPath.get(operation.path) ?? {}) });
}

async function sessionCookie(role: Role) {
  const user = await db.user.create({ data: { email: `access-${role.toLowerCase()}-${randomUUID().slice(0, 8)}@shopfloor.test`, passwordHash: await hashPassword("access-password"), role } });
  return `shopfloor_session=${await createSession(user.id, "vitest")}`;
}

beforeAll(async () => {
  const access = documentedAccess();
  for (const route of findRouteFiles()) {
    paramsByPath.set(route.path, route.params);
    const exported = (await import(route.file)) as Record<string, unknown>;
    for (const method of methodNames) {
      const handler = exported[method];
      if (typeof handler === "function") operations.push({ path: route.path, method, handler: handler as THandler, access: access.get(`${method} ${route.path}`) ?? "viewer" });
    }
  }
  operations = operations.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
});

afterAll(async () => {
  vi.restoreAllMocks();
  await db.$disconnect();
});

describe("the route table", () => {
  it("covers every route file and method that tests/support/api-routes.ts finds", () => {
    const listed = listApiRoutes().flatMap((route) => route.methods.map((method) => `${method} ${route.path}`)).sort();
    expect(operations.map((operation) => `${operation.method} ${operation.path}`).sort()).toEqual(listed);
    expect(operations.filter((operation) => operation.access === "admin").length).toBeGreaterThanOrEqual(6);
  });
});

describe("row 19: authentication is checked in every route handler", () => {
  // Guards: the caller check in lib/http/route.ts (`access !== "public" && !caller` → 401).
  it("answers 401 to a call without credentials, for every non-public operation", async () => {
    const answers: string[] = [];
    for (const operation of operations.filter((candidate) => candidate.access !== "public")) {
      const response = await call(operation, {});
      const body = await response.json();
      answers.push(`${operation.method} ${operation.path} → ${response.status} ${body.error?.code}`);
    }
    expect(answers.filter((answer) => !answer.endsWith("→ 401 unauthorized"))).toEqual([]);
  });

  // Guards: the same check, whatever a middleware-bypass header says (CVE-2025-29927), and
  // session/token lookup by hash: a made-up cookie or token resolves to no one.
  it("still answers 401 with x-middleware-subrequest and forged session cookies or tokens", async () => {
    const forgeries: Record<string, string>[] = [
      { "x-middleware-subrequest": "middleware", cookie: `shopfloor_session=forged; __Host-shopfloor_session=${randomBytes(32).toString("base64url")}` },
      { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware", cookie: `__Host-shopfloor_session=${randomBytes(32).toString("base64url")}` },
      { "x-middleware-subrequest": "src/middleware", authorization: `Bearer sf_${randomBytes(32).toString("base64url")}` },
    ];
    const answers: string[] = [];
    for (const operation of operations.filter((candidate) => candidate.access !== "public")) {
      for (const headers of forgeries) {
        const response = await call(operation, headers);
        if (response.status !== 401) answers.push(`${operation.method} ${operation.path} with ${JSON.stringify(headers)} → ${response.status}`);
      }
    }
    expect(answers).toEqual([]);
  });
});

describe("row 20: roles are checked in every route handler", () => {
  // Guards: the role check in lib/http/route.ts (`hasRole(caller.role, access)` → 403, logged).
  it("answers 403 (and logs it) to every role below an operation's own, e.g. a viewer or supervisor calling admin endpoints", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const refused: string[] = [];
    const wrong: string[] = [];
    for (const role of ["VIEWER", "SUPERVISOR", "MANAGER"] as const) {
      const cookie = await sessionCookie(role);
      const above = operations.filter((operation) => operation.access !== "public" && roleOrder.indexOf(operation.access.toUpperCase() as Role) > roleOrder.indexOf(role));
      for (const operation of above) {
        const response = await call(operation, { cookie });
        const body = await response.json();
        const label = `${role} ${operation.method} ${operation.path}`;
        if (response.status === 403 && body.error.code === "forbidden") refused.push(label);
        else wrong.push(`${label} → ${response.status} ${JSON.stringify(body)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every admin operation was tried by both a viewer and a supervisor.
    for (const operation of operations.filter((candidate) => candidate.access === "admin")) {
      expect(refused).toContain(`VIEWER ${operation.method} ${operation.path}`);
      expect(refused).toContain(`SUPERVISOR ${operation.method} ${operation.path}`);
    }
    const logged = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { event: string; path: string });
    expect(logged.filter((entry) => entry.event === "forbidden")).toHaveLength(refused.length);
    expect(logged.map((entry) => entry.path)).toContain("/api/v1/users");
  });
});
