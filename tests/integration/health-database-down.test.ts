import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { findFreePort } from "@/lib/runtime/free-port";

// Its own file (vitest isolates files), so the unreachable database does not leak into other tests.
describe("GET /api/v1/health with the database unreachable", () => {
  it("answers 503 with database.ok false", async () => {
    process.env.DATABASE_URL = `postgresql://nobody@127.0.0.1:${await findFreePort()}/none`;
    const { GET } = await import("@/app/api/v1/health/route");
    const response = await GET(new NextRequest("http://localhost/api/v1/health"), { params: Promise.resolve({}) });
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: "degraded", database: { ok: false, timescaledb: null }, worker: { ok: false } });
  });
});
