import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { listApiRoutes } from "@/tests/support/api-routes";
import { buildOpenApiDocument } from "./document";

// listApiRoutes puts this value in place of every dynamic segment.
const dummySegment = "00000000-0000-4000-8000-000000000000";
// app/api/v1/[...unknown] answers 401/404 for paths that do not exist; it is not an API route.
const catchAll = `/api/v1/${dummySegment}`;

const document = buildOpenApiDocument();
type TParameter = { name: string; in: string; required: boolean; schema: Record<string, unknown> };
type TOperation = { parameters?: TParameter[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };

function operation(path: string, method: string): TOperation {
  const found = (document.paths as Record<string, Record<string, TOperation>>)[path]?.[method];
  if (!found) throw new Error(`${method} ${path} is not documented`);
  return found;
}
const documented = Object.entries(document.paths).map(([path, methods]) => ({
  path: path.replace(/\{[^}]+\}/g, dummySegment),
  methods: Object.keys(methods).map((method) => method.toUpperCase()).sort(),
}));

describe("the OpenAPI document", () => {
  it("describes every route file under app/api/v1 with exactly its methods, and nothing else", () => {
    const onDisk = listApiRoutes()
      .filter((route) => route.path !== catchAll)
      .map((route) => ({ path: route.path, methods: [...route.methods].sort() }));
    expect(onDisk.length).toBeGreaterThan(10);
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect(documented.sort(byPath)).toEqual(onDisk.sort(byPath));
  });

  it("is OpenAPI 3.1 with a role, responses and declared path parameters on every operation", () => {
    expect(document.openapi).toBe("3.1.0");
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods as Record<string, Record<string, unknown>>)) {
        const where = `${method} ${path}`;
        expect(["public", "viewer", "supervisor", "manager", "admin"], where).toContain(operation["x-required-role"]);
        expect(Object.keys(operation.responses as object).some((status) => status.startsWith("2")), where).toBe(true);
        const pathParams = ((operation.parameters ?? []) as { in: string; name: string }[]).filter((param) => param.in === "path").map((param) => param.name);
        expect(pathParams, where).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]));
      }
    }
  });

  it("takes request schemas from the handlers' zod schemas", () => {
    const createUser = operation("/api/v1/users", "post").requestBody?.content["application/json"]?.schema;
    expect(createUser).toMatchObject({ type: "object", required: ["email", "password", "role"], additionalProperties: false });
    expect(createUser?.properties).toMatchObject({ password: { minLength: 12, maxLength: 1024 } });
    const oee = operation("/api/v1/oee", "get").parameters ?? [];
    expect(oee.map((param) => param.name)).toEqual(["asset", "from", "to", "groupBy"]);
    expect(oee.find((param) => param.name === "from")).toMatchObject({ required: true, schema: { format: "date-time" } });
    expect(oee.find((param) => param.name === "groupBy")?.schema).toMatchObject({ enum: ["shift", "hour", "day", "week"] });
  });

  it("is served without a sign-in at GET /api/v1/openapi.json", async () => {
    const response = await GET(new NextRequest("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect((await response.json()).paths["/api/v1/audit"].get["x-required-role"]).toBe("admin");
  });
});
