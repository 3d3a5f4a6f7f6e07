import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/v1/product-types/route";
import { hashPassword } from "@/lib/auth/password";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { callRoute } from "../support/call-route";

// Product types edited by an admin: created and re-timed with an audit row each, refused with a clear
// message when wrong, listed only within the caller's sites.
const root = `pt-${randomUUID().slice(0, 8)}`;
const line = `${root}/north/area/line-1`;
const otherLine = `${root}/south/area/line-9`;
const cookies: Partial<Record<Role | "scoped", string>> = {};

async function signedIn(role: Role, siteIds: string[] = []) {
  const email = `pt-${role.toLowerCase()}-${randomUUID().slice(0, 8)}@shopfloor.test`;
  await getDb().user.create({ data: { email, passwordHash: await hashPassword("product-types-pass"), role, siteIds } });
  return `shopfloor_session=${(await signIn({ email, password: "product-types-pass" }, null)).token}`;
}

async function createPath(path: string) {
  const levels = ["ENTERPRISE", "SITE", "AREA", "LINE"] as const;
  let parentId: string | null = null;
  const segments = path.split("/");
  for (let depth = 1; depth <= segments.length; depth++) {
    const prefix = segments.slice(0, depth).join("/");
    const slug = segments[depth - 1] ?? "";
    const asset: { id: string } = await getDb().asset.upsert({
      where: { path: prefix }, update: {},
      create: { name: slug, slug, path: prefix, level: levels[depth - 1] ?? "LINE", parentId },
    });
    parentId = asset.id;
  }
}

beforeAll(async () => {
  await createPath(line);
  await createPath(otherLine);
  cookies.ADMIN = await signedIn("ADMIN");
  cookies.VIEWER = await signedIn("VIEWER");
  const north = await getDb().asset.findUniqueOrThrow({ where: { path: `${root}/north` } });
  cookies.scoped = await signedIn("VIEWER", [north.id]);
});

afterAll(async () => {
  await getDb().$disconnect();
});

const save = (body: unknown, cookie = cookies.ADMIN) => callRoute(POST, "POST", "/api/v1/product-types", { cookie, body });
const list = (cookie = cookies.VIEWER) => callRoute(GET, "GET", `/api/v1/product-types?asset=${root}`, { cookie });

describe("product types", () => {
  it("creates a product type, sets its ideal cycle time again, and audits both with before and after", async () => {
    const created = await save({ asset: line, externalId: "W-100", cycleTimeMs: 1200 });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ asset: line, externalId: "W-100", cycleTimeMs: 1200, workOrders: 0 });
    const updated = await save({ asset: line, externalId: "W-100", cycleTimeMs: 1500 });
    expect(updated.status).toBe(200);
    const audit = await getDb().auditEntry.findMany({ where: { entity: "product_type", entityId: created.body.data.id }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => [entry.action, entry.before, entry.after])).toEqual([
      ["product_type.create", null, { asset: line, externalId: "W-100", cycleTimeMs: 1200 }],
      ["product_type.update", { asset: line, externalId: "W-100", cycleTimeMs: 1200 }, { asset: line, externalId: "W-100", cycleTimeMs: 1500 }],
    ]);
  });

  it("refuses bad input with the field that is wrong, unknown assets with 404, and non-admins with 403", async () => {
    for (const [body, message] of [
      [{ asset: line, externalId: "W-1", cycleTimeMs: 0 }, "cycleTimeMs must be greater than 0"],
      [{ asset: line, externalId: "W-1", cycleTimeMs: "fast" }, "cycleTimeMs must be a number of milliseconds"],
      [{ asset: line, externalId: "  ", cycleTimeMs: 10 }, "externalId must not be empty"],
      [{ asset: line, externalId: "W\u0000", cycleTimeMs: 10 }, "externalId must not contain control characters"],
      [{ asset: line, externalId: "W-1", cycleTimeMs: 10, extra: true }, "Unrecognized key"],
    ] as const) {
      const answer = await save(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toContain(message);
    }
    expect((await save({ asset: `${root}/nowhere`, externalId: "W-1", cycleTimeMs: 10 })).status).toBe(404);
    expect((await save({ asset: line, externalId: "W-2", cycleTimeMs: 10 }, cookies.VIEWER)).status).toBe(403);
    expect(await getDb().productType.count({ where: { asset: { path: line }, externalId: { in: ["W-1", "W-2"] } } })).toBe(0);
  });

  it("lists product types within the caller's sites only", async () => {
    await save({ asset: otherLine, externalId: "S-9", cycleTimeMs: 900 });
    expect((await list()).body.data.map((row: { externalId: string }) => row.externalId)).toEqual(["W-100", "S-9"]);
    expect((await list(cookies.scoped)).body.data.map((row: { externalId: string }) => row.externalId)).toEqual(["W-100"]);
  });
});
